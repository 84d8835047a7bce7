"""HTTP validators of images, on header text alone: shared by the routes and the lean path."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import formatdate, parsedate_to_datetime
from functools import lru_cache


def not_modified(
    if_none_match: str | None, if_modified_since: str | None, etag_key: str, modified: datetime
) -> bool:
    """RFC 9110 §13.2.2: If-None-Match decides when present, else If-Modified-Since."""
    if if_none_match is not None:
        return etag_matches(if_none_match, etag_key)
    since = parse_http_date(if_modified_since)
    return since is not None and modified.replace(microsecond=0) <= since


def etag_matches(if_none_match: str | None, key: str) -> bool:
    """If-None-Match compares weakly: W/"k", "k", a bare k, lists of them, or `*`."""
    if not if_none_match:
        return False
    for candidate in if_none_match.split(","):
        tag = candidate.strip().removeprefix("W/").strip('"')
        if tag in {key, "*"}:
            return True
    return False


@lru_cache(maxsize=256)
def http_date(epoch_seconds: int) -> str:
    """An IMF-fixdate; cached, as the responses of one second name the same few dates."""
    return formatdate(epoch_seconds, usegmt=True)


def parse_http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
