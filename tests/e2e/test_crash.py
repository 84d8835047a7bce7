"""The server and an import are killed (SIGKILL) at random moments while photos are written.

Each round starts `userphoto serve` on one SQLite data dir, runs a photo import beside it
and 200 uploads from 20 threads through the native API, then kills both processes at
random moments. After each round every photo is wholly one upload: each upload has a solid
colour of its own (per user), and every rendition of a user's current photo shows the
colour of the upload its content hash names. The database passes its integrity check and
`userphoto fsck` finds nothing to repair. Users are given the same colours at different
times on purpose: their photos then share blobs, so a prune freeing a blob while another
upload stores the same bytes is among the races a round hits (it once lost a blob).

What the kills leave behind are blobs stored by uploads that never committed. fsck does
not count them while they are younger than its grace period, because it cannot tell them
from blobs of an upload still in flight (deleting those would lose a photo being saved);
with `--grace 0` they are listed as orphans, and this test checks that they are the only
thing a crash leaves: never a missing or damaged rendition.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import orjson
from typer.testing import CliRunner

from tests.core.test_atomicity import assert_store_is_whole
from tests.e2e.processes import SCRIPT, free_port, wait_for_health
from tests.images import decode, encode, solid
from userphoto.bootstrap import open_services
from userphoto.cli import app
from userphoto.config import Settings
from userphoto.core.model import PhotoOwner, Scope

ROUNDS = 5
UPLOADS = 200
THREADS = 20
USERS = range(1, 21)
ADMIN = 999
# Solid colours at least 51 apart in some channel: JPEG keeps them well within 20.
LEVELS = range(0, 256, 51)
PALETTE = [(r, g, b) for r in LEVELS for g in LEVELS for b in LEVELS]


class Uploads:
    """Every image made for the test, by content hash, each user's in colours of its own."""

    def __init__(self) -> None:
        self.colours: dict[str, tuple[int, int, int]] = {}
        self._made: dict[int, int] = {}

    def image(self, user: int) -> bytes:
        index = self._made.get(user, 0)
        self._made[user] = index + 1
        assert index < len(PALETTE), "colours would repeat for one user"
        colour = PALETTE[(index * 37 + user) % len(PALETTE)]
        data = encode(solid((300, 300), colour), "JPEG")
        self.colours[hashlib.sha256(data).hexdigest()] = colour
        return data


def test_kills_leave_every_photo_whole_and_nothing_to_repair(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    uploads = Uploads()
    key = seed(settings, uploads)
    rng = random.Random(8)
    acknowledged = failed = 0
    for round_ in range(ROUNDS):
        folder = import_folder(tmp_path / f"import-{round_}", uploads)
        ok, lost = crash_round(settings, key, uploads, folder, rng)
        acknowledged, failed = acknowledged + ok, failed + lost
        assert_store_is_whole(settings)
        assert_photos_are_whole(settings, uploads)
        assert_fsck_finds_nothing_to_repair(settings)
    assert acknowledged, "no upload ever finished: the kills proved nothing"
    assert failed, "no upload was ever cut off by a kill: the kills proved nothing"


def seed(settings: Settings, uploads: Uploads) -> str:
    services = open_services(settings)
    try:
        services.directory.save_user({"number": ADMIN, "is_admin": True})
        for user in USERS:
            services.directory.save_user({"number": user})
            services.photos.set_photo(PhotoOwner.user(user), uploads.image(user))
        return services.auth.create_key(ADMIN, "crash", [Scope.ALL])[1]
    finally:
        services.close()


def import_folder(folder: Path, uploads: Uploads) -> Path:
    folder.mkdir()
    for user in USERS:
        (folder / f"{user}.jpg").write_bytes(uploads.image(user))
    return folder


def crash_round(
    settings: Settings, key: str, uploads: Uploads, folder: Path, rng: random.Random
) -> tuple[int, int]:
    """Uploads and an import until both processes are killed: (acknowledged, cut off)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start("serve", "--port", str(port), "--data-dir", str(settings.data_dir))
    wait_for_health(base, server)
    importer = start(
        "photos", "import", str(folder), "--workers", "1", "--data-dir", str(settings.data_dir)
    )
    jobs = [(user, uploads.image(user)) for user in rng.choices(USERS, k=UPLOADS)]
    auth = {"Authorization": f"Bearer {key}"}
    with httpx.Client(timeout=10, headers=auth) as client, ThreadPoolExecutor(THREADS) as pool:
        results = pool.map(lambda job: upload(client, base, *job), jobs)
        time.sleep(rng.uniform(0.3, 2.0))
        kill(importer)
        time.sleep(rng.uniform(0.0, 0.8))
        kill(server)
        statuses = list(results)
    assert set(statuses) <= {200, 0}, sorted(set(statuses))
    return statuses.count(200), statuses.count(0)


def start(*args: str) -> subprocess.Popen[str]:
    # A session of its own, so that a kill reaches the import's worker processes too.
    return subprocess.Popen(
        [str(SCRIPT), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )


def kill(process: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError):  # it may have finished already
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def upload(client: httpx.Client, base: str, user: int, data: bytes) -> int:
    """The status, or 0 when the server went away before answering."""
    try:
        response = client.put(
            f"{base}/api/v1/users/{user}/photo",
            content=data,
            headers={"Content-Type": "image/jpeg"},
        )
    except httpx.TransportError:
        return 0
    return response.status_code


def assert_photos_are_whole(settings: Settings, uploads: Uploads) -> None:
    services = open_services(settings)
    try:
        for user in USERS:
            photo = services.photos.current(PhotoOwner.user(user))
            assert photo is not None, f"user {user} lost their photo"
            colour = uploads.colours[photo.content_hash]
            for rendition in photo.renditions:
                image = decode(services.photos.read(rendition)).convert("RGB")
                centre = image.getpixel((image.width // 2, image.height // 2))
                assert all(abs(a - b) <= 20 for a, b in zip(centre, colour, strict=True)), (
                    f"user {user}: the {rendition.size} rendition is {centre}, not {colour}"
                )
    finally:
        services.close()


def assert_fsck_finds_nothing_to_repair(settings: Settings) -> None:
    data_dir = str(settings.data_dir)
    plain = CliRunner().invoke(app, ["fsck", "--json", "--data-dir", data_dir])
    assert plain.exit_code == 0, plain.output
    assert orjson.loads(plain.stdout)["problems_left"] == 0
    aged = CliRunner().invoke(app, ["fsck", "--json", "--grace", "0", "--data-dir", data_dir])
    report = orjson.loads(aged.stdout)
    assert report["missing"] == report["damaged"] == report["staged_faults"] == []
    assert report["problems_left"] == len(report["orphans"])
