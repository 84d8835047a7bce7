"""PostgreSQL stops and starts again under a load of reads and writes.

Every acknowledged write is there afterwards, the node recovers without being restarted,
and whatever failed in between failed as 503 with Retry-After.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.e2e.private_postgres import PrivatePostgres
from tests.e2e.processes import SCRIPT, free_port, stop, wait_for_health
from tests.e2e.test_cluster import photo_path
from tests.images import encode, solid
from userphoto.bootstrap import open_services
from userphoto.config import Settings
from userphoto.core.model import PhotoOwner, Scope
from userphoto.storage.engine import make_engine, migrate

SERVER_KEY = "restart-test-server-key"
WRITERS_USERS = range(1, 200)


@dataclass
class Load:
    base: str
    key: str
    acknowledged: dict[int, str] = field(default_factory=dict)
    statuses: list[int] = field(default_factory=list)
    retry_after_missing: int = 0
    stop: threading.Event = field(default_factory=threading.Event)

    def write(self, client: httpx.Client, user: int) -> None:
        photo = encode(solid((200, 200), (user % 256, 60, 160)), "JPEG")
        response = client.put(
            f"{self.base}/v1.0/users/{user}/photo/$value",
            content=photo,
            headers={"Authorization": f"Bearer {self.key}", "Content-Type": "image/jpeg"},
        )
        self.record(response)
        if response.is_success:
            self.acknowledged[user] = hashlib.sha256(photo).hexdigest()

    def read(self, client: httpx.Client, user: int) -> None:
        self.record(client.get(photo_path(self.base, user)))

    def record(self, response: httpx.Response) -> None:
        self.statuses.append(response.status_code)
        if response.status_code == 503 and "retry-after" not in response.headers:
            self.retry_after_missing += 1

    def run_writes(self) -> None:
        """Each user in turn; one that failed is tried again, as a client would."""
        users = iter(WRITERS_USERS)
        user = next(users)
        with httpx.Client(timeout=15) as client:
            while not self.stop.is_set():
                self.write(client, user)
                if user in self.acknowledged:
                    user = next(users)
                else:
                    time.sleep(0.05)

    def run_reads(self) -> None:
        with httpx.Client(timeout=15) as client:
            while not self.stop.is_set():
                written = list(self.acknowledged)
                if written:
                    self.read(client, written[-1])
                else:
                    time.sleep(0.01)


@pytest.fixture
def postgres() -> Iterator[PrivatePostgres]:
    folder = Path(tempfile.mkdtemp(prefix="userphoto-pg-"))
    folder.chmod(0o755)  # the postgres system user must reach its data folder
    server = PrivatePostgres(folder / "pg", free_port())
    server.start()
    try:
        yield server
    finally:
        if (server.data / "postmaster.pid").exists():
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def node(postgres: PrivatePostgres, tmp_path: Path) -> Iterator[Load]:
    engine = make_engine(postgres.url)
    migrate(engine)
    engine.dispose()
    seed = Settings(data_dir=tmp_path / "seed", database_url=postgres.url, server_key=SERVER_KEY)
    services = open_services(seed)
    services.directory.save_user({"number": 999, "email": "admin@example.org", "is_admin": True})
    for number in WRITERS_USERS:
        services.directory.save_user({"number": number})
    key = services.auth.create_key(999, "load", [Scope.ALL])[1]
    services.close()
    port = free_port()
    env = {
        **os.environ,
        "USERPHOTO_DATABASE_URL": postgres.url,
        "USERPHOTO_SERVER_KEY": SERVER_KEY,
    }
    with (tmp_path / "server.log").open("w") as log:
        process = subprocess.Popen(
            [str(SCRIPT), "serve", "--port", str(port), "--data-dir", str(tmp_path / "node")],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
    try:
        wait_for_health(f"http://127.0.0.1:{port}", process)
        yield Load(f"http://127.0.0.1:{port}", key)
        assert process.poll() is None, "the node died instead of waiting for the database"
    finally:
        stop(process)


def test_restart_under_load(postgres: PrivatePostgres, node: Load, tmp_path: Path) -> None:
    threads = [threading.Thread(target=node.run_writes), threading.Thread(target=node.run_reads)]
    for thread in threads:
        thread.start()
    time.sleep(1.5)
    written_before = len(node.acknowledged)
    postgres.stop()
    postgres.wait_until_down()
    time.sleep(2.0)
    postgres.start()
    time.sleep(3.0)
    node.stop.set()
    for thread in threads:
        thread.join(timeout=30)

    assert 503 in node.statuses, "the outage was never noticed: the test proved nothing"
    assert set(node.statuses) <= {200, 204, 503}, sorted(set(node.statuses))
    assert node.retry_after_missing == 0
    assert len(node.acknowledged) > written_before + 3, "writes did not resume"
    recovered = httpx.get(f"{node.base}/v1.0/users/1/photo", headers=auth(node), timeout=15)
    assert recovered.status_code == 200

    services = open_services(
        Settings(data_dir=tmp_path / "check", database_url=postgres.url, server_key=SERVER_KEY)
    )
    try:
        for user, content_hash in node.acknowledged.items():
            photo = services.photos.current(PhotoOwner.user(user))
            assert photo is not None, f"acknowledged photo of user {user} is lost"
            assert photo.content_hash == content_hash
    finally:
        services.close()


def auth(load: Load) -> dict[str, str]:
    return {"Authorization": f"Bearer {load.key}"}
