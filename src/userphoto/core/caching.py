"""In-process caches in front of the storage ports, coherent across processes and nodes.

Photo bytes are cached by blob key, a hash of their content, so they can never be stale.
Records (users, addresses, current photos) are cached until the change feed moves: any
write anywhere, seen through the store's own notification, clears them all. Metadata
thus always names the blob whose bytes it describes, so old bytes never meet new metadata.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol, TypeVar

from userphoto.core.model import Address, ApiKey, Photo, PhotoOwner, User
from userphoto.core.ports import (
    AddressStore,
    ApiKeyStore,
    BlobStore,
    NewPhoto,
    PhotoStore,
    StoredBlob,
    UserStore,
)
from userphoto.core.query import Page, UserQuery

T = TypeVar("T")


class ChangeFeed(Protocol):
    """A number that moves whenever any process commits a change to the store."""

    def version(self) -> int: ...
    def close(self) -> None: ...


class Memo:
    """A cache of loaded records that empties itself when the feed's version moves."""

    def __init__(
        self, feed: ChangeFeed, check_every: float = 0.05, max_entries: int = 100_000
    ) -> None:
        self._feed = feed
        self._check_every = check_every
        # Misses are kept too (a made-up e-mail hash is "not found"), so without a bound a
        # flood of unknown keys between two writes would grow the cache without end.
        self._max_entries = max_entries
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

    def lookup_many(self, keys: Iterable[Hashable]) -> tuple[dict[Hashable, Any], list[Any], int]:
        """`lookup` of many keys at once: (the cached values, the keys missing, generation)."""
        self._refresh()
        found: dict[Hashable, Any] = {}
        missing: list[Any] = []
        with self._lock:
            for key in keys:
                if key in self._values:
                    found[key] = self._values[key]
                else:
                    missing.append(key)
            return found, missing, self._generation

    def put(self, key: Hashable, value: Any, generation: int) -> None:
        with self._lock:
            if generation != self._generation:
                return
            if key not in self._values and len(self._values) >= self._max_entries:
                del self._values[next(iter(self._values))]
            self._values[key] = value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._generation += 1

    def generation(self) -> int:
        """A number that moves with every clear: what depended on the records is stale."""
        self._refresh()
        return self._generation

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
    """Users by every key, and the most recent pages of listings, until the next change."""

    def __init__(self, inner: UserStore, memo: Memo, max_pages: int = 256) -> None:
        self._inner = inner
        self._memo = memo
        self._max_pages = max_pages
        self._lock = threading.Lock()
        # Kept apart from the memo: listings are as many as clients make up, so they are bounded.
        self._pages: OrderedDict[UserQuery, tuple[int, Page[User]]] = OrderedDict()

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
        try:
            hash(query)
        except TypeError:  # a condition with a list value: such a listing is not kept
            return self._inner.query(query)
        generation = self._memo.generation()
        with self._lock:
            known = self._pages.get(query)
        if known is not None and known[0] == generation:
            return known[1]
        page = self._inner.query(query)
        if generation == self._memo.generation():
            with self._lock:
                self._pages[query] = (generation, page)
                self._pages.move_to_end(query)
                while len(self._pages) > self._max_pages:
                    self._pages.popitem(last=False)
        return page

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

    def list(self, search: str, limit: int, offset: int) -> Page[Address]:
        return self._inner.list(search, limit, offset)

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
        cached, missing_keys, generation = self._memo.lookup_many(("photo", o) for o in owners)
        found: dict[PhotoOwner, Photo] = {
            key[1]: photo for key, photo in cached.items() if photo is not None
        }
        missing: list[PhotoOwner] = [key[1] for key in missing_keys]
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


class Expiring:
    """Loaded values by key for `ttl` seconds at most, never past the next move of
    `generation` or a `clear`, and only the `max_entries` most recently loaded: for
    credentials presented on every request, whose changes the change feed may not carry
    (the time bound does). A None loaded is kept too: repeated unknown keys cost no query.

    A value is tagged with the generation and clears seen before it was loaded, so one
    that raced a change or a `clear` is never served.
    """

    def __init__(self, generation: Callable[[], int], ttl: float, max_entries: int) -> None:
        self._generation = generation
        self._ttl = ttl
        self._max_entries = max_entries
        self._lock = threading.Lock()
        self._cleared = 0
        self._entries: OrderedDict[Hashable, tuple[tuple[int, int], float, Any]] = OrderedDict()

    def get(self, key: Hashable, load: Callable[[], T]) -> T:
        epoch, started = self._epoch(), time.monotonic()
        found, value = self._find(key, epoch)
        if found:
            return value
        value = load()
        generation = self._generation()
        with self._lock:
            if epoch == (generation, self._cleared):
                # Aged from before the load: the value is at most that old.
                self._entries[key] = (epoch, started + self._ttl, value)
                self._entries.move_to_end(key)
                while len(self._entries) > self._max_entries:
                    self._entries.popitem(last=False)
        return value

    def peek(self, key: Hashable) -> Any:
        """What `get` would give without loading; None also when it would have to load."""
        return self._find(key, self._epoch())[1]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._cleared += 1

    def _epoch(self) -> tuple[int, int]:
        return self._generation(), self._cleared

    def _find(self, key: Hashable, epoch: tuple[int, int]) -> tuple[bool, Any]:
        with self._lock:
            known = self._entries.get(key)
        if known is None or known[0] != epoch or known[1] <= time.monotonic():
            return False, None
        return True, known[2]


class CachingApiKeyStore:
    """API keys by hash, for `ttl` seconds at most and never past the next change.

    Bearer callers present their key on every request; this spares each one a query.
    A revocation on another node moves the change feed (migration 0009 watches the keys);
    the time bound is a second line should a notification be lost. A revocation through
    this store, or any commit on SQLite, counts at once.
    """

    def __init__(
        self, inner: ApiKeyStore, memo: Memo, ttl: float = 1.0, max_entries: int = 10_000
    ) -> None:
        self._inner = inner
        self._memo = memo
        self._keys = Expiring(memo.generation, ttl, max_entries)

    def add(self, key: ApiKey) -> ApiKey:
        try:
            return self._inner.add(key)
        finally:
            self._memo.clear()

    def by_hash(self, key_hash: str) -> ApiKey | None:
        return self._keys.get(key_hash, lambda: self._inner.by_hash(key_hash))

    def list(self, user_number: int | None = None) -> list[ApiKey]:
        return self._inner.list(user_number)

    def revoke(self, key_id: int) -> bool:
        try:
            return self._inner.revoke(key_id)
        finally:
            self._memo.clear()


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

    def put_many(self, items: Sequence[bytes]) -> list[str]:
        return self._inner.put_many(items)

    def get(self, key: str) -> bytes:
        with self._lock:
            data = self._entries.get(key)
            if data is not None:
                self._entries.move_to_end(key)
                return data
        data = self._inner.get(key)
        self._remember(key, data)
        return data

    def delete(self, key: str, written_before: datetime | None = None) -> None:
        self._inner.delete(key, written_before)
        with self._lock:
            dropped = self._entries.pop(key, None)
            self._size -= len(dropped or b"")

    def stored(self) -> Iterator[StoredBlob]:
        return self._inner.stored()

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


class VerifiedPasswords:
    """Passwords that recently matched their stored hash, so a client sending Basic
    credentials on every request pays the deliberately slow KDF once per `ttl` seconds.

    Keyed by the stored hash, which changes with the password; only a keyed digest of the
    password is held (the key never leaves the process) and compared in constant time.
    """

    def __init__(self, ttl: float = 30.0, max_entries: int = 10_000) -> None:
        self._ttl = ttl
        self._max_entries = max_entries
        self._key = os.urandom(32)
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, tuple[bytes, float]] = OrderedDict()

    def verify(self, password: str, stored: str, slow_verify: Callable[[str, str], bool]) -> bool:
        digest = hmac.new(self._key, password.encode(), hashlib.sha256).digest()
        now = time.monotonic()
        with self._lock:
            known = self._entries.get(stored)
        if known is not None and known[1] > now and hmac.compare_digest(known[0], digest):
            return True
        if not slow_verify(password, stored):
            return False
        with self._lock:
            self._entries[stored] = (digest, now + self._ttl)
            self._entries.move_to_end(stored)
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)
        return True
