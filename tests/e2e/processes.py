"""Real server processes for end-to-end tests: free ports, waiting for health, stopping."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

SCRIPT = Path(sys.executable).with_name("userphoto")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_health(
    base: str, process: subprocess.Popen[str], timeout: float = 60
) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output, _ = process.communicate()
            pytest.fail(f"server exited with {process.returncode}: {output}")
        try:
            return httpx.get(f"{base}/healthz", timeout=2)
        except httpx.TransportError:
            time.sleep(0.2)
    pytest.fail("server did not answer /healthz in time")


def stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.kill()
        process.wait(timeout=10)
