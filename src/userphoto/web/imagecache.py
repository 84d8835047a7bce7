"""The lean path for public image URLs: answers remembered per URL, sent without the framework.

A photo link or avatar URL that needs no credentials is answered the same way for everyone
until the directory changes. The first request for it goes through its dialect's route as
usual; when that route answers with an image it marks as public (web.photos), the answer is
kept here, keyed by the request's identity (path, query, Accept), with its header lists built
once. Later requests for the same identity are answered by `ImageFastPath` straight from
memory: one dict lookup, the client's rate-limit budget, 200 or 304, and an Expires
formatted once per second. Any change to the store (the records cache's generation, moved
by local writes and the change feed alike) retires every remembered answer at once.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from userphoto.core.auth import AuthService
from userphoto.core.errors import RateLimited
from userphoto.core.services import Services
from userphoto.web.validators import http_date, not_modified

Headers = tuple[tuple[bytes, bytes], ...]
# Where a request that missed carries its identity to the route that will answer it.
SCOPE_KEY = "userphoto.image_identity"
# Requests with these headers may be answered per caller, never from the shared memory.
_PER_CALLER = (b"authorization", b"cookie")
_MAX_ENTRIES = 4096
_MAX_BODY_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class CachedImage:
    """One image answer with its header lists built once; Expires is added when sent."""

    etag_key: str
    modified: datetime
    max_age: int
    body: bytes
    ok_headers: Headers
    not_modified_headers: Headers

    @classmethod
    def build(
        cls,
        etag_key: str,
        modified: datetime,
        max_age: int,
        validators: dict[str, str],
        media_type: str,
        body: bytes,
    ) -> CachedImage:
        """`validators` are the image's headers but Expires, as web.photos computes them."""
        common = tuple(
            (name.lower().encode("latin-1"), value.encode("latin-1"))
            for name, value in validators.items()
            if name.lower() != "expires"
        )
        length = (b"content-length", str(len(body)).encode())
        ok = (*common, length, (b"content-type", media_type.encode("latin-1")))
        return cls(etag_key, modified, max_age, body, ok, common)


@dataclass(frozen=True, slots=True)
class PendingImage:
    """What the route that answers a missed request needs to remember its answer."""

    cache: ImageCache
    identity: Hashable
    generation: int

    def remember(self, image: CachedImage) -> None:
        self.cache.put(self.identity, image, self.generation)


class ImageCache:
    """Answers by request identity, valid while the records cache's generation stands."""

    def __init__(self, generation: Callable[[], int]) -> None:
        self.generation = generation
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, tuple[int, CachedImage]] = OrderedDict()

    def get(self, identity: Hashable, generation: int) -> CachedImage | None:
        with self._lock:
            found = self._entries.get(identity)
        if found is None or found[0] != generation:
            return None
        return found[1]

    def put(self, identity: Hashable, image: CachedImage, generation: int) -> None:
        """Kept only if nothing changed since `generation` was read, before the answer was."""
        if len(image.body) > _MAX_BODY_BYTES or generation != self.generation():
            return
        with self._lock:
            self._entries[identity] = (generation, image)
            self._entries.move_to_end(identity)
            while len(self._entries) > _MAX_ENTRIES:
                self._entries.popitem(last=False)


def image_fast_path(services: Services) -> list[Middleware]:
    """The middleware, innermost, so headers other middleware adds still reach every answer.

    None for a store without the records cache (the test fakes): nothing could retire answers.
    """
    memo = getattr(services.store, "memo", None)
    if memo is None:
        return []
    return [Middleware(ImageFastPath, cache=ImageCache(memo.generation), auth=services.auth)]


def pending_image(scope: Scope) -> PendingImage | None:
    """The slot a public image answer to this request may be remembered in, if any."""
    return scope.get(SCOPE_KEY)


class ImageFastPath:
    """ASGI middleware answering remembered public images before routing."""

    def __init__(self, app: ASGIApp, cache: ImageCache, auth: AuthService) -> None:
        self.app = app
        self._cache = cache
        self._auth = auth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        headers = _request_headers(scope)
        if headers is None:
            await self.app(scope, receive, send)
            return
        identity = (scope["path"], scope["query_string"], headers.get(b"accept", b""))
        generation = self._cache.generation()
        image = self._cache.get(identity, generation)
        if image is not None and self._admitted(scope):
            await _send_image(image, headers, send)
            return
        scope[SCOPE_KEY] = PendingImage(self._cache, identity, generation)
        await self.app(scope, receive, send)

    def _admitted(self, scope: Scope) -> bool:
        """The client's budget, as the route would spend it; a refusal is the route's to say."""
        client = scope.get("client")
        try:
            self._auth.limits.check_client(client[0] if client else None)
        except RateLimited:
            return False
        return True


def _request_headers(scope: Scope) -> dict[bytes, bytes] | None:
    """The headers that shape a public image answer; None for a request with credentials."""
    wanted: dict[bytes, bytes] = {}
    for name, value in scope["headers"]:
        if name in _PER_CALLER:
            return None
        if name in (b"accept", b"if-none-match", b"if-modified-since"):
            wanted[name] = value
    return wanted


async def _send_image(image: CachedImage, request: dict[bytes, bytes], send: Send) -> None:
    expires = (b"expires", http_date(int(time.time()) + image.max_age).encode())
    if not_modified(
        _text(request.get(b"if-none-match")),
        _text(request.get(b"if-modified-since")),
        image.etag_key,
        image.modified,
    ):
        start: Message = {
            "type": "http.response.start",
            "status": 304,
            "headers": [*image.not_modified_headers, expires],
        }
        await send(start)
        await send({"type": "http.response.body", "body": b""})
        return
    headers: list[Any] = [*image.ok_headers, expires]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": image.body})


def _text(value: bytes | None) -> str | None:
    return None if value is None else value.decode("latin-1")
