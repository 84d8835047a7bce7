"""A full disk and a read-only data directory: writes fail clearly, reads go on, nothing breaks.

How the faults are made real (the tests run as root, whom file permissions do not stop):

- Disk full: the data dir lies on a 4 MiB tmpfs (`mount -t tmpfs -o size=4m`) filled up with
  a ballast file, so blob files and SQLite alike get the kernel's own ENOSPC. (RLIMIT_FSIZE,
  the other real mechanism, caps the size of one file, EFBIG, not the room left.) Freeing
  the ballast lets writes succeed again without a restart.
- Read-only data dir: the folder is bind-mounted read-only (`mount --bind`, then
  `mount -o remount,bind,ro`), which refuses writes with EROFS even to root. A mount cannot
  turn read-only while a process holds a file on it open for writing (EBUSY), so the store
  is opened on the read-only mount, as after an operator mounts a volume read-only or the
  kernel remounts a failing disk read-only and the service restarts.
- Read-only PostgreSQL: the session's `default_transaction_read_only=on`, as on a standby.

Without the right to mount, the two mount tests are skipped locally and fail under CI=true.
"""

from __future__ import annotations

import base64
import errno
import hashlib
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import orjson
import pytest
from sqlalchemy import text
from starlette.testclient import TestClient
from typer.testing import CliRunner

from tests.databases import postgres_schema
from tests.dialects.ews.soap import PATH as EWS_PATH
from tests.dialects.ews.soap import set_user_photo
from tests.images import encode, solid
from userphoto.bootstrap import open_services
from userphoto.cli import app as cli
from userphoto.config import Settings
from userphoto.core.model import PhotoOwner, Scope, email_hashes
from userphoto.core.services import Services
from userphoto.web.app import create_app

ADMIN, PERSON = 1, 2
EMAIL = "person@example.org"


def test_a_full_disk_refuses_photo_writes_and_serves_reads(tmp_path: Path) -> None:
    with mount(tmp_path / "small", "-t", "tmpfs", "-o", "size=4m", "tmpfs") as disk:
        settings = Settings(data_dir=disk / "data", public_url="http://testserver")
        key, before = seed(settings)
        services = open_services(settings)
        try:
            with TestClient(create_app(settings, services)) as client:
                ballast = fill(disk)
                assert_reads_work(client, key)
                assert_photo_writes_refused(client, key, 507, "storage-full", "quotaLimitReached")
                assert current_hash(services) == before
                ballast.unlink()
                assert upload(client, key).status_code == 200, "writes did not come back"
            assert_intact(settings, services)
        finally:
            services.close()


def test_a_read_only_data_dir_serves_reads_and_refuses_writes(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", public_url="http://testserver")
    key, before = seed(settings)
    checksum = folder_checksum(settings.data_dir)
    with mount(tmp_path / "ro", "--bind", str(settings.data_dir)) as read_only:
        remount_read_only(read_only)
        on_mount = settings.with_(data_dir=read_only)
        services = open_services(on_mount)
        try:
            with TestClient(create_app(on_mount, services)) as client:
                assert_reads_work(client, key)
                assert_photo_writes_refused(
                    client, key, 503, "store-read-only", "serviceNotAvailable"
                )
                assert_record_write_refused(client, key)
                # Inside the client: its shutdown closes the services' change feed.
                assert current_hash(services) == before
            assert_intact(on_mount, services)
        finally:
            services.close()
    assert folder_checksum(settings.data_dir) == checksum


def test_a_read_only_postgres_serves_reads_and_refuses_writes(tmp_path: Path) -> None:
    with postgres_schema() as url:
        settings = Settings(data_dir=tmp_path / "data", database_url=url, server_key="k")
        key, before = seed(settings)
        read_only = settings.with_(
            database_url=url + "%20-cdefault_transaction_read_only%3Don",
            public_url="http://testserver",
        )
        services = open_services(read_only)
        try:
            with TestClient(create_app(read_only, services)) as client:
                assert_reads_work(client, key)
                assert_photo_writes_refused(
                    client, key, 503, "store-read-only", "serviceNotAvailable"
                )
                assert_record_write_refused(client, key)
                # Inside the client: its shutdown closes the services' change feed.
                assert current_hash(services) == before
        finally:
            services.close()


@contextmanager
def mount(target: Path, *args: str) -> Iterator[Path]:
    target.mkdir()
    run_mount(*args, str(target))
    try:
        yield target
    finally:
        # Lazily: a store a failed test left open must not keep the mount (and the test) busy.
        subprocess.run(["umount", "--lazy", str(target)], check=True)


def remount_read_only(target: Path) -> None:
    run_mount("-o", "remount,bind,ro", str(target))
    assert not os.access(target, os.W_OK)


def run_mount(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    if done.returncode != 0:
        message = f"cannot mount here ({done.stderr.strip()}): the fault cannot be made"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def fill(disk: Path) -> Path:
    """A file taking every byte left on the disk: large writes, then single bytes."""
    ballast = disk / "ballast"
    fd = os.open(ballast, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (1 << 16, 1):
            while _wrote(fd, b"\0" * size):
                pass
    finally:
        os.close(fd)
    return ballast


def _wrote(fd: int, data: bytes) -> bool:
    try:
        return os.write(fd, data) > 0
    except OSError as exc:
        if exc.errno != errno.ENOSPC:
            raise
        return False


def seed(settings: Settings) -> tuple[str, str]:
    """The admin's key and the content hash of the person's photo."""
    services = open_services(settings)
    try:
        services.directory.save_user({"number": ADMIN, "is_admin": True})
        services.directory.save_user({"number": PERSON, "email": EMAIL})
        photo = services.photos.set_photo(PhotoOwner.user(PERSON), image((20, 120, 200)))
        return services.auth.create_key(ADMIN, "faults", [Scope.ALL])[1], photo.content_hash
    finally:
        services.close()


def image(colour: tuple[int, int, int]) -> bytes:
    return encode(solid((600, 600), colour), "JPEG")


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def upload(client: TestClient, key: str) -> httpx.Response:
    return client.put(
        f"/api/v1/users/{PERSON}/photo",
        content=image((200, 60, 20)),
        headers={**bearer(key), "Content-Type": "image/jpeg"},
    )


def assert_reads_work(client: TestClient, key: str) -> None:
    md5 = email_hashes(EMAIL)["email_md5"]
    for path in (
        f"/api/v1/users/{PERSON}",
        f"/api/v1/users/{PERSON}/photo/96",
        f"/v1.0/users/{PERSON}/photo/$value",
        f"/EWS/Exchange.asmx/s/GetUserPhoto?email={EMAIL}&size=HR96x96",
        f"/avatar/{md5}?s=80",
    ):
        response = client.get(path, headers=bearer(key))
        assert response.status_code == 200, (path, response.status_code, response.text)


def assert_photo_writes_refused(
    client: TestClient, key: str, status: int, problem: str, graph_code: str
) -> None:
    native = upload(client, key)
    assert native.status_code == status, native.text
    assert native.headers["content-type"] == "application/problem+json"
    assert native.json()["type"].endswith("/" + problem)
    graph = client.put(
        f"/v1.0/users/{PERSON}/photo/$value",
        content=image((90, 200, 90)),
        headers={**bearer(key), "Content-Type": "image/jpeg"},
    )
    assert graph.status_code == status and graph.json()["error"]["code"] == graph_code
    ews = client.post(
        EWS_PATH,
        content=set_user_photo(EMAIL, base64.b64encode(image((90, 90, 200))).decode()),
        headers={**bearer(key), "Content-Type": "text/xml; charset=utf-8"},
    )
    assert ews.status_code == 503 and b"ErrorServerBusy" in ews.content
    docspace = client.post(
        f"/api/2.0/people/{PERSON}/photo",
        files={"File": ("p.jpg", image((200, 200, 90)), "image/jpeg")},
        data={"Autosave": "true"},
        headers=bearer(key),
    )
    assert docspace.status_code == 503, docspace.text


def assert_record_write_refused(client: TestClient, key: str) -> None:
    patched = client.patch(
        f"/api/v1/users/{PERSON}", json={"first_name": "Changed"}, headers=bearer(key)
    )
    assert patched.status_code == 503, patched.text
    assert patched.json()["type"].endswith("/store-read-only")


def current_hash(services: Services) -> str | None:
    photo = services.photos.current(PhotoOwner.user(PERSON))
    return photo.content_hash if photo else None


def assert_intact(settings: Settings, services: Services) -> None:
    with services.store.engine.connect() as conn:  # type: ignore[attr-defined]
        assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    fsck = CliRunner().invoke(cli, ["fsck", "--json", "--data-dir", str(settings.data_dir)])
    assert fsck.exit_code == 0, fsck.output
    report = orjson.loads(fsck.stdout)
    assert report["missing"] == report["damaged"] == []


def folder_checksum(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
