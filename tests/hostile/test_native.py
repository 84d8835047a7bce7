"""Hostile native API requests: each gets its RFC 9457 problem type, nothing is stored.

The code read from an answer is the last part of the problem's `type` URI; a search that
finds nothing is `ok`, because SQL in a search is just text.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx

from tests.hostile import payloads
from tests.hostile.cases import Case, check, parametrize
from tests.hostile.world import Wire, World, Worlds
from userphoto.dialects.native.problems import MEDIA_TYPE, TYPE_BASE

API = "/api/v1"


def problem_of(response: httpx.Response) -> str:
    if response.headers.get("content-type", "") != MEDIA_TYPE:
        return "ok" if response.status_code < 400 else "not-a-problem"
    body = response.json()
    assert body["status"] == response.status_code
    return body["type"].removeprefix(TYPE_BASE)


def call(method: str, path: str, body: Any = None, key: str = "admin", **headers: str) -> Any:
    """A request with the admin's key (or Ben's); bytes bodies go as they are."""

    def build(w: World) -> Wire:
        token = w.admin_key if key == "admin" else w.ben_key
        sent = {"Authorization": f"Bearer {token}", "Content-Type": "application/json", **headers}
        content = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
        return Wire(method, API + path, sent, content)

    return build


def image_problem(reason: str) -> tuple[int, str]:
    if reason.startswith("too-many"):
        return 413, reason
    return (415, reason) if reason == "unknown-format" else (422, reason)


def json_bodies() -> Iterator[Case]:
    valid = b'{"email": "new@example.org", "first_name": "New"}'
    for name, body in payloads.json_truncations(valid).items():
        # pydantic reads NaN, so that document is well-formed and refused for its extra field.
        expected = (422, "invalid-body") if name == "nan" else (400, "malformed-json")
        yield Case("malformed-json", name, call("POST", "/users", body), *expected)
    for name, body in {
        "deep-array": payloads.DEEP_JSON_ARRAY[:30_000] + payloads.DEEP_JSON_ARRAY[-30_000:],
        "deep-object": payloads.DEEP_JSON_OBJECT,
        "empty": b"",
    }.items():
        yield Case("malformed-json", name, call("POST", "/users", body), 400, "malformed-json")
    yield Case(
        "malformed-json",
        "over-64k",
        call("POST", "/users", {"first_name": "x" * 70_000}),
        413,
        "too-large",
    )
    yield Case("malformed-json", "top-level-list", call("POST", "/users", [1]), 422, "invalid-body")
    yield Case(
        "malformed-json",
        "not-json-type",
        call("POST", "/users", valid, **{"Content-Type": "text/plain"}),
        415,
        "unsupported-media-type",
    )
    yield Case(
        "malformed-json",
        "gzip",
        call("POST", "/users", valid, **{"Content-Encoding": "gzip"}),
        415,
        "unsupported-encoding",
    )
    invalid = {
        "unknown-field": {"email": "n@example.org", "is_superuser": True},
        "number-string": {"number": "7"},
        "number-huge": {"number": 2**64},
        "number-negative": {"number": -1},
        "number-float": {"number": 1.5},
        "email-null": {"email": None},
        "email-object": {"email": {"$ne": ""}},
        "name-huge": {"first_name": "x" * 60_000},
        "name-nul": {"first_name": "a\x00b"},
        "admin-string": {"is_admin": "yes"},
        "proto": {"__proto__": {"is_admin": True}},
    }
    for name, body in invalid.items():
        yield Case(
            "wrong-types", f"create-{name}", call("POST", "/users", body), 422, "invalid-body"
        )
        yield Case(
            "wrong-types", f"patch-{name}", call("PATCH", "/users/2", body), 422, "invalid-body"
        )
    crops = {
        "crop-string": {"x": "0", "y": 0, "width": 10, "height": 10},
        "crop-negative": {"x": -1, "y": 0, "width": 10, "height": 10},
        "crop-huge": {"x": 0, "y": 0, "width": 2**40, "height": 10},
        "crop-missing": {"x": 0},
        "crop-extra": {"x": 0, "y": 0, "width": 10, "height": 10, "angle": 90},
    }
    for name, body in crops.items():
        yield Case(
            "wrong-types", name, call("POST", "/users/2/photo/crop", body), 422, "invalid-body"
        )
    yield Case(
        "wrong-types",
        "api-key-unknown-scope",
        call("POST", "/api-keys", {"user": 2, "scopes": ["root"]}),
        422,
        "invalid-body",
    )
    yield Case(
        "wrong-types",
        "api-user-bad-right",
        call("POST", "/api-users", {"name": "x", "rights": ["'; DROP TABLE api_users"]}),
        422,
        "invalid-body",
    )


def paths() -> Iterator[Case]:
    routes = {
        "user": ("GET", "/users/{t}"),
        "user-delete": ("DELETE", "/users/{t}"),
        "photo": ("GET", "/users/{t}/photo"),
        "photo-size": ("GET", "/users/2/photo/{t}"),
        "restore": ("POST", "/users/2/photo/versions/{t}/restore"),
        "address": ("GET", "/addresses/{t}"),
        "api-user-revoke": ("DELETE", "/api-users/{t}"),
        "api-key-revoke": ("DELETE", "/api-keys/{t}"),
    }
    values = {
        **payloads.TRAVERSALS,
        "huge": payloads.HUGE_DIGITS,
        "superscript": quote("²"),
        "int64": str(2**63),
        "negative": "-1",
        "zero": "0",
    }
    for value_name, value in values.items():
        for route_name, (method, path) in routes.items():
            yield Case(
                "traversal",
                f"{route_name}-{value_name}",
                call(method, path.replace("{t}", value)),
                422,
                "invalid-parameter",
            )
    for name, value in payloads.ESCAPING_TRAVERSALS.items():
        yield Case(
            "traversal", f"escaping-{name}", call("GET", f"/users/{value}"), 404, "not-a-problem"
        )


def queries() -> Iterator[Case]:
    for i, fragment in enumerate(payloads.SQL_FRAGMENTS):
        yield Case("search", f"sql-{i}", call("GET", f"/users?q={quote(fragment)}"), 200, "ok")
    for name, query in {
        "q-too-long": "q=" + "x" * 300,
        "q-nul": "q=a%00b",
        "limit-huge": f"limit={payloads.HUGE_DIGITS}",
        "limit-negative": "limit=-1",
        "limit-over-max": "limit=501",
        "offset-int64": f"offset={2**63}",
        "offset-text": "offset=ten",
        "audit-user-sql": "user=1%20OR%201%3D1",
    }.items():
        path = "/audit?" if name.startswith("audit") else "/users?"
        yield Case("search", name, call("GET", path + query), 422, "invalid-parameter")


def uploads() -> Iterator[Case]:
    for name, data in payloads.refused_images().items():
        status, kind = image_problem(payloads.REFUSAL_REASONS[name])
        yield Case(
            "images",
            name,
            call("PUT", "/users/2/photo", data, **{"Content-Type": "image/jpeg"}),
            status,
            kind,
        )

        def form(w: World, d: bytes = data) -> Wire:
            headers = {"Authorization": f"Bearer {w.admin_key}"}
            return Wire("PUT", f"{API}/users/2/photo", headers, files={"file": ("a.jpg", d)})

        yield Case("images-form", name, form, status, kind)
    jpeg = payloads.jpeg_photo()
    for name, query in {
        "crop-outside": "x=1000&y=1000&width=10&height=10",
        "crop-negative": "x=-5&y=0&width=10&height=10",
        "crop-huge": f"x=0&y=0&width={payloads.HUGE_DIGITS}&height=1",
    }.items():
        expected = (
            (422, "crop-outside-image") if name == "crop-outside" else (422, "invalid-parameter")
        )
        yield Case(
            "images",
            name,
            call("PUT", f"/users/2/photo?{query}", jpeg, **{"Content-Type": "image/jpeg"}),
            *expected,
        )
    yield Case(
        "images",
        "svg-type",
        call("PUT", "/users/2/photo", jpeg, **{"Content-Type": "image/svg+xml"}),
        415,
        "unsupported-media-type",
    )
    yield Case(
        "images",
        "gzip-bomb",
        call(
            "PUT",
            "/users/2/photo",
            payloads.png_inflating_bomb(),
            **{"Content-Type": "image/png", "Content-Encoding": "gzip"},
        ),
        415,
        "unsupported-encoding",
    )
    yield Case(
        "images",
        "someone-elses",
        call("PUT", "/users/1/photo", jpeg, key="ben", **{"Content-Type": "image/jpeg"}),
        403,
        "forbidden",
    )


def credentials() -> Iterator[Case]:
    for name, header in {
        "none": "",
        "bearer-short": "Bearer sk-",
        "bearer-long": "Bearer sk-" + "d" * 10_000,
        "bearer-nul": "Bearer sk-\x00\x00",
        "bearer-sql": "Bearer ' OR '1'='1",
        "basic-garbage": "Basic !!!",
        "basic-nul": "Basic YWRhADpob3N0aWxlLXBhc3MtMTIz",
        "basic-sql": "Basic JyBPUiAxPTEgLS06eA==",
    }.items():
        yield Case(
            "auth",
            name,
            lambda w, h=header: Wire("DELETE", f"{API}/users/3", {"Authorization": h} if h else {}),
            401,
            "unauthenticated",
        )

    def cookie_without_csrf(w: World) -> Wire:
        return Wire("DELETE", f"{API}/users/3", {"Cookie": f"userphoto_session={w.session}"})

    yield Case("auth", "session-without-csrf", cookie_without_csrf, 403, "csrf")

    def cookie_wrong_csrf(w: World) -> Wire:
        cookie = f"userphoto_session={w.session}; userphoto_csrf={w.csrf}"
        return Wire("DELETE", f"{API}/users/3", {"Cookie": cookie, "X-CSRF-Token": "x" * 32})

    yield Case("auth", "session-wrong-csrf", cookie_wrong_csrf, 403, "csrf")
    yield Case("auth", "not-admin", call("DELETE", "/users/3", key="ben"), 403, "forbidden")
    yield Case(
        "auth",
        "not-admin-key",
        call("POST", "/api-keys", {"user": 2, "scopes": ["*"]}, key="ben"),
        403,
        "forbidden",
    )


CASES = [*json_bodies(), *paths(), *queries(), *uploads(), *credentials()]


@parametrize(CASES)
def test_native_refuses_hostile_input(worlds: Worlds, case: Case, kind: str) -> None:
    check(worlds.get(kind), case, problem_of)
