"""Staged uploads, against the in-memory fake and the SQL store alike."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.core.fakes import fake_services
from tests.databases import postgres_schema
from tests.images import GREEN, close, decode, encode, quadrants, solid
from userphoto.bootstrap import open_services
from userphoto.config import Settings
from userphoto.core.errors import InvalidImage, NotFound
from userphoto.core.model import CropBox, PhotoOwner
from userphoto.core.ports import StagedUpload
from userphoto.core.services import Services
from userphoto.core.staging import StagingService


@pytest.fixture(params=["fake", "sqlite", "postgresql"])
def services(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Services]:
    with ExitStack() as stack:
        if request.param == "fake":
            services = fake_services()
        else:
            url = stack.enter_context(postgres_schema()) if request.param == "postgresql" else ""
            services = open_services(
                Settings(data_dir=tmp_path / "data", database_url=url, server_key="test")
            )
        stack.callback(services.close)
        services.directory.save_user({"number": 7, "username": "gus"})
        services.directory.save_user({"number": 8, "username": "hal"})
        yield services


def test_stage_keeps_the_normalised_original(services: Services) -> None:
    upload = services.staging.stage(7, encode(quadrants(2000, 1000), "PNG"))
    assert len(upload.id) == 32 and int(upload.id, 16) >= 0
    assert (upload.width, upload.height) == (1280, 640)
    assert decode(services.staging.read(upload)).size == (1280, 640)
    assert services.photos.current(PhotoOwner.user(7)) is None


def test_stage_refuses_what_is_no_photo(services: Services) -> None:
    with pytest.raises(InvalidImage):
        services.staging.stage(7, b"not an image")


def test_an_upload_belongs_to_its_user(services: Services) -> None:
    upload = services.staging.stage(7, encode(solid((50, 50), GREEN), "PNG"))
    assert services.staging.get(upload.id, 7) == upload
    assert services.staging.find(upload.id) == upload
    with pytest.raises(NotFound):
        services.staging.get(upload.id, 8)
    with pytest.raises(NotFound):
        services.staging.commit(upload.id, 8, None)


def test_commit_crops_and_forgets_the_upload(services: Services) -> None:
    upload = services.staging.stage(7, encode(quadrants(400, 400), "PNG"))
    photo = services.staging.commit(upload.id, 7, CropBox(200, 0, 200, 200))
    assert services.photos.current(PhotoOwner.user(7)) == photo
    variant = decode(services.photos.read(photo.rendition(200))).convert("RGB")
    assert close(variant.getpixel((100, 100)), GREEN)
    with pytest.raises(NotFound):
        services.staging.find(upload.id)


def test_a_blob_a_photo_shares_survives_the_upload(services: Services) -> None:
    photo = services.photos.set_photo(PhotoOwner.user(7), encode(solid((50, 50), GREEN), "PNG"))
    shared = photo.original.blob_key
    upload = StagedUpload("f" * 32, 7, shared, 50, 50, "image/jpeg", datetime.now(UTC))
    services.store.staged.add(upload)
    assert services.store.staged.remove(upload.id) == set()
    assert services.photos.read(photo.original)


def test_expire_drops_old_uploads_and_their_blobs(services: Services) -> None:
    upload = services.staging.stage(7, encode(solid((50, 50), GREEN), "PNG"))
    assert services.staging.expire(datetime.now(UTC)) == 0
    assert services.staging.expire(datetime.now(UTC) + timedelta(hours=2)) == 1
    with pytest.raises(NotFound):
        services.staging.find(upload.id)
    with pytest.raises(NotFound):
        services.staging.read(upload)


def test_an_expired_upload_is_gone_before_any_sweep(services: Services) -> None:
    staging = StagingService(services.store, services.photos, timedelta(0))
    upload = staging.stage(7, encode(solid((50, 50), GREEN), "PNG"))
    with pytest.raises(NotFound):
        staging.find(upload.id)
