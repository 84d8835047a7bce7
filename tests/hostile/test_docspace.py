"""Hostile DocSpace requests: each gets DocSpace's envelope for it, and nothing is stored.

The code read from an answer is the error envelope's message (up to any detail after a
colon), `validation:<field>` for the wrapped model-binding 400, `upload:<message>` for a
refused upload (a 200 with `success: false`), or `empty` for a bodiless status.
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

API = "/api/2.0"
DENIED = "Access denied"
NOT_FOUND = "The user could not be found"
DOWNLOAD_FAILED = "Failed to download photo"
UNKNOWN_IMAGE = "upload:Unknown image file type"
TOO_LARGE = "upload:Image size is too large"


def error_of(response: httpx.Response) -> str:
    if not response.content:
        return "empty"
    body = response.json()
    if "error" in body:
        return body["error"]["message"].split(":")[0]
    answer = body["response"]
    if body["status"] == 1:
        return "validation:" + ",".join(answer["errors"])
    if isinstance(answer, dict) and answer.get("success") is False:
        return "upload:" + answer["message"]
    return "ok"


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def as_ben(method: str, path: str, body: Any = None, raw: bytes | None = None) -> Any:
    def build(w: World) -> Wire:
        headers = {**bearer(w.ben_key), "Content-Type": "application/json"}
        content = raw if raw is not None else None if body is None else json.dumps(body).encode()
        return Wire(method, API + path.format(me=w.ben.number), headers, content)

    return build


def upload(data: bytes, autosave: str = "true", name: str = "photo.jpg") -> Any:
    def build(w: World) -> Wire:
        return Wire(
            "POST",
            f"{API}/people/{w.ben.number}/photo",
            bearer(w.ben_key),
            files={"File": (name, data, "image/jpeg")},
            data={"Autosave": autosave},
        )

    return build


def ssrf() -> Iterator[Case]:
    # Forms whose address is refused by the block list before any connection.
    # data: and javascript: have no "://", so they are read as paths on this portal, whose
    # name the fake DNS does not know.
    unreachable = {"data", "javascript"}
    for name, url in payloads.SSRF_URLS.items():
        code = DOWNLOAD_FAILED if name in unreachable else DENIED
        yield Case("ssrf", name, as_ben("PUT", "/people/{me}/photo", {"files": url}), 403, code)
    for name, target in payloads.REDIRECT_TARGETS.items():

        def through_redirect(w: World, t: str = target) -> Wire:
            url = f"{w.redirector}/?to={quote(t, safe='')}"
            return as_ben("PUT", "/people/{me}/photo", {"files": url})(w)

        yield Case("ssrf-redirect", name, through_redirect, 403, DENIED)

    # A portal-relative path is fetched from the Host the request names.
    for host in ("169.254.169.254", "127.0.0.1:5432", "intranet.example", "[::1]"):

        def relative(w: World, h: str = host) -> Wire:
            wire = as_ben("PUT", "/people/{me}/photo", {"files": "latest/meta-data"})(w)
            return Wire(wire.method, wire.path, {**wire.headers, "Host": h}, wire.content)

        yield Case("ssrf-host-header", host, relative, 403, DENIED)


def traversal() -> Iterator[Case]:
    routes = {
        "photo-get": ("GET", "/people/{t}/photo"),
        "photo-delete": ("DELETE", "/people/{t}/photo"),
        "photo-put": ("PUT", "/people/{t}/photo"),
        "thumbnails": ("POST", "/people/{t}/photo/thumbnails"),
        "person": ("GET", "/people/{t}"),
    }
    bodies = {"PUT": {"files": "https://example.com/a.png"}, "POST": {}}
    for value_name, value in payloads.TRAVERSALS.items():
        for route_name, (method, path) in routes.items():
            yield Case(
                "traversal",
                f"{route_name}-{value_name}",
                as_ben(method, path.replace("{t}", value), bodies.get(method)),
                404,
                NOT_FOUND,
            )
        for folder in ("/storage/userPhotos/root/", "/storage/userPhotos/temp/", "/static/images/"):
            yield Case(
                "file-traversal",
                f"{folder.strip('/')}-{value_name}",
                lambda w, p=folder + value: Wire("GET", p, bearer(w.ben_key)),
                404,
                "empty",
            )
    for value_name, value in payloads.ESCAPING_TRAVERSALS.items():
        yield Case(
            "traversal",
            f"escaping-{value_name}",
            as_ben("GET", f"/people/{value}/photo"),
            404,
            "router",
        )


def json_bodies() -> Iterator[Case]:
    valid = b'{"x":0,"y":0,"width":10,"height":10}'
    malformed = {
        **payloads.json_truncations(valid),
        "deep-array": payloads.DEEP_JSON_ARRAY,
        "deep-object": payloads.DEEP_JSON_OBJECT,
        "top-level-list": b"[1,2]",
        "top-level-string": b'"x"',
        "huge-integer": b'{"x":' + payloads.HUGE_DIGITS.encode() + b"}",
        "xml": b"<x>1</x>",
        "over-64k": b'{"tmpFile":"' + b"a" * 70_000 + b'"}',
    }
    for name, body in malformed.items():
        yield Case(
            "malformed-json",
            name,
            as_ben("POST", "/people/{me}/photo/thumbnails", raw=body),
            400,
            "validation:$",
        )
    fields = {
        "x-string": ({"x": "1"}, "x"),
        "x-float": ({"x": 1.5}, "x"),
        "x-bool": ({"x": True}, "x"),
        "x-int32-overflow": ({"x": 2**31}, "x"),
        "x-huge": ({"x": 2**64}, "x"),
        "width-negative": ({"width": -1}, "width"),
        "height-object": ({"height": {"$gt": 0}}, "height"),
        "tmpFile-int": ({"tmpFile": 7}, "tmpFile"),
        "tmpFile-list": ({"tmpFile": ["a"]}, "tmpFile"),
        "unknown-field": ({"x": 0, "isAdmin": True}, "isAdmin"),
        "proto-field": ({"__proto__": {"x": 1}}, "__proto__"),
    }
    for name, (body, field) in fields.items():
        yield Case(
            "wrong-types",
            name,
            as_ben("POST", "/people/{me}/photo/thumbnails", body),
            400,
            f"validation:{field}",
        )
    yield Case(
        "wrong-types",
        "files-int",
        as_ben("PUT", "/people/{me}/photo", {"files": 5}),
        400,
        "validation:files",
    )
    yield Case(
        "wrong-types",
        "files-unknown-field",
        as_ben("PUT", "/people/{me}/photo", {"files": "x", "url": "y"}),
        400,
        "validation:url",
    )
    yield Case(
        "wrong-types",
        "files-empty",
        as_ben("PUT", "/people/{me}/photo", {"files": " "}),
        400,
        "The uploaded file could not be found",
    )
    staged = {
        "tmpFile-traversal": "../../../etc/passwd",
        "tmpFile-sql": "' OR 1=1 --",
        "tmpFile-unknown": "/storage/userPhotos/temp/" + "0" * 32 + ".jpg",
        "tmpFile-huge": payloads.HUGE_TEXT[:60_000],
        "tmpFile-nul": "a\x00b",
    }
    for name, reference in staged.items():
        yield Case(
            "staged",
            name,
            as_ben("POST", "/people/{me}/photo/thumbnails", {"tmpFile": reference}),
            404,
            "The uploaded file could not be found",
        )


def uploads() -> Iterator[Case]:
    for name, data in payloads.refused_images().items():
        # Uploads take PNG and JPEG only: a GIF or WebP is refused before its size is read.
        too_large = "bomb" in name and not name.startswith(("gif", "webp"))
        expected = TOO_LARGE if too_large else UNKNOWN_IMAGE
        if name == "empty":
            expected = "upload:The uploaded file could not be found"
        yield Case("images", name, upload(data), 200, expected)
        yield Case("images-staged", name, upload(data, "false"), 200, expected)
    yield Case(
        "images",
        "autosave-garbage",
        upload(payloads.jpeg_photo(), "yes please"),
        400,
        "validation:Autosave",
    )

    def not_multipart(w: World) -> Wire:
        headers = {**bearer(w.ben_key), "Content-Type": "image/jpeg"}
        return Wire("POST", f"{API}/people/{w.ben.number}/photo", headers, payloads.jpeg_photo())

    yield Case("images", "not-multipart", not_multipart, 415, "empty")

    def broken_multipart(w: World) -> Wire:
        headers = {**bearer(w.ben_key), "Content-Type": "multipart/form-data; boundary=xyz"}
        body = b'--xyz\r\nContent-Disposition: form-data; name="File"\r\n\r\n\xff\xd8'
        return Wire("POST", f"{API}/people/{w.ben.number}/photo", headers, body)

    yield Case(
        "images",
        "broken-multipart",
        broken_multipart,
        200,
        "upload:The uploaded file could not be found",
    )


def queries() -> Iterator[Case]:
    for name, value in {
        "count-huge": payloads.HUGE_DIGITS,
        "count-superscript": "²",
        "count-negative": "-1",
        "count-sql": "1;DROP TABLE users",
        "startIndex-huge": "9" * 30,
        "startIndex-arabic-digits": "٣٣",
    }.items():
        parameter = name.split("-")[0]
        yield Case(
            "query",
            name,
            as_ben("GET", f"/people?{parameter}={quote(value)}"),
            400,
            f"validation:{parameter}",
        )
    for i, fragment in enumerate(payloads.SQL_FRAGMENTS[:5]):
        yield Case(
            "query",
            f"email-sql-{i}",
            as_ben("GET", f"/people/email?email={quote(fragment)}"),
            400,
            "validation:email",
        )
    yield Case(
        "query",
        "email-sql-valid-form",
        as_ben("GET", "/people/email?email=" + quote("x'OR'1'='1@example.org")),
        404,
        NOT_FOUND,
    )


def authentication() -> Iterator[Case]:
    def login(body: bytes) -> Any:
        headers = {"Content-Type": "application/json"}
        return lambda w: Wire("POST", f"{API}/authentication", headers, body)

    yield Case(
        "login", "malformed", login(b'{"userName": "ada", "password": '), 400, "validation:$"
    )
    yield Case(
        "login",
        "password-int",
        login(b'{"userName": "ada", "password": 1}'),
        400,
        "validation:password",
    )
    yield Case(
        "login",
        "unknown-field",
        login(b'{"userName": "ada", "isAdmin": true}'),
        400,
        "validation:isAdmin",
    )
    for i, fragment in enumerate(payloads.SQL_FRAGMENTS[:4]):
        body = json.dumps({"userName": fragment, "password": fragment}).encode()
        yield Case("login", f"sql-{i}", login(body), 401, "User authentication failed")
    huge = json.dumps({"userName": "ben", "password": "p" * 60_000}).encode()
    yield Case("login", "huge-password", login(huge), 401, "User authentication failed")

    tokens = {
        "bearer-empty": "Bearer ",
        "bearer-short": "Bearer sk-",
        "bearer-long": "Bearer sk-" + "a" * 10_000,
        "bearer-sql": "Bearer ' OR '1'='1",
        "asc-auth-key-garbage": "x" * 64,
        "basic-garbage": "Basic %%%not-base64%%%",
        "basic-no-colon": "Basic YWRh",
    }
    for name, value in tokens.items():
        yield Case(
            "tokens",
            name,
            lambda w, v=value: Wire("DELETE", f"{API}/people/2/photo", {"Authorization": v}),
            401,
            "empty",
        )


CASES = [*ssrf(), *traversal(), *json_bodies(), *uploads(), *queries(), *authentication()]


def read_error(response: httpx.Response) -> str:
    # Starlette's router answers paths no route matches with plain text.
    if response.headers.get("content-type", "").startswith("text/plain") and response.content:
        return "router"
    return error_of(response)


@parametrize(CASES)
def test_docspace_refuses_hostile_input(worlds: Worlds, case: Case, kind: str) -> None:
    check(worlds.get(kind), case, read_error)
