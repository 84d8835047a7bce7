"""In-process caches in front of the storage ports, coherent across processes and nodes.

Photo bytes are cached by blob key, a hash of their content, so they can never be stale.
Records (users, addresses, current photos) are cached until the change feed moves: any
write anywhere, seen through the store's own notification, clears them all. Metadata
thus always names the blob whose bytes it describes, so old bytes never meet new metadata.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any, Protocol, TypeVar

from userphoto.core.model import Address, Photo, PhotoOwner, User
from userphoto.core.ports import AddressStore, BlobStore, NewPhoto, PhotoStore, UserStore
from userphoto.core.query import Page, UserQuery

T = TypeVar("T")


class ChangeFeed(Protocol):
    """A number that moves whenever any process commits a change to the store."""

    def version(self) -> int: ...
    def close(self) -> None: ...


class Memo:
    """A cache of loaded records that empties itself when the feed's version moves."""

    def __init__(self, feed: ChangeFeed, check_every: float = 0.05) -> None:
        self._feed = feed
        self._check_every = check_every
        self._lock = threading.Lock()
        self._values: dict[Hashable, Any] = {}
        # Bumped by every clear, so a load that raced a write is never kept.
        self._generation = 0
        self._seen = feed.version()
        self._checked = time.monotonic()

    def get(self, key: Hashable, load: Callable[[], T]) -> T:
        known, value, generation = self.lookup(key)
        if known:
            return value
        value = load()
        self.put(key, value, generation)
        return value

    def lookup(self, key: Hashable) -> tuple[bool, Any, int]:
        """(whether the key is cached, its value, the generation to hand to `put`)."""
        self._refresh()
        with self._lock:
            return key in self._values, self._values.get(key), self._generation

    def put(self, key: Hashable, value: Any, generation: int) -> None:
        with self._lock:
            if generation == self._generation:
                self._values[key] = value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._generation += 1

    def _refresh(self) -> None:
        now = time.monotonic()
        if now - self._checked < self._check_every:
            return
        self._checked = now
        version = self._feed.version()
        if version != self._seen:
            self._seen = version
            self.clear()


class CachingUserStore:
    def __init__(self, inner: UserStore, memo: Memo) -> None:
        self._inner = inner
        self._memo = memo

    def get(self, number: int) -> User | None:
        return self._memo.get(("user", number), lambda: self._inner.get(number))

    def by_email(self, email: str) -> User | None:
        return self._memo.get(("email", email.lower()), lambda: self._inner.by_email(email))

    def by_uuid(self, uuid: str) -> User | None:
        return self._memo.get(("uuid", uuid), lambda: self._inner.by_uuid(uuid))

    def by_email_hash(self, digest: str) -> User | None:
        return self._memo.get(("hash", digest.lower()), lambda: self._inner.by_email_hash(digest))

    def by_username(self, username: str) -> User | None:
        key = ("username", username.lower())
        return self._memo.get(key, lambda: self._inner.by_username(username))

    def query(self, query: UserQuery) -> Page[User]:
        return self._inner.query(query)

    def next_number(self) -> int:
        return self._inner.next_number()

    def upsert(self, user: User) -> None:
        try:
            self._inner.upsert(user)
        finally:
            self._memo.clear()

    def delete(self, number: int) -> bool:
        try:
            return self._inner.delete(number)
        finally:
            self._memo.clear()


class CachingAddressStore:
    def __init__(self, inner: AddressStore, memo: Memo) -> None:
        self._inner = inner
        self._memo = memo

    def get(self, address_id: int) -> Address | None:
        return self._memo.get(("address", address_id), lambda: self._inner.get(address_id))

    def upsert(self, address: Address) -> None:
        try:
            self._inner.upsert(address)
        finally:
            self._memo.clear()

    def delete(self, address_id: int) -> bool:
        try:
            return self._inner.delete(address_id)
        finally:
            self._memo.clear()


class CachingPhotoStore:
    def __init__(self, inner: PhotoStore, memo: Memo) -> None:
        self._inner = inner
        self._memo = memo

    def current(self, owner: PhotoOwner) -> Photo | None:
        return self.current_many([owner]).get(owner)

    def current_many(self, owners: Iterable[PhotoOwner]) -> Mapping[PhotoOwner, Photo]:
        found: dict[PhotoOwner, Photo] = {}
        missing: list[PhotoOwner] = []
        generation = 0
        for owner in owners:
            known, photo, generation = self._memo.lookup(("photo", owner))
            if not known:
                missing.append(owner)
            elif photo is not None:
                found[owner] = photo
        if missing:
            loaded = self._inner.current_many(missing)
            for owner in missing:
                self._memo.put(("photo", owner), loaded.get(owner), generation)
            found.update(loaded)
        return found

    def make_current(self, owner: PhotoOwner, photo: NewPhoto) -> Photo:
        try:
            return self._inner.make_current(owner, photo)
        finally:
            self._memo.clear()

    def clear(self, owner: PhotoOwner) -> bool:
        try:
            return self._inner.clear(owner)
        finally:
            self._memo.clear()

    def prune(self, owner: PhotoOwner, keep: int) -> set[str]:
        return self._inner.prune(owner, keep)


class CachingBlobStore:
    """The most recently read photo bytes, up to `max_bytes` in all."""

    def __init__(self, inner: BlobStore, max_bytes: int) -> None:
        self._inner = inner
        self._max_bytes = max_bytes
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0

    def put(self, data: bytes) -> str:
        return self._inner.put(data)

    def get(self, key: str) -> bytes:
        with self._lock:
            data = self._entries.get(key)
            if data is not None:
                self._entries.move_to_end(key)
                return data
        data = self._inner.get(key)
        self._remember(key, data)
        return data

    def delete(self, key: str) -> None:
        self._inner.delete(key)
        with self._lock:
            dropped = self._entries.pop(key, None)
            self._size -= len(dropped or b"")

    def _remember(self, key: str, data: bytes) -> None:
        if len(data) > self._max_bytes:
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = data
            self._size += len(data)
            while self._size > self._max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._size -= len(evicted)
