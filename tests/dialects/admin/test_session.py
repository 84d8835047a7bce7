"""Login, logout, cookies, CSRF and who may use the admin pages."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.dialects.admin.conftest import (
    ADMIN_PASSWORD,
    USER_PASSWORD,
    csrf_of,
    post_form,
)
from userphoto.config import Settings
from userphoto.core.model import User
from userphoto.core.services import Services
from userphoto.web.app import create_app

PAGES = (
    "/admin",
    "/admin/people/1",
    "/admin/keys",
    "/admin/api-users",
    "/admin/people/1/photo/96",
)


def test_root_sends_a_browser_to_the_admin_pages(client: TestClient) -> None:
    answer = client.get("/", follow_redirects=False)
    assert answer.status_code == 307
    assert answer.headers["location"] == "/admin"


@pytest.mark.parametrize("path", PAGES)
def test_pages_ask_for_a_login_first(client: TestClient, path: str) -> None:
    answer = client.get(path, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/admin/login?next=%2Fadmin")


def test_login_sets_a_strict_http_only_session_cookie(client: TestClient, admin: User) -> None:
    token = csrf_of(client.get("/admin/login").text)
    answer = client.post(
        "/admin/login",
        data={"csrf_token": token, "login": "boss@example.com", "password": ADMIN_PASSWORD},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/admin"
    cookies = answer.headers.get_list("set-cookie")
    session = next(c for c in cookies if c.startswith("userphoto_session="))
    assert "HttpOnly" in session
    assert "SameSite=strict" in session
    assert "Path=/;" in session or session.endswith("Path=/")
    assert "Secure" not in session
    renewed = next(c for c in cookies if c.startswith("userphoto_csrf="))
    assert token not in renewed
    assert client.get("/admin").status_code == 200
    # The same session signs the admin in to the native API.
    assert client.get("/api/v1/users").status_code == 200


def test_cookies_are_secure_behind_an_https_public_url(
    settings: Settings, services: Services, admin: User
) -> None:
    app = create_app(settings.with_(public_url="https://photos.example"), services)
    client = TestClient(app, base_url="https://photos.example")
    token = csrf_of(client.get("/admin/login").text)
    answer = client.post(
        "/admin/login",
        data={"csrf_token": token, "login": "boss", "password": ADMIN_PASSWORD},
        follow_redirects=False,
    )
    for cookie in answer.headers.get_list("set-cookie"):
        assert "Secure" in cookie


def test_login_without_the_csrf_token_is_refused(client: TestClient, admin: User) -> None:
    client.get("/admin/login")
    answer = client.post("/admin/login", data={"login": "boss", "password": ADMIN_PASSWORD})
    assert answer.status_code == 403
    assert "userphoto_session" not in client.cookies


def test_a_token_that_differs_from_the_cookie_is_refused(client: TestClient, admin: User) -> None:
    client.get("/admin/login")
    data = {"csrf_token": "x" * 32, "login": "boss", "password": ADMIN_PASSWORD}
    assert client.post("/admin/login", data=data).status_code == 403


def test_a_wrong_password_is_refused(client: TestClient, admin: User) -> None:
    token = csrf_of(client.get("/admin/login").text)
    data = {"csrf_token": token, "login": "boss", "password": "wrong"}
    answer = client.post("/admin/login", data=data)
    assert answer.status_code == 401
    assert "Wrong user name or password." in answer.text
    assert "userphoto_session" not in client.cookies


def test_a_user_who_is_not_an_admin_cannot_log_in(client: TestClient, plain_user: User) -> None:
    token = csrf_of(client.get("/admin/login").text)
    data = {"csrf_token": token, "login": "pat", "password": USER_PASSWORD}
    answer = client.post("/admin/login", data=data)
    assert answer.status_code == 401
    assert "not an administrator" in answer.text


def test_a_session_of_a_user_who_is_not_an_admin_sees_nothing(
    client: TestClient, services: Services, plain_user: User
) -> None:
    principal = services.auth.login("pat", USER_PASSWORD)
    assert principal is not None
    client.cookies.set("userphoto_session", services.auth.open_session(principal), path="/")
    for path in PAGES:
        assert client.get(path).status_code == 403, path


def test_login_never_redirects_off_site(client: TestClient, admin: User) -> None:
    for target in ("https://evil.example/admin", "//evil.example", "/adminx/../..//evil"):
        client.cookies.clear()
        token = csrf_of(client.get("/admin/login").text)
        data = {"csrf_token": token, "login": "boss", "password": ADMIN_PASSWORD, "next": target}
        answer = client.post("/admin/login", data=data, follow_redirects=False)
        assert answer.headers["location"] == "/admin", target


def test_login_returns_to_the_page_asked_for(client: TestClient, admin: User) -> None:
    login_page = client.get("/admin/keys")
    assert str(login_page.url).endswith("/admin/login?next=%2Fadmin%2Fkeys")
    assert 'name="next" value="/admin/keys"' in login_page.text
    data = {"csrf_token": csrf_of(login_page.text), "login": "boss", "password": ADMIN_PASSWORD}
    answer = client.post("/admin/login", data={**data, "next": "/admin/keys"})
    assert str(answer.url).endswith("/admin/keys")


def test_logout_ends_the_session(admin_client: TestClient) -> None:
    session = admin_client.cookies["userphoto_session"]
    answer = post_form(admin_client, "/admin", "/admin/logout", {})
    assert str(answer.url).endswith("/admin/login")
    admin_client.cookies.set("userphoto_session", session, path="/")
    assert admin_client.get("/admin", follow_redirects=False).status_code == 303


def test_logout_needs_the_csrf_token(admin_client: TestClient) -> None:
    assert admin_client.post("/admin/logout").status_code == 403
    assert admin_client.get("/admin").status_code == 200


def test_pages_forbid_framing_and_caching(admin_client: TestClient) -> None:
    headers = admin_client.get("/admin").headers
    assert headers["x-frame-options"] == "DENY"
    assert headers["cache-control"] == "no-store"
    assert "default-src 'self'" in headers["content-security-policy"]


def test_static_assets_are_served_by_userphoto(client: TestClient) -> None:
    for name in ("admin.css", "admin.bundle.js", "admin.bundle.css"):
        answer = client.get(f"/admin/static/{name}")
        assert answer.status_code == 200, name
        assert answer.headers["etag"]
