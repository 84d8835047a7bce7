"""`userphoto fsck` from the command line, on SQLite with blob files and on PostgreSQL."""

from __future__ import annotations

import orjson

from tests.e2e.conftest import Invoke, image_bytes
from userphoto.core.model import PhotoOwner
from userphoto.core.services import Services


def fsck(invoke: Invoke, *options: str) -> tuple[int, dict]:
    result = invoke("fsck", "--json", *options)
    return result.exit_code, orjson.loads(result.stdout)


def test_a_clean_store_passes(invoke: Invoke, services: Services) -> None:
    services.directory.save_user({"number": 1})
    services.photos.set_photo(PhotoOwner.user(1), image_bytes((800, 800)))
    code, report = fsck(invoke)
    assert code == 0
    assert report["problems_left"] == 0 and report["renditions_checked"] == 13
    table = invoke("fsck")
    assert table.exit_code == 0 and "problems left" in table.stdout and "clean" in table.stdout


def test_problems_are_reported_then_repaired(invoke: Invoke, services: Services) -> None:
    services.directory.save_user({"number": 1})
    photo = services.photos.set_photo(PhotoOwner.user(1), image_bytes((800, 800)))
    services.store.blobs.delete(photo.rendition(120).blob_key)
    orphan = services.store.blobs.put(b"left behind by a killed upload")

    code, report = fsck(invoke, "--grace", "0")
    assert code == 1
    assert report["missing"] == [f"user 1, version {photo.id}, 120px: blob missing"]
    assert report["orphans"] == [orphan] and report["problems_left"] == 2
    assert fsck(invoke)[1]["recent_unreferenced"] == 1  # within the default grace

    code, report = fsck(invoke, "--repair", "--grace", "0")
    assert code == 0, report
    assert len(report["repaired"]) == 1 and report["removed"] == [orphan]
    assert fsck(invoke, "--grace", "0")[1]["problems_left"] == 0


def test_unrepairable_problems_keep_the_exit_code(invoke: Invoke, services: Services) -> None:
    services.directory.save_user({"number": 1})
    photo = services.photos.set_photo(PhotoOwner.user(1), image_bytes())
    services.store.blobs.delete(photo.original.blob_key)
    result = invoke("fsck", "--repair")
    assert result.exit_code == 1
    assert "unrepairable" in result.stdout and "original: blob missing" in result.stdout
