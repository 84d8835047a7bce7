"""`copy_store`: a whole directory between SQLite and PostgreSQL, resumable and verified."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.databases import postgres_schema
from tests.images import encode, solid
from userphoto.bootstrap import open_services
from userphoto.config import Settings
from userphoto.core.model import PhotoOwner, Right, Scope
from userphoto.core.services import Services
from userphoto.storage.copying import copy_store


def jpeg_bytes(width: int, height: int, seed: int) -> bytes:
    return encode(solid((width, height), (seed * 40 % 256, 90, 200 - seed * 20)), "JPEG")


@pytest.fixture
def other_url(database_url: str) -> Iterator[str]:
    """The other kind of store than the `services` fixture's: SQLite <-> PostgreSQL."""
    if database_url:
        yield ""
        return
    with postgres_schema() as url:
        yield url


@pytest.fixture
def target(tmp_path: Path, other_url: str, settings: Settings) -> Iterator[Services]:
    services = open_services(
        Settings(data_dir=tmp_path / "target", database_url=other_url, server_key="shared")
    )
    yield services
    services.close()


@pytest.fixture
def source(settings: Settings) -> Iterator[Services]:
    services = open_services(settings.with_(server_key="shared"))
    for number in (1, 2, 3):
        services.directory.save_user({"number": number, "email": f"u{number}@example.org"})
    services.directory.save_address({"id": 7, "last_name": "Lindenhof"})
    services.photos.set_photo(PhotoOwner.user(1), jpeg_bytes(600, 400, seed=1))
    services.photos.set_photo(PhotoOwner.user(1), jpeg_bytes(600, 400, seed=2))
    services.photos.set_photo(PhotoOwner.address(7), jpeg_bytes(300, 300, seed=3))
    services.api_users.create("crm", 1, [Right.READ_USER_DATA])
    services.auth.create_key(2, "script", [Scope.PEOPLE_READ])
    yield services
    services.close()


def test_everything_arrives_and_is_verified(source: Services, target: Services) -> None:
    report = copy_store(source.store, target.store)
    assert report.problems == []
    assert report.rows["users"] == 3
    assert report.blobs_verified == report.blobs_copied > 0
    photo = target.photos.current(PhotoOwner.user(1))
    assert photo == source.photos.current(PhotoOwner.user(1))
    assert target.photos.read(photo.rendition(96)) == source.photos.read(photo.rendition(96))
    assert target.photos.current(PhotoOwner.address(7)) is not None
    assert target.api_users.list()[0].name == "crm"
    assert target.auth.keys(2)[0].scopes == {Scope.PEOPLE_READ}


def test_new_rows_on_the_target_do_not_collide(source: Services, target: Services) -> None:
    copy_store(source.store, target.store)
    target.photos.set_photo(PhotoOwner.user(2), jpeg_bytes(200, 200, seed=9))
    assert target.api_users.create("new", None, []).api_user.id == 2


def test_an_interrupted_copy_resumes(source: Services, target: Services) -> None:
    def stop_in_photos(what: str, done: int, total: int) -> None:
        if what == "photos":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        copy_store(source.store, target.store, stop_in_photos)
    report = copy_store(source.store, target.store)
    assert report.problems == []
    assert target.photos.current(PhotoOwner.user(1)) == source.photos.current(PhotoOwner.user(1))
    again = copy_store(source.store, target.store)
    assert again.blobs_copied == 0
    assert again.problems == []


def test_a_blob_that_does_not_match_its_hash_is_reported(
    source: Services, target: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy_store(source.store, target.store)
    damaged = target.photos.current(PhotoOwner.user(1)).original.blob_key
    real_get = target.store.blobs.get
    monkeypatch.setattr(
        target.store.blobs, "get", lambda key: b"bit rot" if key == damaged else real_get(key)
    )
    report = copy_store(source.store, target.store)
    assert report.problems == [f"blob {damaged} does not match its content hash"]
