"""Hostile requests to the admin pages: an error page (or the router's 404) for each, a
search that treats SQL as text, no open redirect, and nothing stored.

The code read from an answer is its media type, or `redirect:<location>` for a redirect.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx

from tests.hostile import payloads
from tests.hostile.cases import Case, check, parametrize
from tests.hostile.world import Wire, World, Worlds

HTML = "text/html"
ROUTER = "text/plain"


def answer_of(response: httpx.Response) -> str:
    if response.is_redirect:
        return "redirect:" + response.headers["location"]
    return response.headers.get("content-type", "").split(";")[0]


def as_admin(method: str, path: str, csrf: bool = True, **form: Any) -> Any:
    """A request with the admin's session; POSTs carry the CSRF token unless told not to."""

    def build(w: World) -> Wire:
        headers = {"Cookie": f"userphoto_session={w.session}; userphoto_csrf={w.csrf}"}
        files = form.pop("files", None) if "files" in form else None
        data = {**({"csrf_token": w.csrf} if csrf and method == "POST" else {}), **form}
        return Wire(method, path, headers, files=files, data=data or None)

    return build


def pages() -> Iterator[Case]:
    for name, value in payloads.TRAVERSALS.items():
        for suffix in ("", "/photo/96", "/versions/1/96"):
            yield Case(
                "traversal",
                f"person-{name}{suffix}",
                as_admin("GET", f"/admin/people/{value}{suffix}"),
                404,
                ROUTER,
            )
        yield Case(
            "traversal",
            f"size-{name}",
            as_admin("GET", f"/admin/people/2/photo/{value}"),
            404,
            HTML,
        )
        yield Case(
            "traversal", f"static-{name}", as_admin("GET", f"/admin/static/{value}"), 404, ROUTER
        )
    for name, number in {
        "huge": payloads.HUGE_DIGITS,
        "int64": str(2**63),
        "nineteen-nines": "9" * 19,
    }.items():
        yield Case(
            "traversal", f"person-{name}", as_admin("GET", f"/admin/people/{number}"), 404, ROUTER
        )
        yield Case(
            "traversal",
            f"revoke-{name}",
            as_admin("POST", f"/admin/keys/{number}/revoke"),
            404,
            ROUTER,
        )
    yield Case(
        "traversal",
        "unknown-person",
        as_admin("GET", "/admin/people/999999999999999999"),
        404,
        HTML,
    )
    for name, value in payloads.ESCAPING_TRAVERSALS.items():
        yield Case(
            "traversal", f"static-{name}", as_admin("GET", f"/admin/static/{value}"), 404, ROUTER
        )


def searches() -> Iterator[Case]:
    for i, fragment in enumerate(payloads.SQL_FRAGMENTS):
        yield Case("search", f"sql-{i}", as_admin("GET", f"/admin?q={quote(fragment)}"), 200, HTML)
    for name, query in {
        "q-huge": "q=" + "x" * 10_000,
        "q-nul": "q=a%00b",
        "q-html": "q=" + quote("<script>alert(1)</script>"),
        "page-huge": f"page={payloads.HUGE_DIGITS}",
        "page-negative": "page=-1",
        "page-superscript": "page=" + quote("²"),
    }.items():
        yield Case("search", name, as_admin("GET", f"/admin?{query}"), 200, HTML)


def forms() -> Iterator[Case]:
    photo = "/admin/people/2/photo"
    for name, data in payloads.refused_images().items():
        upload = {"photo": ("photo.jpg", data, "image/jpeg")}
        # An empty file part is no choice of file at all; the page asks for one either way.
        yield Case("images", name, as_admin("POST", photo, files=upload), 400, HTML)
    jpeg = {"photo": ("photo.jpg", payloads.jpeg_photo(), "image/jpeg")}
    yield Case(
        "csrf", "upload-without-token", as_admin("POST", photo, csrf=False, files=jpeg), 403, HTML
    )

    def wrong_token(w: World) -> Wire:
        wire = as_admin("POST", "/admin/people/2/delete-photo", csrf=False)(w)
        return Wire(wire.method, wire.path, wire.headers, data={"csrf_token": "x" * 32})

    yield Case("csrf", "delete-wrong-token", wrong_token, 403, HTML)
    yield Case(
        "csrf",
        "delete-without-cookie",
        lambda w: Wire(
            "POST",
            "/admin/people/2/delete-photo",
            {"Cookie": f"userphoto_session={w.session}"},
            data={"csrf_token": w.csrf},
        ),
        403,
        HTML,
    )
    crop = "/admin/people/2/crop"
    for name, box in {
        "crop-negative": ("-1", "0", "10", "10"),
        "crop-huge": (payloads.HUGE_DIGITS, "0", "10", "10"),
        "crop-text": ("0; DROP TABLE photos", "0", "10", "10"),
        "crop-zero": ("0", "0", "0", "0"),
        "crop-outside": ("100000", "100000", "10", "10"),
        "crop-superscript": ("²", "0", "10", "10"),
    }.items():
        fields = dict(zip(("x", "y", "width", "height"), box, strict=True))
        yield Case("crop", name, as_admin("POST", crop, **fields), 400, HTML)
    for name, value in {
        "restore-huge": payloads.HUGE_DIGITS,
        "restore-sql": "1 OR 1=1",
        "restore-unknown": "999999",
    }.items():
        yield Case(
            "crop", name, as_admin("POST", "/admin/people/2/restore", photo_id=value), 400, HTML
        )
    keys = "/admin/keys"
    for name, fields in {
        "key-no-name": {"name": "", "owner": "2"},
        "key-huge-name": {"name": "k" * 10_000, "owner": "2"},
        "key-sql-owner": {"name": "k", "owner": "' OR 1=1 --"},
        "key-traversal-owner": {"name": "k", "owner": "../../etc/passwd"},
        "key-huge-owner": {"name": "k", "owner": payloads.HUGE_DIGITS},
        "key-nul-owner": {"name": "k", "owner": "a\x00b"},
    }.items():
        yield Case("keys", name, as_admin("POST", keys, **fields), 400, HTML)


def logins() -> Iterator[Case]:
    def login(w: World, **fields: str) -> Wire:
        cookie = {"Cookie": f"userphoto_csrf={w.csrf}"}
        return Wire("POST", "/admin/login", cookie, data={"csrf_token": w.csrf, **fields})

    attempts = {
        "sql-login": {"login": "' OR '1'='1' --", "password": "x"},
        "sql-password": {"login": "ada", "password": "' OR '1'='1"},
        "huge-password": {"login": "ada", "password": "p" * 60_000},
        "nul-login": {"login": "ada\x00", "password": "x"},
        "not-admin": {"login": "ben", "password": "wrong"},
    }
    for name, fields in attempts.items():
        yield Case("login", name, lambda w, f=fields: login(w, **f), 401, HTML)
    yield Case(
        "login",
        "without-csrf",
        lambda w: Wire("POST", "/admin/login", data={"login": "ada", "password": "x"}),
        403,
        HTML,
    )
    for name, target in {
        "scheme-relative": "//evil.example/",
        "backslash": "/admin\\..\\\\evil.example",
        "absolute": "https://evil.example/admin",
        "admin-prefixed": "/admin//evil.example",
    }.items():
        # Already logged in: the login page sends the admin on, but only inside /admin.
        yield Case(
            "open-redirect",
            name,
            as_admin("GET", f"/admin/login?next={quote(target, safe='')}"),
            303,
            "redirect:/admin",
        )


CASES = [*pages(), *searches(), *forms(), *logins()]


@parametrize(CASES)
def test_admin_refuses_hostile_input(worlds: Worlds, case: Case, kind: str) -> None:
    check(worlds.get(kind), case, answer_of)
