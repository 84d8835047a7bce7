"""The SQL adapters behind the ports: photo versions, blobs, API users."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import IntegrityError

from userphoto.core.errors import NotFound
from userphoto.core.model import PhotoOwner, Rendition, Right
from userphoto.core.ports import NewPhoto, StagedUpload
from userphoto.core.secrets import SecretBox
from userphoto.core.services import ApiUserService, Services

ANNA = PhotoOwner.user(17)


def new_photo(services: Services, tag: str, sizes: tuple[int | None, ...] = (None, 48)) -> NewPhoto:
    renditions = tuple(
        Rendition(
            size,
            size or 100,
            size or 100,
            "image/jpeg",
            services.store.blobs.put(f"{tag}-{size}".encode()),
            10,
        )
        for size in sizes
    )
    return NewPhoto(hashlib.sha256(tag.encode()).hexdigest(), renditions)


def test_make_current_switches_the_owner(services: Services) -> None:
    first = services.store.photos.make_current(ANNA, new_photo(services, "a"))
    second = services.store.photos.make_current(ANNA, new_photo(services, "b"))
    current = services.store.photos.current(ANNA)
    assert current is not None
    assert current.id == second.id != first.id
    assert current.content_hash == second.content_hash
    assert {r.size for r in current.renditions} == {None, 48}


def test_a_failed_write_leaves_the_old_photo_whole(services: Services) -> None:
    old = services.store.photos.make_current(ANNA, new_photo(services, "old"))
    broken = new_photo(services, "new", sizes=(None, 48, 48))  # duplicate key fails mid-insert
    with pytest.raises(IntegrityError):
        services.store.photos.make_current(ANNA, broken)
    current = services.store.photos.current(ANNA)
    assert current is not None
    assert current.id == old.id
    assert current.renditions == old.renditions


def test_current_many_and_clear(services: Services) -> None:
    address = PhotoOwner.address(5)
    services.store.photos.make_current(ANNA, new_photo(services, "a"))
    services.store.photos.make_current(address, new_photo(services, "addr"))
    found = services.store.photos.current_many([ANNA, address, PhotoOwner.user(99)])
    assert set(found) == {ANNA, address}
    assert services.store.photos.clear(ANNA)
    assert services.store.photos.current(ANNA) is None
    assert not services.store.photos.clear(ANNA)
    assert services.store.photos.current(address) is not None


def test_prune_keeps_the_newest_and_frees_only_unshared_blobs(services: Services) -> None:
    shared = new_photo(services, "shared")
    services.store.photos.make_current(ANNA, shared)
    services.store.photos.make_current(ANNA, new_photo(services, "middle"))
    services.store.photos.make_current(ANNA, shared)
    freed = services.store.photos.prune(ANNA, keep=1)
    assert freed == {r.blob_key for r in new_photo(services, "middle").renditions}
    assert services.store.photos.current(ANNA).content_hash == shared.content_hash


def test_blobs_are_content_addressed(services: Services) -> None:
    key = services.store.blobs.put(b"hello")
    assert key == hashlib.sha256(b"hello").hexdigest()
    assert services.store.blobs.put(b"hello") == key
    assert services.store.blobs.get(key) == b"hello"
    services.store.blobs.delete(key)
    with pytest.raises(NotFound):
        services.store.blobs.get(key)


@pytest.mark.parametrize("key", ["../../etc/passwd", "ab", "A" * 64, ""])
def test_blob_keys_cannot_escape_the_folder(services: Services, key: str) -> None:
    with pytest.raises(NotFound):
        services.store.blobs.get(key)


def test_api_user_secret_is_sealed_and_token_hashed(services: Services) -> None:
    services.directory.save_user({"number": 17})
    creds = services.api_users.create("crm", 17, [Right.READ_USER_DATA])
    assert len(creds.token) == 32 and len(creds.secret) == 64
    with services.store.engine.connect() as conn:  # type: ignore[attr-defined]
        dump = "\n".join(str(row) for row in conn.exec_driver_sql("SELECT * FROM api_users"))
    assert creds.token not in dump and creds.secret not in dump
    found = services.api_users.by_token(creds.token)
    assert found is not None
    assert found.secret == creds.secret
    assert found.may(Right.READ_USER_DATA)
    assert found.user_number == 17


def test_unknown_wrong_length_and_revoked_tokens_find_nobody(services: Services) -> None:
    creds = services.api_users.create("crm", None, [])
    assert services.api_users.by_token("x" * 32) is None
    assert services.api_users.by_token(creds.token[:-1]) is None
    services.api_users.revoke(creds.api_user.id)
    assert services.api_users.by_token(creds.token) is None
    with pytest.raises(NotFound):
        services.api_users.revoke(creds.api_user.id)


def test_api_user_for_a_missing_user_is_refused(services: Services) -> None:
    with pytest.raises(NotFound):
        services.api_users.create("crm", 404, [])


def test_another_server_key_cannot_open_secrets(services: Services, tmp_path) -> None:
    creds = services.api_users.create("crm", None, [])
    stranger = ApiUserService(services.store, SecretBox.from_setting_or_file("other", tmp_path))
    with pytest.raises(ValueError, match="another server key"):
        stranger.by_token(creds.token)


def test_prune_keeps_blobs_a_staged_upload_still_needs(services: Services) -> None:
    old = new_photo(services, "old")
    services.store.photos.make_current(ANNA, old)
    services.store.photos.make_current(ANNA, new_photo(services, "new"))
    staged_key = old.renditions[0].blob_key
    services.store.staged.add(
        StagedUpload("s1", 17, staged_key, 100, 100, "image/jpeg", datetime.now(UTC))
    )
    freed = services.store.photos.prune(ANNA, keep=1)
    assert staged_key not in freed
    assert freed == {r.blob_key for r in old.renditions[1:]}
