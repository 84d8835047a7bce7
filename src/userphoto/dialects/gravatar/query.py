"""The Gravatar/Libravatar URL: `/avatar/<hash>[.ext]?s=&d=&f=` read into plain values."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

DEFAULT_SIZE = 80
MAX_SIZE = 2048
_HASH = re.compile(r"[0-9a-f]{32}|[0-9a-f]{64}")
_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif")
_YES = frozenset({"y", "yes", "true", "1"})
# Gravatar's generated styles we do not draw fall back to our one generated style.
_KEYWORDS = {
    "404": "404",
    "mp": "mp",
    "mm": "mp",
    "initials": "initials",
    "blank": "blank",
    "identicon": "identicon",
    "monsterid": "identicon",
    "wavatar": "identicon",
    "retro": "identicon",
    "robohash": "identicon",
}


class BadAvatarRequest(Exception):
    """The URL cannot be answered as asked; the message says why."""


@dataclass(frozen=True, slots=True)
class AvatarQuery:
    digest: str
    size: int
    default: str  # a keyword: 404, mp, initials, blank, identicon; or "redirect"
    redirect: str | None
    force_default: bool
    name: str  # the `name`/`initials` parameter, for initials of an unknown address


def parse_query(
    segment: str, params: Mapping[str, str], redirect_hosts: frozenset[str]
) -> AvatarQuery:
    default, redirect = _default(_param(params, "d", "default"), redirect_hosts)
    return AvatarQuery(
        digest=_digest(segment),
        size=_size(_param(params, "s", "size")),
        default=default,
        redirect=redirect,
        force_default=_param(params, "f", "forcedefault").lower() in _YES,
        name=_param(params, "initials", "name"),
    )


def _param(params: Mapping[str, str], short: str, long: str) -> str:
    return (params.get(short) or params.get(long) or "").strip()


def _digest(segment: str) -> str:
    digest = segment.lower()
    for extension in _EXTENSIONS:
        digest = digest.removesuffix(extension)
    if not _HASH.fullmatch(digest):
        raise BadAvatarRequest(
            "the hash must be the MD5 (32 hex digits) or SHA-256 (64) of the e-mail address"
        )
    return digest


def _size(raw: str) -> int:
    """Libravatar ignores a size that is not a number; one out of range is clamped."""
    if not (raw.isascii() and raw.isdigit()):
        return DEFAULT_SIZE
    digits = raw.lstrip("0") or "0"
    # A longer run is past the clamp anyway; int() raises on one longer than 4300 digits.
    if len(digits) > len(str(MAX_SIZE)):
        return MAX_SIZE
    return min(max(int(digits), 1), MAX_SIZE)


def _default(raw: str, redirect_hosts: frozenset[str]) -> tuple[str, str | None]:
    if not raw:
        return "mp", None
    if raw.lower() in _KEYWORDS:
        return _KEYWORDS[raw.lower()], None
    url = _url(raw)
    if url is None or url.scheme not in {"http", "https"} or not url.hostname:
        raise BadAvatarRequest(f"unknown default {raw!r}: use 404, mp, initials, blank, identicon")
    if url.hostname.lower() not in redirect_hosts:
        raise BadAvatarRequest(
            f"the default image host {url.hostname} is not on the allow-list "
            "(USERPHOTO_GRAVATAR_DEFAULT_HOSTS)"
        )
    return "redirect", raw


def _url(raw: str) -> SplitResult | None:
    """`raw` split, or None when browsers may read its host otherwise than we do.

    A browser takes a backslash for a slash, so `http://evil.example\\@allowed.example/`
    goes to evil.example although urlsplit names allowed.example; userinfo, whitespace and
    control characters are refused for the same reason.
    """
    if "\\" in raw or any(c.isspace() or not c.isprintable() for c in raw):
        return None
    try:
        url = urlsplit(raw)
    except ValueError:  # an unclosed IPv6 bracket
        return None
    return None if "@" in url.netloc else url
