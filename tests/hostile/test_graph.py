"""Hostile Microsoft Graph requests: each gets Graph's OData error code, nothing is stored."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx

from tests.hostile import payloads
from tests.hostile.cases import Case, check, parametrize
from tests.hostile.world import Wire, World, Worlds

NOT_FOUND = "Request_ResourceNotFound"
INVALID = "invalidRequest"
DENIED = "Authorization_RequestDenied"
UNAUTHENTICATED = "InvalidAuthenticationToken"


def error_of(response: httpx.Response) -> str:
    if response.headers.get("content-type", "").startswith("text/plain"):
        return "router"
    if not response.content:
        return "empty"
    body = response.json()
    return body["error"]["code"] if "error" in body else "ok"


def as_ben(method: str, path: str, content: bytes | None = None, **headers: str) -> Any:
    def build(w: World) -> Wire:
        sent = {"Authorization": f"Bearer {w.ben_key}", "Content-Type": "image/jpeg", **headers}
        return Wire(method, "/v1.0" + path, sent, content)

    return build


def traversal() -> Iterator[Case]:
    for name, value in payloads.TRAVERSALS.items():
        for suffix in ("/photo", "/photo/$value", "/photos", "/photos/48x48/$value"):
            yield Case(
                "traversal",
                f"ref-{name}{suffix}",
                as_ben("GET", f"/users/{value}{suffix}"),
                404,
                NOT_FOUND,
            )
        yield Case(
            "traversal",
            f"ref-{name}-put",
            as_ben("PUT", f"/users/{value}/photo/$value", payloads.jpeg_photo()),
            404,
            NOT_FOUND,
        )
        yield Case("traversal", f"size-{name}", as_ben("GET", f"/me/photos/{value}"), 400, INVALID)
    for name, value in payloads.ESCAPING_TRAVERSALS.items():
        yield Case(
            "traversal", f"ref-{name}", as_ben("GET", f"/users/{value}/photo"), 404, "router"
        )


def references() -> Iterator[Case]:
    for i, fragment in enumerate(payloads.SQL_FRAGMENTS):
        yield Case(
            "sql-ref",
            f"ref-{i}",
            as_ben("GET", f"/users/{quote(fragment, safe='')}/photo"),
            404,
            NOT_FOUND,
        )
    odd = {
        "huge-number": payloads.HUGE_DIGITS,
        "int64-overflow": str(2**64),
        "superscript": quote("²"),
        "huge-text": "x" * 10_000,
        "uuid-like": "00000000-0000-0000-0000-00000000000g",
        "email-sql": quote("' OR 1=1 --@example.org"),
    }
    for name, value in odd.items():
        yield Case("sql-ref", name, as_ben("GET", f"/users/{value}/photo"), 404, NOT_FOUND)


def sizes() -> Iterator[Case]:
    for name, size in {
        "huge-digits": payloads.HUGE_DIGITS,
        "huge-square": f"{payloads.HUGE_DIGITS}x{payloads.HUGE_DIGITS}",
        "not-square": "48x96",
        "zero": "0x0",
        "negative": "-48x-48",
        "unicode-digits": quote("٤٨x٤٨"),
        "sql": quote("48x48' OR '1'='1"),
        "odata-key": "('48x48')",
    }.items():
        yield Case("sizes", name, as_ben("GET", f"/me/photos/{size}"), 400, INVALID)
        yield Case(
            "sizes", f"{name}-value", as_ben("GET", f"/me/photos/{size}/$value"), 400, INVALID
        )


def uploads() -> Iterator[Case]:
    for name, data in payloads.refused_images().items():
        yield Case("images", name, as_ben("PUT", "/me/photo/$value", data), 400, INVALID)
        yield Case(
            "images", f"patch-{name}", as_ben("PATCH", "/me/photo/$value", data), 400, INVALID
        )
    too_big = b"\xff\xd8" + b"\0" * (4 * 1024 * 1024)
    yield Case(
        "images", "over-4mb", as_ben("PUT", "/me/photo/$value", too_big), 413, "RequestBodyTooLarge"
    )
    yield Case(
        "images",
        "someone-elses",
        as_ben("PUT", "/users/ada/photo/$value", payloads.jpeg_photo()),
        403,
        DENIED,
    )
    yield Case(
        "images", "delete-someone-elses", as_ben("DELETE", "/users/1/photo/$value"), 403, DENIED
    )
    yield Case(
        "images",
        "gzip-bomb",
        as_ben(
            "PUT", "/me/photo/$value", payloads.png_inflating_bomb(), **{"Content-Encoding": "gzip"}
        ),
        400,
        INVALID,
    )


def tokens() -> Iterator[Case]:
    headers = {
        "none": "",
        "bearer-empty": "Bearer ",
        "bearer-short": "Bearer sk-1",
        "bearer-long": "Bearer sk-" + "c" * 10_000,
        "bearer-jwt-none-alg": "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.",
        "bearer-sql": "Bearer ' OR 1=1 --",
        "basic-nul": "Basic YWRhADpob3N0aWxlLXBhc3MtMTIz",
        "basic-garbage": "Basic ::::",
    }
    for name, value in headers.items():
        yield Case(
            "tokens",
            name,
            lambda w, v=value: Wire(
                "PUT",
                "/v1.0/me/photo/$value",
                {"Authorization": v} if v else {},
                payloads.jpeg_photo(),
            ),
            401,
            UNAUTHENTICATED,
        )


CASES = [*traversal(), *references(), *sizes(), *uploads(), *tokens()]


@parametrize(CASES)
def test_graph_refuses_hostile_input(worlds: Worlds, case: Case, kind: str) -> None:
    check(worlds.get(kind), case, error_of)
