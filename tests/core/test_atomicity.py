"""A photo write is all or nothing, even when the writing process is killed half way."""

from __future__ import annotations

import hashlib
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text

from userphoto.bootstrap import open_services
from userphoto.config import Settings
from userphoto.core.model import VARIANT_SIZES, PhotoOwner

WRITER = """
import io, sys
from pathlib import Path
from PIL import Image
from userphoto.bootstrap import open_services
from userphoto.config import Settings
from userphoto.core.model import PhotoOwner

services = open_services(Settings(data_dir=Path(sys.argv[1])))
images = []
for colour in ("red", "blue", "green"):
    buf = io.BytesIO()
    Image.new("RGB", (900, 700), colour).save(buf, "JPEG")
    images.append(buf.getvalue())
print("ready", flush=True)
i = 0
while True:
    services.photos.set_photo(PhotoOwner.user(1), images[i % 3])
    i += 1
"""


def test_killed_writers_leave_whole_photos_only(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    services = open_services(settings)
    services.directory.save_user({"number": 1, "first_name": "Ada"})
    services.close()
    rng = random.Random(7)
    photos_seen = 0
    for _ in range(6):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(settings.data_dir)], stdout=subprocess.PIPE
        )
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.2, 1.5))
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        photos_seen += assert_store_is_whole(settings)
    assert photos_seen, "the writer never finished a photo: the test proved nothing"


def assert_store_is_whole(settings: Settings) -> bool:
    services = open_services(settings)
    try:
        with services.store.engine.connect() as conn:  # type: ignore[attr-defined]
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        photo = services.photos.current(PhotoOwner.user(1))
        if photo is None:
            return False
        assert {r.size for r in photo.renditions} == {None, *VARIANT_SIZES}
        for rendition in photo.renditions:
            data = services.photos.read(rendition)
            assert hashlib.sha256(data).hexdigest() == rendition.blob_key
            assert len(data) == rendition.length
        return True
    finally:
        services.close()
