"""The lean path for image URLs: answers remembered per request, sent without the framework.

A photo link or avatar URL that needs no credentials is answered the same way for everyone
until the directory changes; a photo behind credentials, the same way for the same
credentials. The first request goes through its dialect's route as usual; when that route
answers with an image it marks as public, or as made for the caller it authenticated and
authorised (web.photos), the answer is kept here with its header lists built once, keyed by
the request's identity: path, query, Accept and, for a caller's answer, a keyed digest of
the credential headers (Authorization, Cookie), so other or wrong credentials never find it.
Later requests of the same identity are answered by `ImageFastPath` straight from memory:
one dict lookup, the budgets the route would have spent (web.callers), 200 or 304, and an
Expires formatted once per second; a refused budget falls through to the route, which
refuses in its dialect's shape. Any change to the store (the records cache's generation,
moved by local writes and the change feed alike: users, photos, API keys, sessions) retires
every remembered answer at once, and a caller's answer ends with its session.
"""

from __future__ import annotations

import hmac
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from userphoto.core.auth import AuthService
from userphoto.core.model import Principal
from userphoto.core.services import Services
from userphoto.web.callers import ANYONE, Caller, Callers, CredentialHeaders, Credentials
from userphoto.web.security import ResponseHeaders
from userphoto.web.validators import http_date, not_modified

Headers = tuple[tuple[bytes, bytes], ...]
# Where a request that missed carries its identity to the route that will answer it.
SCOPE_KEY = "userphoto.image_identity"
# The request headers an image answer is shaped by, and those that carry credentials.
_SHAPING = (b"accept", b"if-none-match", b"if-modified-since", b"origin")
_CREDENTIALS = (b"authorization", b"cookie")
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
    presented: CredentialHeaders  # empty: the request presented no credentials
    callers: Callers

    def wants(self, caller: Principal | None, public: bool) -> bool:
        """Whether an answer may be kept for this request: a public one when it presented no
        credentials, one made for the authenticated `caller` when it did."""
        if not self.presented:
            return public and caller is None
        return caller is not None

    def remember(self, image: CachedImage, caller: Principal | None = None) -> None:
        """Kept for this request's identity, if it `wants` it; `caller` None: a public answer."""
        if not self.wants(caller, public=caller is None):
            return
        found = (
            ANYONE if caller is None else self.callers.of(caller, Credentials.of(self.presented))
        )
        if found is not None:
            self.cache.put(self.identity, image, found, self.generation)


class ImageCache:
    """Answers by request identity, valid while the records cache's generation stands."""

    def __init__(self, generation: Callable[[], int]) -> None:
        self.generation = generation
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, tuple[int, CachedImage, Caller]] = OrderedDict()

    def get(self, identity: Hashable, generation: int) -> tuple[CachedImage, Caller] | None:
        """The answer and whom it was made for."""
        with self._lock:
            found = self._entries.get(identity)
        if found is None or found[0] != generation:
            return None
        return found[1], found[2]

    def put(self, identity: Hashable, image: CachedImage, caller: Caller, generation: int) -> None:
        """Kept only if nothing changed since `generation` was read, before the answer was."""
        if len(image.body) > _MAX_BODY_BYTES or generation != self.generation():
            return
        with self._lock:
            self._entries[identity] = (generation, image, caller)
            self._entries.move_to_end(identity)
            while len(self._entries) > _MAX_ENTRIES:
                self._entries.popitem(last=False)


def image_fast_path(
    services: Services, headers: ResponseHeaders, cors: bool
) -> Callable[[ASGIApp], ASGIApp] | None:
    """What wraps the whole middleware stack, so a remembered answer costs no framework layer.

    None for a store without the records cache (the test fakes): nothing could retire answers.
    """
    memo = getattr(services.store, "memo", None)
    if memo is None:
        return None
    cache = ImageCache(memo.generation)
    return partial(
        ImageFastPath,
        cache=cache,
        auth=services.auth,
        callers=Callers(services.store),
        headers=headers,
        cors=cors,
    )


def pending_image(scope: Scope) -> PendingImage | None:
    """The slot an image answer to this request may be remembered in, if any."""
    return scope.get(SCOPE_KEY)


class ImageFastPath:
    """ASGI middleware answering remembered images in front of every other middleware.

    A hit skips them all, so it adds the security headers (web.security) itself. Under CORS
    a request with an Origin always goes through the stack, whose CORS middleware answers it.
    """

    def __init__(
        self,
        app: ASGIApp,
        cache: ImageCache,
        auth: AuthService,
        callers: Callers,
        headers: ResponseHeaders,
        cors: bool,
    ) -> None:
        self.app = app
        self._cache = cache
        self._auth = auth
        self._callers = callers
        self._headers = headers
        self._cors = cors
        # Credentials are held only as digests under this key, which never leaves the process.
        self._key = os.urandom(32)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        shaping, presented = _request_headers(scope)
        if self._cors and b"origin" in shaping:
            await self.app(scope, receive, send)
            return
        identity: Hashable = (scope["path"], scope["query_string"], shaping.get(b"accept", b""))
        if presented:
            identity = (*identity, self._digest(presented))
        generation = self._cache.generation()
        found = self._cache.get(identity, generation)
        if found is not None and found[1].admit(self._auth.limits, _client(scope)):
            await _send_image(found[0], shaping, send, self._headers.for_scope(scope))
            return
        scope[SCOPE_KEY] = PendingImage(self._cache, identity, generation, presented, self._callers)
        await self.app(scope, receive, send)

    def _digest(self, presented: CredentialHeaders) -> bytes:
        message = b"".join(
            name + len(value).to_bytes(4, "big") + value for name, value in presented
        )
        return hmac.digest(self._key, message, "sha256")


def _request_headers(scope: Scope) -> tuple[dict[bytes, bytes], CredentialHeaders]:
    """The first of each header that shapes an image answer, and every credential header."""
    shaping: dict[bytes, bytes] = {}
    presented: list[tuple[bytes, bytes]] = []
    for name, value in scope["headers"]:
        if name in _SHAPING:
            shaping.setdefault(name, value)
        elif name in _CREDENTIALS:
            presented.append((name, value))
    return shaping, tuple(presented)


def _client(scope: Scope) -> str | None:
    client = scope.get("client")
    return client[0] if client else None


async def _send_image(
    image: CachedImage, request: dict[bytes, bytes], send: Send, security: list[Any]
) -> None:
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
            "headers": [*image.not_modified_headers, expires, *security],
        }
        await send(start)
        await send({"type": "http.response.body", "body": b""})
        return
    headers: list[Any] = [*image.ok_headers, expires, *security]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": image.body})


def _text(value: bytes | None) -> str | None:
    return None if value is None else value.decode("latin-1")
