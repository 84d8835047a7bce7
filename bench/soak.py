"""A soak (issue 8): mixed reads and writes across dialects at 70 % of the measured maximum.

    .venv/bin/python bench/soak.py [--minutes 10] [--fraction 0.7] [--json soak.json]

Seeds the demo directory in a temporary data dir and starts `userphoto serve` as run.py
does. First the maximum rate of the request mix is measured for --probe seconds in a
closed loop (--connections clients, each sending its next request once the last is
answered). Then the same mix is sent open-loop at fraction × that rate for --minutes:
requests start on a fixed schedule whether or not earlier ones were answered (wrk2's
constant throughput), and latency counts from the scheduled start, so a stalling server
shows as latency and a missed rate rather than as fewer requests asked.

The mix: onOffice signed `userphoto` reads, the photo bytes through every dialect route
(onOffice link, EWS REST, Graph $value, Gravatar, DocSpace storage) and native photo
uploads. An error is any other status than the route's expected one, a transport error,
or an onOffice answer with an error code. The server workers' RSS is sampled every 10 s;
memory counts as flat when the second half of the run grows it by less than --growth %.
The client runs on the same machine as the server, so both share its cores.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import random
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

import httpx
import orjson
from PIL import Image
from rich.console import Console
from rich.table import Table

import onoffice
from directory import Directory, seed
from scenarios import SERVER_SETTINGS, photo_routes
from servers import Userphoto, rss_mb, userphoto

SAMPLE_SECONDS = 10
MAX_IN_FLIGHT = 512
# Photo owners the uploads rotate over: not the one the reads fetch, nor the admin.
UPLOAD_OWNERS = range(4, 44)
console = Console()


@dataclass(frozen=True)
class Call:
    """One kind of request in the mix, and how often it comes, relative to the others."""

    name: str
    weight: int
    make: Callable[[], httpx.Request]
    expected: int = 200
    check: Callable[[httpx.Response], bool] = lambda _: True


@dataclass
class Tally:
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    skipped: int = 0  # due while MAX_IN_FLIGHT requests were open: the client fell behind

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10, help="soak length (10)")
    parser.add_argument("--fraction", type=float, default=0.7, help="of the maximum rate (0.7)")
    parser.add_argument("--probe", type=float, default=10, help="seconds measuring the max (10)")
    parser.add_argument("--connections", type=int, default=32, help="closed-loop clients (32)")
    parser.add_argument("--workers", type=int, default=1, help="server workers (1)")
    parser.add_argument("--growth", type=float, default=5, help="flat: % growth allowed (5)")
    parser.add_argument("--json", type=Path, help="write the results here as JSON")
    return parser.parse_args()


def main() -> None:
    args = arguments()
    with tempfile.TemporaryDirectory(prefix="userphoto-soak-") as folder:
        console.log("seeding the demo directory")
        directory = seed(Path(folder) / "data")
        with userphoto(directory.data_dir, args.workers, SERVER_SETTINGS) as server:
            record = asyncio.run(soak(args, server, directory))
    print_record(record)
    if args.json:
        args.json.write_bytes(orjson.dumps(record, option=orjson.OPT_INDENT_2))
        console.log(f"wrote {args.json}")
    raise SystemExit(0 if record["passed"] else 1)


async def soak(args: argparse.Namespace, server: Userphoto, directory: Directory) -> dict[str, Any]:
    calls = mix(server.base, directory)
    limits = httpx.Limits(max_connections=MAX_IN_FLIGHT, max_keepalive_connections=64)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        console.log(f"measuring the maximum rate for {args.probe:g} s")
        probe = Tally()
        maximum = await closed_loop(client, calls, args.connections, args.probe, probe)
        rate = maximum * args.fraction
        console.log(f"maximum {maximum:.0f} req/s; soaking at {rate:.0f} req/s")
        tally = Tally()
        samples: list[tuple[float, float]] = []
        sampler = asyncio.create_task(sample_rss(server, samples))
        started = time.monotonic()
        await open_loop(client, calls, rate, args.minutes * 60, tally)
        elapsed = time.monotonic() - started
        sampler.cancel()
    samples.append((elapsed, workers_rss(server)))
    return result(args, maximum, rate, elapsed, tally, probe, samples)


def mix(base: str, directory: Directory) -> list[Call]:
    bearer = {"Authorization": f"Bearer {directory.api_key}"}
    reads = [
        Call(f"read {route.name}", 15, _get(base + route.path, route.headers))
        for route in photo_routes(base, directory)
    ]
    owners = itertools.cycle(UPLOAD_OWNERS)
    images = itertools.cycle([_jpeg((n * 30, 120, 255 - n * 30)) for n in range(8)])

    def upload() -> httpx.Request:
        headers = {**bearer, "Content-Type": "image/jpeg"}
        url = f"{base}/api/v1/users/{next(owners)}/photo"
        return httpx.Request("PUT", url, content=next(images), headers=headers)

    def signed_read() -> httpx.Request:
        parameters = {"photosAsLinks": True, "listlimit": 20}
        body = onoffice.read_body(directory.onoffice, "userphoto", parameters)
        headers = {"Content-Type": "application/json"}
        return httpx.Request("POST", base + onoffice.API_PATH, content=body, headers=headers)

    return [
        *reads,
        Call("onOffice signed userphoto read", 15, signed_read, check=_onoffice_ok),
        Call("native upload", 5, upload),
    ]


def _jpeg(colour: tuple[int, int, int]) -> bytes:
    out = BytesIO()
    Image.new("RGB", (480, 480), colour).save(out, "JPEG")
    return out.getvalue()


def _get(url: str, headers: dict[str, str]) -> Callable[[], httpx.Request]:
    return lambda: httpx.Request("GET", url, headers=headers)


def _onoffice_ok(response: httpx.Response) -> bool:
    try:
        onoffice.records(response.json())
    except (ValueError, KeyError):
        return False
    return True


def chooser(calls: list[Call]) -> Callable[[], Call]:
    rng = random.Random(8)
    weights = [c.weight for c in calls]
    return lambda: rng.choices(calls, weights)[0]


async def send(client: httpx.AsyncClient, call: Call, due: float, tally: Tally) -> None:
    try:
        response = await client.send(call.make())
        status = response.status_code
        ok = status == call.expected and call.check(response)
    except httpx.HTTPError as exc:
        status, ok = 0, False
        tally.errors[f"{call.name}: {type(exc).__name__}"] += 1
    tally.statuses[(call.name, status)] += 1
    tally.latencies.append(time.monotonic() - due)
    if not ok and status:
        tally.errors[f"{call.name}: {status}"] += 1


async def closed_loop(
    client: httpx.AsyncClient, calls: list[Call], connections: int, seconds: float, tally: Tally
) -> float:
    """Requests per second answered with `connections` clients back to back."""
    pick = chooser(calls)
    deadline = time.monotonic() + seconds

    async def one_client() -> None:
        while time.monotonic() < deadline:
            await send(client, pick(), time.monotonic(), tally)

    started = time.monotonic()
    await asyncio.gather(*(one_client() for _ in range(connections)))
    return tally.requests / (time.monotonic() - started)


async def open_loop(
    client: httpx.AsyncClient, calls: list[Call], rate: float, seconds: float, tally: Tally
) -> None:
    """Requests started at `rate` on a fixed schedule, answered or not (wrk2's pacing)."""
    pick = chooser(calls)
    open_tasks: set[asyncio.Task[None]] = set()
    start = time.monotonic()
    sent = 0
    while (now := time.monotonic()) < start + seconds:
        due_count = int((now - start) * rate) + 1
        for number in range(sent, due_count):
            if len(open_tasks) >= MAX_IN_FLIGHT:
                tally.skipped += 1
                continue
            task = asyncio.create_task(send(client, pick(), start + number / rate, tally))
            open_tasks.add(task)
            task.add_done_callback(open_tasks.discard)
        sent = due_count
        await asyncio.sleep(max(0.0, start + sent / rate - time.monotonic()))
    await asyncio.gather(*open_tasks)


def workers_rss(server: Userphoto) -> float:
    return sum(rss_mb(pid) for pid in server.workers())


async def sample_rss(server: Userphoto, samples: list[tuple[float, float]]) -> None:
    started = time.monotonic()
    while True:
        samples.append((time.monotonic() - started, workers_rss(server)))
        await asyncio.sleep(SAMPLE_SECONDS)


def result(
    args: argparse.Namespace,
    maximum: float,
    rate: float,
    elapsed: float,
    tally: Tally,
    probe: Tally,
    samples: list[tuple[float, float]],
) -> dict[str, Any]:
    rss = [mb for _, mb in samples]
    second_half = [(t, mb) for t, mb in samples if t >= elapsed / 2] or samples[-2:]
    half_growth = 100 * (second_half[-1][1] - second_half[0][1]) / second_half[0][1]
    latencies = sorted(tally.latencies)
    errors = sum(tally.errors.values()) + tally.skipped
    return {
        "minutes": elapsed / 60,
        "workers": args.workers,
        "max_rate": maximum,
        "probe_errors": dict(probe.errors),
        "target_rate": rate,
        "achieved_rate": tally.requests / elapsed,
        "requests": tally.requests,
        "by_status": {
            f"{name} {status}": n for (name, status), n in sorted(tally.statuses.items())
        },
        "errors": dict(tally.errors),
        "skipped": tally.skipped,
        "p50_ms": 1000 * statistics.median(latencies) if latencies else None,
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))] if latencies else None,
        "rss_mb": {"start": rss[0], "end": rss[-1], "max": max(rss)},
        "rss_slope_mb_per_min": _slope(samples),
        "rss_second_half_growth_percent": half_growth,
        "rss_samples": samples,
        "passed": errors == 0 and half_growth < args.growth,
    }


def _slope(samples: list[tuple[float, float]]) -> float:
    if len(samples) < 2:
        return 0.0
    times, values = zip(*samples, strict=True)
    return statistics.linear_regression([t / 60 for t in times], values).slope


def print_record(record: dict[str, Any]) -> None:
    table = Table("", "value", title=f"soak: {record['minutes']:.1f} min")
    rss = record["rss_mb"]
    rows = [
        ("maximum rate (probe)", f"{record['max_rate']:.0f} req/s"),
        ("target rate", f"{record['target_rate']:.0f} req/s"),
        ("achieved rate", f"{record['achieved_rate']:.0f} req/s"),
        ("requests", f"{record['requests']:,}"),
        ("errors", f"{sum(record['errors'].values()):,}"),
        ("skipped (client behind)", f"{record['skipped']:,}"),
        ("latency p50 / p99", f"{record['p50_ms']:.1f} / {record['p99_ms']:.1f} ms"),
        ("RSS start / end / max", f"{rss['start']:.0f} / {rss['end']:.0f} / {rss['max']:.0f} MB"),
        ("RSS slope", f"{record['rss_slope_mb_per_min']:+.2f} MB/min"),
        ("RSS growth, second half", f"{record['rss_second_half_growth_percent']:+.1f} %"),
        ("verdict", "passed" if record["passed"] else "FAILED"),
    ]
    for label, value in rows:
        table.add_row(label, value)
    console.print(table)
    statuses = Table("request, status", "count", title="by status")
    for name, count in record["by_status"].items():
        statuses.add_row(name, f"{count:,}")
    console.print(statuses)
    for name, count in record["errors"].items():
        console.print(f"[red]error[/red] {name}: {count}")


if __name__ == "__main__":
    main()
