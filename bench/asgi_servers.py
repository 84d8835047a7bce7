"""Where the time of a request goes: each ASGI server's floor, and userphoto on each server.

    .venv/bin/python bench/asgi_servers.py [--duration 5] [--rounds 3] [--workers 2] [--json PATH]

Seeds the demo directory as run.py does and measures against nginx serving the same bytes
(the same wrk load, alternating rounds, medians), under granian and under uvicorn:

- `bare`, an ASGI app answering fixed bytes with no routing and no checks (bench/apps.py):
  the most any Python app gets from that server on this machine;
- `userphoto`, the app `userphoto serve` runs.

Each for the onOffice link photo, its 304, and the onOffice read of 100 photos as links (a
signed POST). The targets are issue 7's, so the table shows which could be met at all.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console

import onoffice
import wrk
from apps import ETAG
from directory import Directory, seed
from nginx import StaticFiles, etag, nginx
from report import comparison_row, print_table, write_json
from scenarios import (
    JSON,
    NOT_MODIFIED_TARGET,
    ONOFFICE_LINK,
    ONOFFICE_TARGET,
    PHOTO_TARGET,
    SERVER_SETTINGS,
    Scenario,
    SignedRead,
    measure,
)
from servers import answering, free_port, server_env, userphoto

BIN = Path(sys.executable).parent
LINKS_READ: tuple[str, dict[str, Any]] = ("userphoto", {"photosAsLinks": True, "listlimit": 100})
console = Console()


def granian(target: str, port: int, workers: int) -> list[str]:
    """As `userphoto serve` configures it (cli/serving.py)."""
    return [
        str(BIN / "granian"),
        *("--interface", "asgi", "--factory", "--http", "1", "--no-ws"),
        *("--workers", str(workers), "--port", str(port), "--log-level", "warning", target),
    ]


def uvicorn(target: str, port: int, workers: int) -> list[str]:
    """At its fastest: httptools, uvloop, no access log; the app reads forwarded headers."""
    return [
        str(BIN / "uvicorn"),
        *("--factory", "--http", "httptools", "--loop", "uvloop", "--no-access-log"),
        "--no-proxy-headers",
        *("--workers", str(workers), "--port", str(port), "--log-level", "warning", target),
    ]


SERVERS: dict[str, Callable[[str, int, int], list[str]]] = {
    "granian": granian,
    "uvicorn": uvicorn,
}


@dataclass(frozen=True)
class Bodies:
    photo: Path
    read: Path


@dataclass(frozen=True)
class References:
    photo: wrk.Request
    not_modified: wrk.Request
    read: Callable[[], wrk.Request]


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds per round (5)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per side (3)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="per server")
    parser.add_argument("--json", type=Path, help="write the results here as JSON")
    return parser.parse_args()


def main() -> None:
    args = arguments()
    load = wrk.Load(2, 64, args.duration)
    warmup = wrk.Load(2, 64, min(2, args.duration))
    with tempfile.TemporaryDirectory(prefix="bench-asgi-") as temporary:
        folder = Path(temporary)
        console.log("seeding the demo directory")
        directory = seed(folder / "data")
        bodies = fetch_bodies(directory, folder)
        with nginx(folder / "nginx", args.workers) as files:
            references = publish(files, bodies, directory)
            comparisons = []
            for server, argv in SERVERS.items():
                for app in ("bare", "userphoto"):
                    with running(argv, app, directory, bodies, args.workers) as base:
                        for scenario in app_scenarios(server, app, base, directory, references):
                            comparisons.append(measure(scenario, load, args.rounds, warmup))
                            console.log(f"{scenario.name}: {comparisons[-1].ratio:.0%} of nginx")
    rows = [comparison_row(comparison) for comparison in comparisons]
    print_table(rows, f"ASGI servers / nginx, {args.workers} workers, wrk -t2 -c64")
    if args.json:
        write_json(args.json, rows, {"workers": args.workers, "duration": args.duration})


def fetch_bodies(directory: Directory, folder: Path) -> Bodies:
    """The photo and the read's answer as userphoto serves them, for nginx and `bare`."""
    with userphoto(directory.data_dir, 1, SERVER_SETTINGS) as server:
        photo = httpx.get(server.base + ONOFFICE_LINK).content
        read = signed_read(server.base, directory)()
        answer = httpx.post(read.url, content=read.body, headers=read.headers).content
    bodies = Bodies(folder / "photo.jpg", folder / "read.json")
    bodies.photo.write_bytes(photo)
    bodies.read.write_bytes(answer)
    return bodies


def publish(files: StaticFiles, bodies: Bodies, directory: Directory) -> References:
    photo = files.publish("photo.jpg", bodies.photo.read_bytes())
    read = files.publish("read.json", bodies.read.read_bytes())
    return References(
        wrk.Request(photo),
        wrk.Request(photo, headers={"If-None-Match": etag(photo)}),
        SignedRead(read, directory.onoffice, *LINKS_READ),
    )


def signed_read(base: str, directory: Directory) -> SignedRead:
    return SignedRead(base + onoffice.API_PATH, directory.onoffice, *LINKS_READ)


@contextmanager
def running(
    argv: Callable[[str, int, int], list[str]],
    app: str,
    directory: Directory,
    bodies: Bodies,
    workers: int,
) -> Iterator[str]:
    """The server with `app` (one of bench/apps.py) on a free port; yields its base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    body, media_type = (bodies.photo, "image/jpeg") if app == "bare" else (bodies.read, "")
    env = server_env(SERVER_SETTINGS | {"DATA_DIR": str(directory.data_dir), "PUBLIC_URL": base})
    env |= {
        "PYTHONPATH": str(Path(__file__).parent),
        "BENCH_BODY": str(body),
        "BENCH_TYPE": media_type,
        "MALLOC_ARENA_MAX": "2",  # as `userphoto serve` sets it
    }
    log = directory.data_dir / f"{app}-{port}.log"
    with answering(argv(f"apps:{app}", port, workers), log, env, f"{base}/healthz"):
        yield base


def app_scenarios(
    server: str, app: str, base: str, directory: Directory, references: References
) -> list[Scenario]:
    name = f"{server}, {app}"
    read: Callable[[], wrk.Request]
    if app == "bare":
        photo = wrk.Request(base + "/")
        revalidation = wrk.Request(photo.url, headers={"If-None-Match": ETAG.decode()})

        def read() -> wrk.Request:  # the same signed body, which `bare` reads and ignores
            return wrk.Request(base + onoffice.API_PATH, "POST", JSON, references.read().body)
    else:
        photo = wrk.Request(base + ONOFFICE_LINK)
        answer = httpx.get(photo.url)
        revalidation = wrk.Request(photo.url, headers={"If-None-Match": answer.headers["etag"]})
        read = signed_read(base, directory)
    return [
        Scenario(f"{name}: photo", PHOTO_TARGET, lambda: photo, lambda: references.photo),
        Scenario(
            f"{name}: 304",
            NOT_MODIFIED_TARGET,
            lambda: revalidation,
            lambda: references.not_modified,
        ),
        Scenario(f"{name}: onOffice read, 100 links", ONOFFICE_TARGET, read, references.read),
    ]


if __name__ == "__main__":
    main()
