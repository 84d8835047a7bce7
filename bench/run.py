"""userphoto against the physical limit (issue 7): one run, one table, one JSON record.

    .venv/bin/python bench/run.py [--quick] [--json results.json]

Seeds a demo directory in a temporary data dir, starts `userphoto serve` with the
production worker count and nginx with as many workers serving the identical bytes as
static files, and measures with the same wrk load, in alternating rounds:

1. photo bytes (96 px) through every dialect route, and 2. their 304 revalidation;
3. onOffice `userphoto` and `user` reads; 4. the photo pipeline (bench/pipeline.py);
5. server memory: idle per worker, the peak a 50 MP upload adds, growth under load;
6. startup to the first answered request.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console

import wrk
from directory import UPLOAD_TARGET, Directory, seed
from memory import Growth, growth, idle_rss, large_jpeg, upload_peak
from nginx import nginx
from report import Row, comparison_row, limit_row, print_table, write_json
from scenarios import (
    ONOFFICE_LINK,
    SERVER_SETTINGS,
    Comparison,
    measure,
    onoffice_scenarios,
    photo_routes,
    photo_scenarios,
)
from servers import userphoto
from startup import time_to_answers

PIPELINE = Path(__file__).with_name("pipeline.py")
# Issue 7's targets (the throughput ones are in scenarios.py).
IDLE_MB = 80
UPLOAD_ADDED_MB = 300
GROWTH_PERCENT = 5
STARTUP_SECONDS = 1.5
console = Console()


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a short smoke run (minutes, not the quarter hour of a full run)",
    )
    parser.add_argument("--json", type=Path, help="write the results here as JSON")
    # Two wrk threads: one could not saturate nginx, and on 2 cores the client needs
    # the second core as much as the server does. 64 connections keep every worker busy
    # (32 each on 2 workers) without measuring mostly queueing.
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections (64)")
    parser.add_argument("--duration", type=int, help="seconds per round (10; quick 2)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per side, at least 3 (3)")
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="server workers (one per core)"
    )
    parser.add_argument(
        "--requests", type=int, help="photo requests of the growth run (1,000,000; quick 50,000)"
    )
    parser.add_argument("--startup-runs", type=int, help="server starts timed (5; quick 3)")
    args = parser.parse_args()
    if args.rounds < 3:
        parser.error("--rounds must be at least 3")
    quick = args.quick
    args.duration = args.duration or (2 if quick else 10)
    args.requests = args.requests or (50_000 if quick else 1_000_000)
    args.startup_runs = args.startup_runs or (3 if quick else 5)
    return args


def main() -> None:
    args = arguments()
    load = wrk.Load(args.threads, args.connections, args.duration)
    with tempfile.TemporaryDirectory(prefix="userphoto-bench-") as folder:
        console.log("seeding the demo directory")
        directory = seed(Path(folder) / "data")
        rows, comparisons = serve_and_measure(args, load, directory, Path(folder))
    rows += pipeline_rows(args.quick)
    print_table(rows, f"userphoto / nginx, {args.workers} workers, wrk {_load_text(load)}")
    if args.json:
        write_json(args.json, rows, _run_record(args, comparisons))
        console.log(f"wrote {args.json}")


def serve_and_measure(
    args: argparse.Namespace, load: wrk.Load, directory: Directory, folder: Path
) -> tuple[list[Row], list[Comparison]]:
    rows = startup_rows(directory, args.workers, args.startup_runs)
    warmup = dataclasses.replace(load, seconds=min(2, load.seconds))
    with (
        userphoto(directory.data_dir, args.workers, SERVER_SETTINGS) as server,
        nginx(folder / "nginx", args.workers) as files,
    ):
        routes = photo_routes(server.base, directory)
        photos, revalidations = photo_scenarios(server.base, routes, files)
        reads = onoffice_scenarios(server.base, directory, files)
        idle = idle_rss(server)
        comparisons = []
        for scenario in photos + revalidations + reads:
            comparisons.append(measure(scenario, load, args.rounds, warmup))
            console.log(f"{scenario.name}: {comparisons[-1].ratio:.0%} of nginx")
        console.log(f"growth run: {args.requests:,} requests of {routes[0].name}")
        grown = growth(server, wrk.Request(server.base + routes[0].path), args.requests, load)
        console.log("uploading a 50 MP photo")
        added = upload_peak(server, directory.api_key, UPLOAD_TARGET, large_jpeg())
    rows = [comparison_row(c) for c in comparisons] + rows + memory_rows(idle, added, grown)
    return rows, comparisons


def memory_rows(idle: list[float], upload_added: float, grown: Growth) -> list[Row]:
    return [
        limit_row("memory: idle RSS per worker", idle, "MB", IDLE_MB),
        limit_row("memory: peak added by a 50 MP upload", [upload_added], "MB", UPLOAD_ADDED_MB),
        limit_row(
            f"memory: growth over {grown.requests:,} photo requests",
            [grown.percent],
            "%",
            GROWTH_PERCENT,
            f"{grown.before_mb:.0f} → {grown.after_mb:.0f} MB",
        ),
    ]


def startup_rows(directory: Directory, workers: int, runs: int) -> list[Row]:
    console.log(f"timing {runs} server starts")
    starts = [
        time_to_answers(directory.data_dir, workers, SERVER_SETTINGS, ONOFFICE_LINK)
        for _ in range(runs)
    ]
    return [
        limit_row(
            "startup: first 200 on /healthz", [s.healthz for s in starts], "s", STARTUP_SECONDS
        ),
        limit_row("startup: first 200 on a photo", [s.photo for s in starts], "s", STARTUP_SECONDS),
    ]


def pipeline_rows(quick: bool) -> list[Row]:
    """bench/pipeline.py's own rows, read from its --json output."""
    console.log("running bench/pipeline.py")
    with tempfile.TemporaryDirectory(prefix="userphoto-pipeline-") as folder:
        output = Path(folder) / "pipeline.json"
        argv = [sys.executable, str(PIPELINE), "--json", str(output)]
        if quick:
            argv.append("--quick")
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
        if done.returncode != 0 or not output.exists():
            console.log(f"[red]bench/pipeline.py gave no rows[/red]: {done.stderr.strip()[-500:]}")
            return []
        return [Row.from_json(row) for row in json.loads(output.read_text())["rows"]]


def _load_text(load: wrk.Load) -> str:
    return f"-t{load.threads} -c{load.connections} -d{load.seconds}s"


def _run_record(args: argparse.Namespace, comparisons: list[Comparison]) -> dict[str, Any]:
    return {
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "quick": args.quick,
        "cpus": os.cpu_count(),
        "machine": platform.platform(),
        "python": platform.python_version(),
        "workers": args.workers,
        "wrk": _load_text(wrk.Load(args.threads, args.connections, args.duration)),
        "rounds": args.rounds,
        "growth_requests": args.requests,
        "comparisons": [dataclasses.asdict(c) for c in comparisons],
    }


if __name__ == "__main__":
    main()
