"""Startup: `userphoto serve` launched until the first 200 on /healthz and on a photo route."""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from servers import ServerError, free_port, serve_argv, server_env, spawn, stop

_POLL_SECONDS = 0.005
_TIMEOUT = 60.0


@dataclass(frozen=True)
class Startup:
    healthz: float  # seconds from launch
    photo: float


def time_to_answers(
    data_dir: Path, workers: int, settings: dict[str, str], photo_path: str
) -> Startup:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = data_dir / f"startup-{port}.log"
    started = time.monotonic()
    process = spawn(serve_argv(data_dir, port, workers), log, server_env(settings))
    try:
        healthz = _first_ok(f"{base}/healthz", started, process)
        photo = _first_ok(base + photo_path, started, process)
    finally:
        stop(process)
    return Startup(healthz, photo)


def _first_ok(url: str, started: float, process: subprocess.Popen[bytes]) -> float:
    while time.monotonic() - started < _TIMEOUT:
        try:
            if httpx.get(url, timeout=5).status_code == 200:
                return time.monotonic() - started
        except httpx.TransportError:
            pass
        if process.poll() is not None:
            raise ServerError(f"server exited before answering {url}")
        time.sleep(_POLL_SECONDS)
    raise ServerError(f"no 200 from {url} within {_TIMEOUT:g} s")
