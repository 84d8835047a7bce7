"""The storage ports the core depends on. Adapters live in `userphoto.storage`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from userphoto.core.audit import AuditEntry
from userphoto.core.model import Address, ApiKey, ApiUser, Photo, PhotoOwner, Rendition, User
from userphoto.core.query import Page, UserQuery


class UserStore(Protocol):
    def get(self, number: int) -> User | None: ...
    def by_email(self, email: str) -> User | None: ...
    def by_uuid(self, uuid: str) -> User | None: ...
    def by_email_hash(self, digest: str) -> User | None: ...
    def by_username(self, username: str) -> User | None: ...
    def query(self, query: UserQuery) -> Page[User]: ...
    def next_number(self) -> int: ...
    def upsert(self, user: User) -> None: ...
    def delete(self, number: int) -> bool: ...


class AddressStore(Protocol):
    def get(self, address_id: int) -> Address | None: ...

    def list(self, search: str, limit: int, offset: int) -> Page[Address]:
        """By id; with `search`, only those with it in a name, the company or the e-mail
        (a case-insensitive substring, `%` and `_` included literally)."""
        ...

    def upsert(self, address: Address) -> None: ...
    def delete(self, address_id: int) -> bool: ...


class ApiUserStore(Protocol):
    def add(self, api_user: ApiUser, encrypted_secret: bytes) -> ApiUser: ...
    def by_token_hash(self, token_hash: str) -> tuple[ApiUser, bytes] | None: ...
    def list(self) -> list[ApiUser]: ...
    def revoke(self, api_user_id: int) -> bool: ...


class ApiKeyStore(Protocol):
    def add(self, key: ApiKey) -> ApiKey: ...
    def by_hash(self, key_hash: str) -> ApiKey | None: ...
    def list(self, user_number: int | None = None) -> list[ApiKey]: ...
    def revoke(self, key_id: int) -> bool: ...


class SessionStore(Protocol):
    def add(self, token_hash: str, user_number: int, expires_at: datetime) -> None: ...
    def get(self, token_hash: str) -> tuple[int, datetime] | None: ...
    def delete(self, token_hash: str) -> None: ...


@dataclass(frozen=True, slots=True)
class NewPhoto:
    """A rendered photo whose blobs are stored, ready to become its owner's current photo."""

    content_hash: str
    renditions: tuple[Rendition, ...]


class PhotoStore(Protocol):
    def current(self, owner: PhotoOwner) -> Photo | None: ...
    def current_many(self, owners: Iterable[PhotoOwner]) -> Mapping[PhotoOwner, Photo]: ...

    def make_current(self, owner: PhotoOwner, photo: NewPhoto) -> Photo:
        """Store `photo` and switch the owner to it in one transaction."""
        ...

    def clear(self, owner: PhotoOwner) -> bool:
        """Leave the owner without a current photo (its history stays)."""
        ...

    def prune(self, owner: PhotoOwner, keep: int) -> set[str]:
        """Drop all but the newest `keep` versions; return blob keys nothing references now."""
        ...


@dataclass(frozen=True, slots=True)
class StagedUpload:
    """An upload held back for a later crop; its blob is the normalised original."""

    id: str
    user_number: int
    blob_key: str
    width: int
    height: int
    media_type: str
    created_at: datetime


class StagedUploadStore(Protocol):
    def add(self, upload: StagedUpload) -> None: ...
    def get(self, upload_id: str) -> StagedUpload | None: ...

    def remove(self, upload_id: str) -> set[str]:
        """Forget the upload; return blob keys nothing references now (photos included)."""
        ...

    def expire(self, before: datetime) -> set[str]:
        """Forget uploads made before `before`; return blob keys nothing references now."""
        ...

    def blob_keys(self) -> set[str]:
        """The blob key of every upload waiting for its crop."""
        ...


# How long a write may take from storing its blobs to committing the photo that names them.
# Blobs are shared by content, so a blob another photo just stopped using may be about to be
# named again by a write in flight (whose put freshened it): nothing deletes an unreferenced
# blob written more recently than this, neither a prune nor `userphoto fsck`.
BLOB_GRACE = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class StoredBlob:
    """A stored blob and when it was last written: storing the same bytes again counts."""

    key: str
    written_at: datetime


class BlobStore(Protocol):
    """Content-addressed bytes: the key is the SHA-256 of the content."""

    def put(self, data: bytes) -> str: ...

    def put_many(self, items: Sequence[bytes]) -> list[str]:
        """`put` of each item, their keys in order; cheaper than one `put` at a time."""
        ...

    def get(self, key: str) -> bytes: ...

    def delete(self, key: str, written_before: datetime | None = None) -> None:
        """Remove the blob; with `written_before`, only if it was last written before then,
        decided atomically against a put of the same bytes (see BLOB_GRACE)."""
        ...

    def stored(self) -> Iterator[StoredBlob]:
        """Every blob held, referenced or not (what `userphoto fsck` checks for orphans)."""
        ...


class Store(Protocol):
    users: UserStore
    addresses: AddressStore
    api_users: ApiUserStore
    api_keys: ApiKeyStore
    sessions: SessionStore
    photos: PhotoStore
    staged: StagedUploadStore
    blobs: BlobStore
    audit: AuditStore
    history: PhotoHistoryStore

    def close(self) -> None: ...


class AuditStore(Protocol):
    def add(self, entry: AuditEntry) -> AuditEntry: ...

    def list(self, owner: PhotoOwner | None, limit: int, offset: int) -> Page[AuditEntry]:
        """Entries newest first, `owner`'s only when given."""
        ...


class PhotoHistoryStore(Protocol):
    def versions(self, owner: PhotoOwner, limit: int) -> list[Photo]:
        """The owner's stored versions, current or not, newest first."""
        ...

    def restore(self, owner: PhotoOwner, photo_id: int) -> Photo | None:
        """Make the owner's version `photo_id` current in one transaction; None if unknown."""
        ...

    def every_version(self) -> list[Photo]:
        """Every stored version of every owner, current or not, oldest first."""
        ...

    def replace_rendition(self, photo_id: int, rendition: Rendition) -> None:
        """Point version `photo_id`'s rendition of `rendition.size` at other bytes (a repair)."""
        ...
