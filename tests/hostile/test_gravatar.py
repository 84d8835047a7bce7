"""Hostile Gravatar/Libravatar URLs: a 400 in plain text for what cannot be answered, the
documented fallbacks for the rest, never an open redirect, and nothing stored."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from urllib.parse import quote

import httpx

from tests.hostile import payloads
from tests.hostile.cases import Case, check, parametrize
from tests.hostile.world import Wire, Worlds

BEN = hashlib.md5(b"ben@example.org").hexdigest()
UNKNOWN = hashlib.sha256(b"nobody@example.org").hexdigest()


def answer_of(response: httpx.Response) -> str:
    kind = response.headers.get("content-type", "").split(";")[0]
    if response.is_redirect:
        return "redirect:" + response.headers["location"]
    return kind


def get(path: str) -> Wire:
    return Wire("GET", path)


def hashes() -> Iterator[Case]:
    for name, value in {**payloads.TRAVERSALS, "sql": quote("' OR 1=1 --")}.items():
        yield Case("hash", name, lambda w, v=value: get(f"/avatar/{v}"), 400, "text/plain")
    for name, value in {
        "md5-short": BEN[:-1],
        "md5-long": BEN + "0",
        "uppercase-non-hex": BEN[:-1] + "G",
        "double-extension": BEN + ".jpg.php",
        "huge": "a" * 10_000,
        "unicode-hex": "０" * 32,
    }.items():
        yield Case("hash", name, lambda w, v=value: get(f"/avatar/{quote(v)}"), 400, "text/plain")
    for name, value in payloads.ESCAPING_TRAVERSALS.items():
        yield Case(
            "hash", f"escaping-{name}", lambda w, v=value: get(f"/avatar/{v}"), 404, "text/plain"
        )


def sizes() -> Iterator[Case]:
    # Libravatar ignores a size that is no number and clamps one out of range: photos result.
    for name, value in {
        "huge-digits": payloads.HUGE_DIGITS,
        "superscript": "²",
        "arabic-digits": "٣٣",
        "negative": "-5",
        "zero": "0",
        "leading-zeros": "0" * 50 + "48",
        "float": "4.8e1",
        "sql": "48 OR 1=1",
        "int64-overflow": str(2**64),
    }.items():
        yield Case(
            "size", name, lambda w, v=value: get(f"/avatar/{BEN}?s={quote(v)}"), 200, "image/jpeg"
        )


def defaults() -> Iterator[Case]:
    refused = {
        "loopback": "http://127.0.0.1/x.png",
        "metadata": "http://169.254.169.254/latest/meta-data/",
        "userinfo": "https://gravatar.com@evil.example/x.png",
        "userinfo-port": "https://gravatar.com:443@evil.example/",
        "backslash": "http://evil.example\\@gravatar.com/x.png",
        "backslash-path": "https://gravatar.com\\..\\evil.example/",
        "tab-in-host": "http://gravatar.com\tevil.example/",
        "newline-header-split": "http://gravatar.com/\r\nSet-Cookie: a=b",
        "lookalike-suffix": "http://gravatar.com.evil.example/x.png",
        "scheme-relative": "//evil.example/x.png",
        "javascript": "javascript:alert(document.cookie)",
        "data": "data:image/png;base64,iVBORw0KGgo=",
        "file": "file:///etc/passwd",
        "gopher": "gopher://gravatar.com/",
        "bad-ipv6": "http://[::1/x.png",
        "unknown-keyword": "monster'; DROP TABLE users; --",
    }
    for name, url in refused.items():
        yield Case(
            "default-redirect",
            name,
            lambda w, u=url: get(f"/avatar/{UNKNOWN}?d={quote(u, safe='')}"),
            400,
            "text/plain",
        )
    allowed = "https://gravatar.com/avatar/x.png"
    yield Case(
        "default-redirect",
        "allowed-host",
        lambda w: get(f"/avatar/{UNKNOWN}?d={quote(allowed, safe='')}"),
        302,
        f"redirect:{allowed}",
    )
    yield Case(
        "default-redirect",
        "forced-404",
        lambda w: get(f"/avatar/{BEN}?d=404&f=y"),
        404,
        "text/plain",
    )
    yield Case(
        "default-redirect",
        "initials-script",
        lambda w: get(f"/avatar/{UNKNOWN}?d=initials&name=" + quote("<script>x</script>")),
        200,
        "image/png",
    )


CASES = [*hashes(), *sizes(), *defaults()]


@parametrize(CASES)
def test_gravatar_refuses_hostile_input(worlds: Worlds, case: Case, kind: str) -> None:
    check(worlds.get(kind), case, answer_of)
