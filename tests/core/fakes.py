"""An in-memory Store implementing the ports of userphoto.core.ports, for fast core tests.

It is the reference behaviour of the ports, with SQL's semantics where the SQL adapter has
them: NULL never compares (except `= None` / `!= None`, meaning IS [NOT] NULL), `like` is a
case-insensitive pattern with `%` and `_`, NULL sorts first ascending and last descending,
ties are broken by user number.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from cryptography.fernet import Fernet

from userphoto.core.errors import NotFound
from userphoto.core.model import Address, ApiUser, Photo, PhotoOwner, User
from userphoto.core.photos import PipelineLimits
from userphoto.core.ports import NewPhoto
from userphoto.core.query import Condition, Operator, Page, UserQuery
from userphoto.core.secrets import SecretBox
from userphoto.core.services import ApiUserService, DirectoryService, PhotoService, Services

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


def _matches(user: User, condition: Condition) -> bool:
    return _TESTS[condition.op](_field(user, condition.field), condition.value)


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

    def upsert(self, address: Address) -> None:
        self.addresses[address.id] = address

    def delete(self, address_id: int) -> bool:
        return self.addresses.pop(address_id, None) is not None


@dataclass
class _StoredApiUser:
    api_user: ApiUser
    sealed: bytes
    revoked: bool = False


class FakeApiUserStore:
    def __init__(self) -> None:
        self._rows: dict[int, _StoredApiUser] = {}

    def add(self, api_user: ApiUser, encrypted_secret: bytes) -> ApiUser:
        saved = replace(api_user, id=max(self._rows, default=0) + 1, secret="")
        self._rows[saved.id] = _StoredApiUser(saved, encrypted_secret)
        return saved

    def by_token_hash(self, token_hash: str) -> tuple[ApiUser, bytes] | None:
        for row in self._active():
            if row.api_user.token_hash == token_hash:
                return row.api_user, row.sealed
        return None

    def list(self) -> list[ApiUser]:
        return [row.api_user for row in self._active()]

    def revoke(self, api_user_id: int) -> bool:
        row = self._rows.get(api_user_id)
        if row is None or row.revoked:
            return False
        row.revoked = True
        return True

    def _active(self) -> list[_StoredApiUser]:
        return [self._rows[i] for i in sorted(self._rows) if not self._rows[i].revoked]


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


class FakeBlobStore:
    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}

    def put(self, data: bytes) -> str:
        key = hashlib.sha256(data).hexdigest()
        self.blobs[key] = data
        return key

    def get(self, key: str) -> bytes:
        try:
            return self.blobs[key]
        except KeyError:
            raise NotFound("blob", key) from None

    def delete(self, key: str) -> None:
        self.blobs.pop(key, None)


class FakeStore:
    def __init__(self) -> None:
        self.users = FakeUserStore()
        self.addresses = FakeAddressStore()
        self.api_users = FakeApiUserStore()
        self.photos = FakePhotoStore()
        self.blobs = FakeBlobStore()
        self.closed = False

    def close(self) -> None:
        self.closed = True


def fake_services(limits: PipelineLimits = DEFAULT_LIMITS, history: int = 5) -> Services:
    store = FakeStore()
    return Services(
        directory=DirectoryService(store),
        photos=PhotoService(store, limits, history),
        api_users=ApiUserService(store, SecretBox(Fernet.generate_key())),
        store=store,
    )
