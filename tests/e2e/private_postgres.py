"""A PostgreSQL server of the test's own, in a temporary folder, that it may stop and start.

The machine's shared server stays untouched, so tests running beside this one never see
the outage. Built from Debian's PostgreSQL binaries, run as the `postgres` system user
(initdb refuses root).
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest

BIN_ROOT = Path("/usr/lib/postgresql")


def server_binaries() -> Path:
    versions = sorted(BIN_ROOT.glob("*/bin/initdb"))
    if not versions:
        pytest.fail("Debian's PostgreSQL server binaries are not installed")
    return versions[-1].parent


class PrivatePostgres:
    def __init__(self, folder: Path, port: int) -> None:
        self.bin = server_binaries()
        self.folder = folder
        self.data = folder / "data"
        self.port = port
        folder.mkdir(parents=True)
        shutil.chown(folder, "postgres", "postgres")
        self._as_postgres("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres")

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        self._as_postgres(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.folder / "log"),
            "-w",
            "start",
        )

    def stop(self) -> None:
        self._as_postgres("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def wait_until_down(self, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while (self.data / "postmaster.pid").exists():
            assert time.monotonic() < deadline, "PostgreSQL did not stop"
            time.sleep(0.05)

    def _as_postgres(self, tool: str, *args: str) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", str(self.bin / tool), *args],
            check=True,
            capture_output=True,
            cwd=self.folder,
        )
