"""The encoded `data` of successful reads, kept until the directory changes.

Clients repeat the same read, each time with a new timestamp and signature; what it
answers depends on nothing else of the action than its resource, id and parameters, and
on the records. So the encoded answer is kept under those, for as long as the records
cache's generation stands (any write anywhere moves it): a repeated read then costs its
signature check and a lookup instead of a query and the encoding of up to 500 records.
Failed reads raise before anything is kept, and answers that name the time (signed
links) are never kept.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable

from userphoto.core.services import Services
from userphoto.dialects.onoffice import envelope
from userphoto.dialects.onoffice.resources import Listing
from userphoto.dialects.onoffice.wire import Action

# Enough for every read a handful of clients repeat; a 500-photo base64 read is megabytes.
MAX_ENTRIES = 256
MAX_BYTES = 32 * 1024 * 1024
# Lossless: 1, 1.0, true and 1e400 (read as infinity) are four keys, as they are four reads.
_KEY_ENCODER = json.JSONEncoder(separators=(",", ":"))


class ReadCache:
    def __init__(
        self,
        generation: Callable[[], int] | None,
        max_entries: int = MAX_ENTRIES,
        max_bytes: int = MAX_BYTES,
    ) -> None:
        """`generation` moves whenever the records change; None keeps nothing."""
        self._generation = generation
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, tuple[int, bytes]] = OrderedDict()
        self._size = 0

    @classmethod
    def of(cls, services: Services) -> ReadCache:
        # The store's records cache (SqlStore.memo); a store without one gives no generation.
        memo = getattr(services.store, "memo", None)
        return cls(None if memo is None else memo.generation)

    def data(self, action: Action, read: Callable[[], Listing]) -> bytes:
        """The action's encoded `data`: kept from an earlier read, or read now."""
        key = _key(action)
        if self._generation is None or key is None:
            return _encoded(read())
        generation = self._generation()
        known = self._known(key, generation)
        if known is not None:
            return known
        listing = read()
        encoded = _encoded(listing)
        # Kept only if no change raced the read: its answer may predate that change.
        if listing.lasting and generation == self._generation():
            self._keep(key, generation, encoded)
        return encoded

    def kept(self, action: Action) -> bytes | None:
        """The action's encoded `data` if it is kept; None when it needs reading."""
        key = _key(action)
        if self._generation is None or key is None:
            return None
        return self._known(key, self._generation())

    def _known(self, key: str, generation: int) -> bytes | None:
        with self._lock:
            known = self._entries.get(key)
            if known is None or known[0] != generation:
                return None
            self._entries.move_to_end(key)
            return known[1]

    def _keep(self, key: str, generation: int, encoded: bytes) -> None:
        if len(encoded) > self._max_bytes:
            return
        with self._lock:
            replaced = self._entries.pop(key, None)
            self._size -= len(replaced[1]) if replaced else 0
            self._entries[key] = (generation, encoded)
            self._size += len(encoded)
            while self._size > self._max_bytes or len(self._entries) > self._max_entries:
                _, (_, evicted) = self._entries.popitem(last=False)
                self._size -= len(evicted)


def _encoded(listing: Listing) -> bytes:
    return envelope.data(listing.records, listing.total)


def _key(action: Action) -> str | None:
    """Everything of the action a read depends on; None when it cannot be written down."""
    try:
        return _KEY_ENCODER.encode(
            [action.resourcetype, action.actionid, action.resourceid, action.parameters]
        )
    except RecursionError:  # parameters nested as deep as the parser allowed
        return None
