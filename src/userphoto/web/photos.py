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
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime

from starlette.requests import Request
from starlette.responses import Response

from userphoto.core.model import Rendition

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
        "Expires": _http_date(now + timedelta(seconds=policy.max_age)),
        "Last-Modified": _http_date(min(modified, now)),
        "X-Content-Type-Options": "nosniff",
    }
    if policy.vary:
        headers["Vary"] = ", ".join(policy.vary)
    return headers


def is_not_modified(request: Request, etag_key: str, modified: datetime) -> bool:
    """RFC 9110 §13.2.2: If-None-Match decides when present, else If-Modified-Since."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        return etag_matches(if_none_match, etag_key)
    since = _parse_http_date(request.headers.get("if-modified-since"))
    return since is not None and modified.replace(microsecond=0) <= since


def image_response(
    request: Request,
    etag_key: str,
    media_type: str,
    modified: datetime,
    policy: CachePolicy,
    body: Callable[[], bytes],
    headers: Mapping[str, str] | None = None,
) -> Response:
    """`body` loads the bytes and is called only when they are sent."""
    all_headers = {**cache_headers(etag_key, modified, policy), **(headers or {})}
    if request.method in {"GET", "HEAD"} and is_not_modified(request, etag_key, modified):
        return Response(status_code=304, headers=all_headers)
    return Response(body(), media_type=media_type, headers=all_headers)


def photo_response(
    request: Request,
    rendition: Rendition,
    modified: datetime,
    cache: CachePolicy | int,
    read: Callable[[Rendition], bytes],
) -> Response:
    """A stored rendition; a bare number for `cache` is a public max-age."""
    policy = cache if isinstance(cache, CachePolicy) else CachePolicy(cache)
    return image_response(
        request, rendition.blob_key, rendition.media_type, modified, policy, lambda: read(rendition)
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


def etag_matches(if_none_match: str | None, key: str) -> bool:
    """If-None-Match compares weakly: W/"k", "k", a bare k, lists of them, or `*`."""
    if not if_none_match:
        return False
    for candidate in if_none_match.split(","):
        tag = candidate.strip().removeprefix("W/").strip('"')
        if tag in {key, "*"}:
            return True
    return False


def _http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def _parse_http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
