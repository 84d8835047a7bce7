"""An in-memory Store implementing the ports of userphoto.core.ports, for fast core tests.

It is the reference behaviour of the ports, with SQL's semantics where the SQL adapter has
them: NULL never compares (except `= None` / `!= None`, meaning IS [NOT] NULL), `like` is a
case-insensitive pattern with `%` and `_`, NULL sorts first ascending and last descending,
ties are broken by user number.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from cryptography.fernet import Fernet

from userphoto.core.audit import AuditEntry, AuditService
from userphoto.core.auth import AuthService
from userphoto.core.errors import NotFound
from userphoto.core.fetching import FetchRefused
from userphoto.core.history import HistoryService
from userphoto.core.links import LinkSigner
from userphoto.core.model import Address, ApiKey, ApiUser, Photo, PhotoOwner, Rendition, User
from userphoto.core.photos import PipelineLimits
from userphoto.core.ports import NewPhoto, StagedUpload, StoredBlob
from userphoto.core.query import (
    ADDRESS_SEARCH_FIELDS,
    AnyOf,
    Clause,
    Operator,
    Page,
    UserQuery,
)
from userphoto.core.secrets import SecretBox
from userphoto.core.services import ApiUserService, DirectoryService, PhotoService, Services
from userphoto.core.staging import StagingService

DEFAULT_LIMITS = PipelineLimits()


def _sql_key(value: Any) -> tuple[int, Any]:
    """SQLite's order of values: NULL, then numbers, then text."""
    if value is None:
        return (0, 0)
    if isinstance(value, bool | int | float):
        return (1, value)
    return (2, str(value))


def _like(pattern: str) -> re.Pattern[str]:
    parts = (".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern)
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


def _as_text(value: Any) -> str:
    return str(int(value)) if isinstance(value, bool) else str(value)


def _compared(test: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    return lambda column, value: (
        column is not None and value is not None and test(_sql_key(column), _sql_key(value))
    )


def _between(column: Any, bounds: tuple[Any, Any]) -> bool:
    low, high = bounds
    return _compared(lambda c, lo: lo <= c)(column, low) and _compared(lambda c, hi: c <= hi)(
        column, high
    )


def _in(column: Any, values: tuple[Any, ...]) -> bool:
    return column is not None and _sql_key(column) in {_sql_key(v) for v in values if v is not None}


def _not_in(column: Any, values: tuple[Any, ...]) -> bool:
    if not values:
        return True
    return column is not None and None not in values and not _in(column, values)


_TESTS: dict[Operator, Callable[[Any, Any], bool]] = {
    Operator.EQ: lambda c, v: c is None if v is None else _compared(lambda a, b: a == b)(c, v),
    Operator.NE: lambda c, v: c is not None if v is None else _compared(lambda a, b: a != b)(c, v),
    Operator.GT: _compared(lambda a, b: a > b),
    Operator.LT: _compared(lambda a, b: a < b),
    Operator.GE: _compared(lambda a, b: a >= b),
    Operator.LE: _compared(lambda a, b: a <= b),
    Operator.BETWEEN: _between,
    Operator.IN: _in,
    Operator.NOT_IN: _not_in,
    Operator.LIKE: lambda c, v: c is not None and bool(_like(v).fullmatch(_as_text(c))),
    Operator.NOT_LIKE: lambda c, v: c is not None and not _like(v).fullmatch(_as_text(c)),
}


def _field(user: User, name: str) -> Any:
    value = getattr(user, name)
    return str(value) if name == "uuid" else value


def _matches(user: User, clause: Clause) -> bool:
    if isinstance(clause, AnyOf):
        return any(_matches(user, c) for c in clause.conditions)
    return _TESTS[clause.op](_field(user, clause.field), clause.value)


class FakeUserStore:
    def __init__(self) -> None:
        self.users: dict[int, User] = {}

    def get(self, number: int) -> User | None:
        return self.users.get(number)

    def by_email(self, email: str) -> User | None:
        return self._first(lambda u: u.email.lower() == email.lower())

    def by_uuid(self, uuid: str) -> User | None:
        return self._first(lambda u: str(u.uuid) == uuid)

    def by_username(self, username: str) -> User | None:
        return self._first(lambda u: u.username.lower() == username.lower())

    def query(self, query: UserQuery) -> Page[User]:
        found = [u for u in self._ordered() if all(_matches(u, c) for c in query.conditions)]
        for key in reversed(query.sort):  # stable sorts, last key first
            found.sort(key=lambda u: _sql_key(_field(u, key.field)), reverse=key.descending)
        return Page(found[query.offset : query.offset + query.limit], len(found))

    def next_number(self) -> int:
        return max(self.users, default=0) + 1

    def upsert(self, user: User) -> None:
        self.users[user.number] = user

    def delete(self, number: int) -> bool:
        return self.users.pop(number, None) is not None

    def _ordered(self) -> list[User]:
        return [self.users[n] for n in sorted(self.users)]

    def _first(self, test: Callable[[User], bool]) -> User | None:
        return next((u for u in self._ordered() if test(u)), None)


class FakeAddressStore:
    def __init__(self) -> None:
        self.addresses: dict[int, Address] = {}

    def get(self, address_id: int) -> Address | None:
        return self.addresses.get(address_id)

    def list(self, search: str, limit: int, offset: int) -> Page[Address]:
        found = [
            a
            for _, a in sorted(self.addresses.items())
            if any(search.lower() in getattr(a, f).lower() for f in ADDRESS_SEARCH_FIELDS)
        ]
        return Page(found[offset : offset + limit], len(found))

    def upsert(self, address: Address) -> None:
        self.addresses[address.id] = address

    def delete(self, address_id: int) -> bool:
        return self.addresses.pop(address_id, None) is not None


@dataclass
class _Row:
    record: Any
    sealed: bytes = b""
    revoked: bool = False


class _Revocable:
    """Rows with growing ids that can be revoked once; revoked rows are never found again."""

    def __init__(self) -> None:
        self._rows: dict[int, _Row] = {}

    def insert(self, record: Any, sealed: bytes = b"") -> Any:
        saved = replace(record, id=max(self._rows, default=0) + 1)
        self._rows[saved.id] = _Row(saved, sealed)
        return saved

    def live(self) -> list[_Row]:
        return [self._rows[i] for i in sorted(self._rows) if not self._rows[i].revoked]

    def revoke(self, row_id: int) -> bool:
        row = self._rows.get(row_id)
        if row is None or row.revoked:
            return False
        row.revoked = True
        return True


class FakeApiUserStore:
    def __init__(self) -> None:
        self._rows = _Revocable()

    def add(self, api_user: ApiUser, encrypted_secret: bytes) -> ApiUser:
        saved: ApiUser = self._rows.insert(replace(api_user, secret=""), encrypted_secret)
        return saved

    def by_token_hash(self, token_hash: str) -> tuple[ApiUser, bytes] | None:
        for row in self._rows.live():
            if row.record.token_hash == token_hash:
                return row.record, row.sealed
        return None

    def list(self) -> list[ApiUser]:
        return [row.record for row in self._rows.live()]

    def revoke(self, api_user_id: int) -> bool:
        return self._rows.revoke(api_user_id)


class FakeApiKeyStore:
    def __init__(self) -> None:
        self._rows = _Revocable()

    def add(self, key: ApiKey) -> ApiKey:
        saved: ApiKey = self._rows.insert(key)
        return saved

    def by_hash(self, key_hash: str) -> ApiKey | None:
        return next((k for k in self.list() if k.key_hash == key_hash), None)

    def list(self, user_number: int | None = None) -> list[ApiKey]:
        keys = [row.record for row in self._rows.live()]
        return [k for k in keys if user_number is None or k.user_number == user_number]

    def revoke(self, key_id: int) -> bool:
        return self._rows.revoke(key_id)


class FakeSessionStore:
    def __init__(self) -> None:
        self._sessions: dict[str, tuple[int, datetime]] = {}

    def add(self, token_hash: str, user_number: int, expires_at: datetime) -> None:
        now = datetime.now(UTC)
        self._sessions = {h: s for h, s in self._sessions.items() if s[1] >= now}
        self._sessions[token_hash] = (user_number, expires_at)

    def get(self, token_hash: str) -> tuple[int, datetime] | None:
        return self._sessions.get(token_hash)

    def delete(self, token_hash: str) -> None:
        self._sessions.pop(token_hash, None)


class FakePhotoStore:
    def __init__(self) -> None:
        self._photos: dict[int, Photo] = {}  # every version, by id (ids grow with time)
        self._current: dict[PhotoOwner, int] = {}

    def current(self, owner: PhotoOwner) -> Photo | None:
        photo_id = self._current.get(owner)
        return None if photo_id is None else self._photos[photo_id]

    def current_many(self, owners: Iterable[PhotoOwner]) -> Mapping[PhotoOwner, Photo]:
        return {o: self._photos[self._current[o]] for o in set(owners) if o in self._current}

    def make_current(self, owner: PhotoOwner, photo: NewPhoto) -> Photo:
        new_id = max(self._photos, default=0) + 1
        stored = Photo(new_id, owner, photo.content_hash, datetime.now(UTC), photo.renditions)
        self._photos[new_id] = stored
        self._current[owner] = new_id
        return stored

    def clear(self, owner: PhotoOwner) -> bool:
        return self._current.pop(owner, None) is not None

    def prune(self, owner: PhotoOwner, keep: int) -> set[str]:
        versions = sorted(
            (p for p in self._photos.values() if p.owner == owner), key=lambda p: p.id, reverse=True
        )
        current = self._current.get(owner)
        doomed = [p for p in versions[keep:] if p.id != current]
        keys = {r.blob_key for p in doomed for r in p.renditions}
        for p in doomed:
            del self._photos[p.id]
        still_used = {r.blob_key for p in self._photos.values() for r in p.renditions}
        return keys - still_used

    def versions(self, owner: PhotoOwner) -> list[Photo]:
        return sorted(
            (p for p in self._photos.values() if p.owner == owner), key=lambda p: p.id, reverse=True
        )

    def every_version(self) -> list[Photo]:
        return list(self._photos.values())

    def restore(self, owner: PhotoOwner, photo_id: int) -> Photo | None:
        photo = self._photos.get(photo_id)
        if photo is None or photo.owner != owner:
            return None
        self._current[owner] = photo_id
        return photo

    def blob_keys(self) -> set[str]:
        return {r.blob_key for p in self._photos.values() for r in p.renditions}

    def replace_rendition(self, photo_id: int, rendition: Rendition) -> None:
        photo = self._photos[photo_id]
        kept = tuple(r for r in photo.renditions if r.size != rendition.size)
        self._photos[photo_id] = replace(photo, renditions=(*kept, rendition))


class FakeAuditStore:
    def __init__(self) -> None:
        self.entries: list[AuditEntry] = []

    def add(self, entry: AuditEntry) -> AuditEntry:
        saved = replace(entry, id=len(self.entries) + 1)
        self.entries.append(saved)
        return saved

    def list(self, owner: PhotoOwner | None, limit: int, offset: int) -> Page[AuditEntry]:
        found = [e for e in reversed(self.entries) if owner is None or e.owner == owner]
        return Page(found[offset : offset + limit], len(found))


class FakePhotoHistoryStore:
    def __init__(self, photos: FakePhotoStore) -> None:
        self._photos = photos

    def versions(self, owner: PhotoOwner, limit: int) -> list[Photo]:
        return self._photos.versions(owner)[:limit]

    def restore(self, owner: PhotoOwner, photo_id: int) -> Photo | None:
        return self._photos.restore(owner, photo_id)

    def every_version(self) -> list[Photo]:
        return sorted(self._photos.every_version(), key=lambda p: p.id)

    def replace_rendition(self, photo_id: int, rendition: Rendition) -> None:
        self._photos.replace_rendition(photo_id, rendition)


class FakeBlobStore:
    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}
        self.written_at: dict[str, datetime] = {}

    def put(self, data: bytes) -> str:
        key = hashlib.sha256(data).hexdigest()
        self.blobs[key] = data
        self.written_at[key] = datetime.now(UTC)
        return key

    def put_many(self, items: Sequence[bytes]) -> list[str]:
        return [self.put(data) for data in items]

    def get(self, key: str) -> bytes:
        try:
            return self.blobs[key]
        except KeyError:
            raise NotFound("blob", key) from None

    def delete(self, key: str, written_before: datetime | None = None) -> None:
        written = self.written_at.get(key, datetime.min.replace(tzinfo=UTC))
        if written_before is None or written < written_before:
            self.blobs.pop(key, None)

    def stored(self) -> Iterator[StoredBlob]:
        for key in list(self.blobs):
            yield StoredBlob(key, self.written_at.get(key, datetime.min.replace(tzinfo=UTC)))


class FakeStagedUploadStore:
    def __init__(self, photos: FakePhotoStore) -> None:
        self._uploads: dict[str, StagedUpload] = {}
        self._photos = photos

    def add(self, upload: StagedUpload) -> None:
        self._uploads[upload.id] = upload

    def get(self, upload_id: str) -> StagedUpload | None:
        return self._uploads.get(upload_id)

    def remove(self, upload_id: str) -> set[str]:
        return self._drop([upload_id])

    def expire(self, before: datetime) -> set[str]:
        return self._drop([u.id for u in self._uploads.values() if u.created_at < before])

    def blob_keys(self) -> set[str]:
        return {u.blob_key for u in self._uploads.values()}

    def _drop(self, upload_ids: list[str]) -> set[str]:
        keys = {self._uploads.pop(i).blob_key for i in upload_ids if i in self._uploads}
        still_used = {u.blob_key for u in self._uploads.values()} | self._photos.blob_keys()
        return keys - still_used


class FakeUrlFetcher:
    """Serves the bodies a test registers by URL; refuses every other URL as unreachable."""

    def __init__(self) -> None:
        self.bodies: dict[str, bytes] = {}

    def fetch(self, url: str, max_bytes: int) -> bytes:
        if url not in self.bodies:
            raise FetchRefused("unreachable", f"no body registered for {url}")
        if len(self.bodies[url]) > max_bytes:
            raise FetchRefused("too-large", f"the body is longer than {max_bytes} bytes")
        return self.bodies[url]


class FakeStore:
    def __init__(self) -> None:
        self.users = FakeUserStore()
        self.addresses = FakeAddressStore()
        self.api_users = FakeApiUserStore()
        self.api_keys = FakeApiKeyStore()
        self.sessions = FakeSessionStore()
        self.photos = FakePhotoStore()
        self.staged = FakeStagedUploadStore(self.photos)
        self.blobs = FakeBlobStore()
        self.audit = FakeAuditStore()
        self.history = FakePhotoHistoryStore(self.photos)
        self.closed = False

    def close(self) -> None:
        self.closed = True


def fake_services(limits: PipelineLimits = DEFAULT_LIMITS, history: int = 5) -> Services:
    store = FakeStore()
    photos = PhotoService(store, limits, history)
    return Services(
        directory=DirectoryService(store),
        photos=photos,
        api_users=ApiUserService(store, SecretBox(Fernet.generate_key())),
        auth=AuthService(store),
        store=store,
        staging=StagingService(store, photos),
        fetcher=FakeUrlFetcher(),
        history=HistoryService(store, history),
        audit=AuditService(store),
        links=LinkSigner(os.urandom(32), 3600),
    )
