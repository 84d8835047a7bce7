"""Server processes: userphoto started as the README documents, stopping, RSS from /proc.

Each server runs in a session of its own, so stopping it ends its workers too (granian's
supervisor spawns worker processes, nginx's master forks them).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import httpx

USERPHOTO = Path(sys.executable).with_name("userphoto")
_ENV_PREFIX = "USERPHOTO_"
_SPAWNED = "multiprocessing.spawn"


class ServerError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def spawn(argv: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    with log.open("w") as output:
        return subprocess.Popen(
            argv, stdout=output, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM (both servers shut their workers down on it), then SIGKILL the session."""
    if process.poll() is None:
        process.terminate()
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=15)
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def wait_until_answering(
    url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 60
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerError(f"{url}: server exited with {process.returncode}: {_tail(log)}")
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.05)
    raise ServerError(f"{url}: no answer within {timeout:g} s: {_tail(log)}")


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-2000:] if log.exists() else ""


@dataclass(frozen=True)
class Userphoto:
    base: str
    process: subprocess.Popen[bytes]
    worker_count: int

    def workers(self) -> list[int]:
        """The processes that answer requests: the supervisor's workers."""
        # granian spawns its workers with multiprocessing, next to a resource tracker.
        return [pid for pid in children(self.process.pid) if _SPAWNED in _cmdline(pid)]


def serve_argv(data_dir: Path, port: int, workers: int) -> list[str]:
    return [
        str(USERPHOTO),
        "serve",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--data-dir",
        str(data_dir),
    ]


def server_env(settings: dict[str, str]) -> dict[str, str]:
    """This environment without any USERPHOTO_* of the caller's, plus `settings`."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(_ENV_PREFIX)}
    return clean | {_ENV_PREFIX + name: value for name, value in settings.items()}


@contextmanager
def answering(
    argv: list[str], log: Path, env: dict[str, str] | None, url: str
) -> Iterator[subprocess.Popen[bytes]]:
    """The server `argv` starts, once `url` answers; stopped afterwards."""
    process = spawn(argv, log, env)
    try:
        wait_until_answering(url, process, log)
        yield process
    finally:
        stop(process)


@contextmanager
def userphoto(data_dir: Path, workers: int, settings: dict[str, str]) -> Iterator[Userphoto]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    argv, log = serve_argv(data_dir, port, workers), data_dir / f"server-{port}.log"
    with answering(argv, log, server_env(settings), f"{base}/healthz") as process:
        server = Userphoto(base, process, workers)
        _wait_for_workers(server)
        yield server


def _wait_for_workers(server: Userphoto, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while len(server.workers()) < server.worker_count:
        if time.monotonic() > deadline:
            raise ServerError(f"only {len(server.workers())} of {server.worker_count} workers")
        time.sleep(0.05)


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and _parent(entry) == pid:
            found.append(int(entry.name))
    return sorted(found)


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _parent(proc: Path) -> int | None:
    try:
        stat = (proc / "stat").read_text()
    except OSError:
        return None
    # The command name in parentheses may contain spaces; the fields after it do not.
    return int(stat.rsplit(")", 1)[1].split()[1])


def rss_mb(pid: int) -> float:
    return _status_kb(pid, "VmRSS") / 1024


def peak_rss_mb(pid: int) -> float:
    return _status_kb(pid, "VmHWM") / 1024


def reset_peak_rss(pid: int) -> None:
    """Linux: writing 5 to clear_refs resets VmHWM to the current RSS."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def _status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise ServerError(f"/proc/{pid}/status has no {field}")
