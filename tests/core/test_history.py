"""Photo versions: the last few are listed, and an old one can become current again."""

from __future__ import annotations

import pytest

from tests.core.test_audit import directory_fixture  # noqa: F401 (the `directory` fixture)
from tests.images import encode, solid
from userphoto.core.audit import AuditAction
from userphoto.core.errors import NotFound
from userphoto.core.model import PhotoOwner
from userphoto.core.services import Services

ADA, BO = PhotoOwner.user(1), PhotoOwner.user(2)


def jpeg(shade: int) -> bytes:
    return encode(solid((80, 80), (shade, 40, 40)), "JPEG")


def test_versions_are_the_last_five_newest_first(directory: Services) -> None:
    made = [directory.photos.set_photo(ADA, jpeg(shade * 30)) for shade in range(7)]
    versions = directory.history.versions(ADA)
    assert [v.id for v in versions] == [p.id for p in reversed(made[-5:])]
    assert versions[0].renditions == made[-1].renditions


def test_restore_makes_an_old_version_current(directory: Services) -> None:
    old = directory.photos.set_photo(ADA, jpeg(10))
    new = directory.photos.set_photo(ADA, jpeg(200))
    restored = directory.history.restore(ADA, old.id)
    assert restored.id == old.id and restored.content_hash == old.content_hash
    current = directory.photos.current(ADA)
    assert current is not None and current.id == old.id
    entry = directory.audit.trail(ADA).items[0]
    assert entry.action is AuditAction.RESTORE
    assert (entry.old_hash, entry.new_hash) == (new.content_hash, old.content_hash)


def test_restore_works_after_a_delete(directory: Services) -> None:
    old = directory.photos.set_photo(ADA, jpeg(10))
    directory.photos.delete_photo(ADA)
    directory.history.restore(ADA, old.id)
    current = directory.photos.current(ADA)
    assert current is not None and current.id == old.id


def test_another_owners_version_cannot_be_restored(directory: Services) -> None:
    theirs = directory.photos.set_photo(BO, jpeg(10))
    mine = directory.photos.set_photo(ADA, jpeg(90))
    with pytest.raises(NotFound):
        directory.history.restore(ADA, theirs.id)
    current = directory.photos.current(ADA)
    assert current is not None and current.id == mine.id


def test_an_unknown_version_is_not_found(directory: Services) -> None:
    directory.photos.set_photo(ADA, jpeg(10))
    with pytest.raises(NotFound):
        directory.history.restore(ADA, 424242)
