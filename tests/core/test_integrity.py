"""`IntegrityChecker`: blobs against the records naming them, orphans, and repairs."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from tests.core.fakes import fake_services
from tests.images import decode, encode, solid
from userphoto.config import Settings
from userphoto.core.integrity import Fault, IntegrityChecker, IntegrityReport
from userphoto.core.model import Photo, PhotoOwner, Rendition
from userphoto.core.services import Services
from userphoto.storage.blobs import FileBlobStore
from userphoto.storage.schema import blobs

RED = (200, 30, 40)
BLUE = (30, 40, 200)
OWNER = PhotoOwner.user(1)


def photo_of(services: Services, colour: tuple[int, int, int]) -> Photo:
    services.directory.save_user({"number": OWNER.id, "first_name": "Ada"})
    return services.photos.set_photo(OWNER, encode(solid((1000, 800), colour), "JPEG"))


def check(services: Services, **options: object) -> IntegrityReport:
    return IntegrityChecker(services.store, services.photos.limits).check(**options)  # type: ignore[arg-type]


def damage(services: Services, settings: Settings, key: str) -> None:
    """Other bytes under the key, written behind the store's back as a failing disk would."""
    garbage = b"not the photo these bytes should be"
    if settings.effective_database_url.startswith("sqlite"):
        FileBlobStore(settings.data_dir / "blobs")._path(key).write_bytes(garbage)
        return
    with services.store.engine.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(update(blobs).where(blobs.c.key == key).values(data=garbage))


def age(services: Services, settings: Settings, key: str) -> None:
    """Make the blob look written long ago, as if the test had run for hours."""
    long_ago = datetime.now(UTC) - timedelta(days=1)
    if settings.effective_database_url.startswith("sqlite"):
        path = FileBlobStore(settings.data_dir / "blobs")._path(key)
        os.utime(path, (long_ago.timestamp(), long_ago.timestamp()))
        return
    with services.store.engine.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(update(blobs).where(blobs.c.key == key).values(written_at=long_ago))


def centre_colour(services: Services, rendition: Rendition) -> tuple[int, ...]:
    image = decode(services.photos.read(rendition)).convert("RGB")
    return image.getpixel((image.width // 2, image.height // 2))  # type: ignore[return-value]


def close_to(actual: tuple[int, ...], expected: tuple[int, ...]) -> bool:
    return all(abs(a - e) <= 12 for a, e in zip(actual, expected, strict=True))


def test_a_whole_store_has_nothing_to_report(services: Services) -> None:
    photo = photo_of(services, RED)
    report = check(services, repair=True)
    assert report.problems_left == 0
    assert report.faults == [] and report.orphans == [] and report.removed == []
    assert report.renditions_checked == len(photo.renditions)
    assert report.blobs_checked == len({r.blob_key for r in photo.renditions})
    assert report.blobs_stored == report.blobs_checked


def test_missing_and_damaged_variants_are_found_and_rendered_again(
    services: Services, settings: Settings
) -> None:
    photo = photo_of(services, RED)
    lost, broken = photo.rendition(96), photo.rendition(648)
    services.store.blobs.delete(lost.blob_key)
    damage(services, settings, broken.blob_key)

    found = check(services)
    assert {(f.rendition.size, f.fault) for f in found.faults} == {
        (96, Fault.MISSING),
        (648, Fault.DAMAGED),
    }
    assert found.problems_left == 2

    repaired = check(services, repair=True)
    assert len(repaired.repaired) == 2 and repaired.problems_left == 0
    current = services.photos.current(OWNER)
    assert current is not None and current.id == photo.id
    for size in (96, 648):
        again = current.rendition(size)
        assert (again.width, again.height) == (photo.rendition(size).width,) * 2
        assert close_to(centre_colour(services, again), RED)
    assert check(services).problems_left == 0


def test_a_variant_is_rendered_from_a_larger_intact_one_keeping_the_crop(
    services: Services,
) -> None:
    photo = photo_of(services, RED)
    # A blue original stands for a crop the variants show and the original does not.
    blue = services.store.blobs.put(encode(solid((700, 500), BLUE), "JPEG"))
    original = photo.original
    services.store.history.replace_rendition(
        photo.id, Rendition(None, original.width, original.height, original.media_type, blue, 1)
    )
    services.store.blobs.delete(original.blob_key)
    services.store.blobs.delete(photo.rendition(240).blob_key)

    report = check(services, repair=True)
    assert [f.rendition.size for f in report.repaired] == [240]
    current = services.photos.current(OWNER)
    assert current is not None
    assert close_to(centre_colour(services, current.rendition(240)), RED)


def test_a_version_without_its_original_cannot_be_repaired(services: Services) -> None:
    photo = photo_of(services, RED)
    services.store.blobs.delete(photo.original.blob_key)
    services.store.blobs.delete(photo.rendition(48).blob_key)
    report = check(services, repair=True)
    assert report.repaired == []
    assert {f.rendition.size for f in report.unrepairable} == {None, 48}
    assert report.problems_left == 2


def test_old_versions_are_checked_too(services: Services) -> None:
    old = photo_of(services, RED)
    photo_of(services, BLUE)
    services.store.blobs.delete(old.rendition(32).blob_key)
    report = check(services)
    assert [(f.photo.id, f.rendition.size) for f in report.faults] == [(old.id, 32)]


def test_unreferenced_blobs_are_orphans_only_after_the_grace_period(services: Services) -> None:
    photo_of(services, RED)
    stray = services.store.blobs.put(b"bytes of an upload killed before its commit")
    staged = services.staging.stage(OWNER.id, encode(solid((300, 300), BLUE), "JPEG"))

    young = check(services, repair=True)
    assert young.orphans == [] and young.recent_unreferenced == 1
    assert young.problems_left == 0

    aged = check(services, grace=timedelta(0))
    assert aged.orphans == [stray] and aged.problems_left == 1

    collected = check(services, grace=timedelta(0), repair=True)
    assert collected.removed == [stray] and collected.problems_left == 0
    assert stray not in {b.key for b in services.store.blobs.stored()}
    assert services.staging.read(staged)  # a staged upload's blob is no orphan


def test_storing_bytes_again_makes_an_orphan_young_again() -> None:
    services = fake_services()
    blobs = services.store.blobs
    key = blobs.put(b"orphan")
    assert check(services, grace=timedelta(0)).orphans == [key]
    blobs.written_at[key] -= timedelta(hours=2)  # type: ignore[attr-defined]
    assert check(services).orphans == [key]
    blobs.put(b"orphan")
    assert check(services).orphans == []


def test_a_blob_written_within_the_grace_period_is_not_deleted(services: Services) -> None:
    blobs_ = services.store.blobs
    key = blobs_.put(b"just stored by a write about to commit")
    blobs_.delete(key, written_before=datetime.now(UTC) - timedelta(minutes=1))
    assert blobs_.get(key)
    blobs_.delete(key, written_before=datetime.now(UTC) + timedelta(seconds=1))
    assert key not in {b.key for b in blobs_.stored()}


def test_pruned_versions_lose_their_blobs_unless_just_written(
    services: Services, settings: Settings
) -> None:
    old = photo_of(services, RED)
    old_keys = {r.blob_key for r in old.renditions}
    for key in old_keys:
        age(services, settings, key)
    for n in range(5):  # the history keeps 5 versions: the first one is pruned
        photo_of(services, (10 * n, 200, 100))
    assert not old_keys & {b.key for b in services.store.blobs.stored()}
    young = services.store.history.versions(OWNER, 1)[0]
    for n in range(5):
        photo_of(services, (10 * n, 100, 200))
    # Written moments ago, so possibly named again by a write in flight: kept for fsck.
    assert {r.blob_key for r in young.renditions} <= {b.key for b in services.store.blobs.stored()}
