"""Serving images over HTTP with the validators and cache headers every dialect shares.

The ETag is a hash of the bytes (a rendition's blob key), so it is strong and changes
exactly when the bytes do; a request whose If-None-Match matches, or (without
If-None-Match) whose If-Modified-Since is not older than Last-Modified, is answered 304
without reading the bytes. How long a client may keep an image depends on the URL: one
that names the photo by its hash never changes meaning and is cached for a year as
`immutable`; one that names a person (an id, an address, an e-mail hash) is kept briefly
and revalidated.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import Response

from userphoto.core.model import Principal, Rendition
from userphoto.web.imagecache import CachedImage, pending_image
from userphoto.web.validators import etag_matches as etag_matches
from userphoto.web.validators import http_date, not_modified

ONE_YEAR = 365 * 24 * 3600


@dataclass(frozen=True, slots=True)
class CachePolicy:
    """The Cache-Control of one kind of URL; `vary` names the request headers it negotiates."""

    max_age: int
    private: bool = False
    immutable: bool = False
    must_revalidate: bool = False
    vary: tuple[str, ...] = ()

    @classmethod
    def hashed_url(cls) -> CachePolicy:
        return cls(ONE_YEAR, immutable=True)

    @classmethod
    def id_url(cls, max_age: int, *, private: bool = False) -> CachePolicy:
        return cls(max_age, private=private, must_revalidate=True)

    @property
    def cache_control(self) -> str:
        parts = ["private" if self.private else "public", f"max-age={self.max_age}"]
        if self.immutable:
            parts.append("immutable")
        if self.must_revalidate:
            parts.append("must-revalidate")
        return ", ".join(parts)


def cache_headers(etag_key: str, modified: datetime, policy: CachePolicy) -> dict[str, str]:
    """The validators and freshness headers of an image, for its 200 and its 304 alike."""
    now = datetime.now(UTC)
    headers = {
        "ETag": f'"{etag_key}"',
        "Cache-Control": policy.cache_control,
        "Expires": http_date(int(now.timestamp()) + policy.max_age),
        "Last-Modified": http_date(int(min(modified, now).timestamp())),
    }
    if policy.vary:
        headers["Vary"] = ", ".join(policy.vary)
    return headers


def is_not_modified(request: Request, etag_key: str, modified: datetime) -> bool:
    """RFC 9110 §13.2.2: If-None-Match decides when present, else If-Modified-Since."""
    headers = request.headers
    return not_modified(
        headers.get("if-none-match"), headers.get("if-modified-since"), etag_key, modified
    )


def image_response(
    request: Request,
    etag_key: str,
    media_type: str,
    modified: datetime,
    policy: CachePolicy,
    body: Callable[[], bytes],
    headers: Mapping[str, str] | None = None,
    *,
    public: bool = False,
    caller: Principal | None = None,
) -> Response:
    """`body` loads the bytes and is called only when they are sent or remembered.

    web.imagecache may repeat the answer without this route: with `public`, for the same URL
    to anyone without credentials (it depends on nothing but the URL and the stored
    directory: no caller, no clock); with `caller`, the principal the route authenticated
    and authorised, for the same URL to the same credentials. Both hold until a change.
    """
    all_headers = {**cache_headers(etag_key, modified, policy), **(headers or {})}
    pending = pending_image(request.scope)
    image = None
    # A Last-Modified clamped to a clock reading would not hold for later requests.
    if pending is not None and pending.wants(caller, public) and modified <= datetime.now(UTC):
        # Kept on a 304 too: a client that only revalidates is then answered from memory.
        data = body()
        image = CachedImage.build(etag_key, modified, policy.max_age, all_headers, media_type, data)
        pending.remember(image, caller)
    if request.method in {"GET", "HEAD"} and is_not_modified(request, etag_key, modified):
        return Response(status_code=304, headers=all_headers)
    data = body() if image is None else image.body
    return Response(data, media_type=media_type, headers=all_headers)


def photo_response(
    request: Request,
    rendition: Rendition,
    modified: datetime,
    cache: CachePolicy | int,
    read: Callable[[Rendition], bytes],
    *,
    public: bool = False,
    caller: Principal | None = None,
) -> Response:
    """A stored rendition; a bare number for `cache` is a public max-age."""
    policy = cache if isinstance(cache, CachePolicy) else CachePolicy(cache)
    return image_response(
        request,
        rendition.blob_key,
        rendition.media_type,
        modified,
        policy,
        lambda: read(rendition),
        public=public,
        caller=caller,
    )


def named_in_accept(request: Request, candidates: Sequence[str]) -> str | None:
    """The first of `candidates` the Accept header names with a q above 0.

    Only a media type named outright counts: `*/*` and `image/*` also admit the JPEG every
    client can show, so they are no reason to send a newer format.
    """
    accepted = set()
    for item in request.headers.get("accept", "").split(","):
        media_type, *parameters = (part.strip() for part in item.split(";"))
        if not any(_is_zero_q(p) for p in parameters):
            accepted.add(media_type.lower())
    return next((c for c in candidates if c in accepted), None)


def _is_zero_q(parameter: str) -> bool:
    name, _, value = parameter.partition("=")
    if name.strip().lower() != "q":
        return False
    try:
        return float(value) <= 0
    except ValueError:
        return True
