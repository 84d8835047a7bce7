"""The shared image responses: validators, Cache-Control per kind of URL, 304 rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.testclient import TestClient

from userphoto.web.photos import CachePolicy, image_response, named_in_accept

MODIFIED = datetime(2026, 3, 1, 12, 0, 0, 500_000, tzinfo=UTC)
BODY = b"\xff\xd8 pretend jpeg"


def _client(policy: CachePolicy, reads: list[int]) -> TestClient:
    def body() -> bytes:
        reads.append(1)
        return BODY

    async def endpoint(request: Request) -> Response:
        return image_response(request, "k1", "image/jpeg", MODIFIED, policy, body)

    return TestClient(Starlette(routes=[Route("/img", endpoint, methods=["GET", "POST"])]))


def http_date(moment: datetime) -> str:
    return format_datetime(moment, usegmt=True)


@pytest.mark.parametrize(
    ("policy", "cache_control"),
    [
        (CachePolicy(300), "public, max-age=300"),
        (CachePolicy.hashed_url(), "public, max-age=31536000, immutable"),
        (CachePolicy.id_url(60), "public, max-age=60, must-revalidate"),
        (CachePolicy.id_url(60, private=True), "private, max-age=60, must-revalidate"),
    ],
)
def test_headers_of_a_200(policy: CachePolicy, cache_control: str) -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    response = _client(policy, []).get("/img")
    assert response.status_code == 200
    assert response.content == BODY
    assert response.headers["etag"] == '"k1"'
    assert response.headers["cache-control"] == cache_control
    assert response.headers["content-type"] == "image/jpeg"
    assert parsedate_to_datetime(response.headers["last-modified"]) == MODIFIED.replace(
        microsecond=0
    )
    expires = parsedate_to_datetime(response.headers["expires"])
    assert before + timedelta(seconds=policy.max_age) <= expires
    assert "vary" not in response.headers


def test_vary_names_the_negotiated_headers() -> None:
    response = _client(CachePolicy(60, vary=("Accept",)), []).get("/img")
    assert response.headers["vary"] == "Accept"


@pytest.mark.parametrize(
    "headers",
    [
        {"If-None-Match": '"k1"'},
        {"If-None-Match": "k1"},
        {"If-None-Match": 'W/"k1"'},
        {"If-None-Match": '"other", "k1"'},
        {"If-None-Match": "*"},
        {"If-Modified-Since": http_date(MODIFIED)},
        {"If-Modified-Since": http_date(MODIFIED + timedelta(days=1))},
    ],
)
def test_a_fresh_copy_gets_a_304_without_reading_the_bytes(headers: dict[str, str]) -> None:
    reads: list[int] = []
    response = _client(CachePolicy(60), reads).get("/img", headers=headers)
    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["etag"] == '"k1"'
    assert reads == []


@pytest.mark.parametrize(
    "headers",
    [
        {"If-None-Match": '"k2"'},
        {"If-Modified-Since": http_date(MODIFIED - timedelta(seconds=1))},
        {"If-Modified-Since": "yesterday-ish"},
        # If-None-Match decides whenever it is present (RFC 9110 13.2.2).
        {"If-None-Match": '"k2"', "If-Modified-Since": http_date(MODIFIED + timedelta(days=1))},
    ],
)
def test_a_stale_copy_gets_the_bytes(headers: dict[str, str]) -> None:
    response = _client(CachePolicy(60), []).get("/img", headers=headers)
    assert response.status_code == 200
    assert response.content == BODY


def test_only_safe_methods_get_a_304() -> None:
    response = _client(CachePolicy(60), []).post("/img", headers={"If-None-Match": '"k1"'})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        ("image/avif,image/webp,*/*;q=0.8", "image/avif"),
        ("image/webp, image/*", "image/webp"),
        ("IMAGE/WEBP", "image/webp"),
        ("image/avif;q=0, image/webp;q=0.5", "image/webp"),
        ("image/avif;q=0.0", None),
        ("image/avif;q=nonsense", None),
        ("*/*", None),
        ("image/*", None),
        ("", None),
    ],
)
def test_named_in_accept(accept: str, chosen: str | None) -> None:
    request = Request({"type": "http", "headers": [(b"accept", accept.encode())]})
    assert named_in_accept(request, ("image/avif", "image/webp")) == chosen
