"""Serving a stored photo rendition over HTTP with validators every dialect shares.

The ETag is the rendition's blob key, a hash of its bytes, so it is strong and changes
exactly when the bytes do; a matching If-None-Match is answered 304 without reading them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime

from starlette.requests import Request
from starlette.responses import Response

from userphoto.core.model import Rendition


def photo_response(
    request: Request,
    rendition: Rendition,
    modified: datetime,
    max_age: int,
    read: Callable[[Rendition], bytes],
) -> Response:
    """`read` loads the bytes and is called only when they are sent."""
    etag = f'"{rendition.blob_key}"'
    headers = {
        "ETag": etag,
        "Cache-Control": f"public, max-age={max_age}",
        "Last-Modified": format_datetime(modified.astimezone(UTC), usegmt=True),
        "X-Content-Type-Options": "nosniff",
    }
    if etag_matches(request.headers.get("if-none-match"), rendition.blob_key):
        return Response(status_code=304, headers=headers)
    return Response(read(rendition), media_type=rendition.media_type, headers=headers)


def etag_matches(if_none_match: str | None, key: str) -> bool:
    """If-None-Match compares weakly: W/"k", "k", a bare k, lists of them, or `*`."""
    if not if_none_match:
        return False
    for candidate in if_none_match.split(","):
        tag = candidate.strip().removeprefix("W/").strip('"')
        if tag in {key, "*"}:
            return True
    return False
