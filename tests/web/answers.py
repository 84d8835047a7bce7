"""What a remembered image answer must share with the route's own answer."""

from __future__ import annotations

from datetime import UTC, datetime

from httpx import Response

_SHARED = ("etag", "cache-control", "last-modified", "content-type", "content-length")


def assert_same_image(first: Response, second: Response) -> datetime:
    """`second` repeats `first`: status, bytes and headers; returns its Expires."""
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    for name in _SHARED:
        assert second.headers[name] == first.headers[name]
    assert second.headers["x-content-type-options"] == "nosniff"
    expires = datetime.strptime(second.headers["expires"], "%a, %d %b %Y %H:%M:%S GMT")
    return expires.replace(tzinfo=UTC)
