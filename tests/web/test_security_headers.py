"""Security headers on the admin pages and /docs, nosniff and HSTS, and CORS only when set."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from importlib import resources

import pytest
from starlette.testclient import TestClient

from userphoto.config import Settings
from userphoto.core.services import Services
from userphoto.web.app import create_app
from userphoto.web.security import ADMIN_CSP, DOCS_CSP, HSTS, allowed_origins

ORIGIN = "https://app.example.org"
PREFLIGHT = {
    "Origin": ORIGIN,
    "Access-Control-Request-Method": "GET",
    "Access-Control-Request-Headers": "authorization",
}


def _client(settings: Settings, services: Services, **changes: object) -> Iterator[TestClient]:
    with TestClient(create_app(settings.with_(**changes), services)) as client:
        yield client


@pytest.fixture
def cors_client(settings: Settings, services: Services) -> Iterator[TestClient]:
    yield from _client(settings, services, cors_allowed_origins=f"{ORIGIN}, https://b.example")


def assert_page_headers(headers: Mapping[str, str], csp: str) -> None:
    assert headers["content-security-policy"] == csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-content-type-options"] == "nosniff"
    assert "camera=()" in headers["permissions-policy"]


@pytest.mark.parametrize(
    "path", ["/admin/login", "/admin", "/", "/admin/static/admin.css", "/admin/nowhere"]
)
def test_admin_responses_carry_the_page_headers(client: TestClient, path: str) -> None:
    response = client.get(path, follow_redirects=False)
    assert_page_headers(response.headers, ADMIN_CSP)
    assert "strict-transport-security" not in response.headers


def test_the_admin_policy_allows_no_inline_code(client: TestClient) -> None:
    assert "unsafe-inline" not in ADMIN_CSP and "unsafe-eval" not in ADMIN_CSP
    assert client.get("/admin/login").headers.get_list("content-security-policy") == [ADMIN_CSP]


def test_the_admin_templates_need_no_inline_code() -> None:
    """What lets the policy above hold: no inline script, style or event handler."""
    templates = resources.files("userphoto.dialects.admin") / "templates"
    for template in templates.iterdir():
        html = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), template.name
        assert not re.search(r"<style|\sstyle=|\son[a-z]+=", html, re.IGNORECASE), template.name


@pytest.mark.parametrize("path", ["/docs", "/docs/init.js", "/docs/assets/swagger-ui.css"])
def test_docs_carry_their_own_policy(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert_page_headers(response.headers, DOCS_CSP)
    assert "unsafe-inline" not in DOCS_CSP and "unsafe-eval" not in DOCS_CSP


@pytest.mark.parametrize("path", ["/healthz", "/openapi.json", "/api/v1/users", "/docsx"])
def test_api_answers_are_nosniff_without_page_policies(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" not in response.headers
    assert "x-frame-options" not in response.headers


def test_hsts_when_the_public_url_is_https(settings: Settings, services: Services) -> None:
    for client in _client(settings, services, public_url="https://photos.example.org"):
        for path in ("/healthz", "/admin/login"):
            assert client.get(path).headers["strict-transport-security"] == HSTS


def test_hsts_when_the_request_came_over_https(settings: Settings, services: Services) -> None:
    with TestClient(create_app(settings, services), base_url="https://testserver") as client:
        assert client.get("/healthz").headers["strict-transport-security"] == HSTS


def test_no_cors_headers_by_default(client: TestClient) -> None:
    simple = client.get("/healthz", headers={"Origin": ORIGIN})
    preflight = client.options("/api/v1/users", headers=PREFLIGHT)
    for response in (simple, preflight):
        assert not [h for h in response.headers if h.lower().startswith("access-control-")]


def test_cors_for_configured_origins(cors_client: TestClient) -> None:
    preflight = cors_client.options("/api/v1/users", headers=PREFLIGHT)
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == ORIGIN
    assert "GET" in preflight.headers["access-control-allow-methods"]
    assert "authorization" in preflight.headers["access-control-allow-headers"].lower()
    assert "access-control-allow-credentials" not in preflight.headers
    simple = cors_client.get("/healthz", headers={"Origin": ORIGIN})
    assert simple.headers["access-control-allow-origin"] == ORIGIN
    assert "ETag" in simple.headers["access-control-expose-headers"]


def test_cors_refuses_other_origins(cors_client: TestClient) -> None:
    headers = {**PREFLIGHT, "Origin": "https://evil.example"}
    preflight = cors_client.options("/api/v1/users", headers=headers)
    assert preflight.status_code == 400
    assert "access-control-allow-origin" not in preflight.headers
    simple = cors_client.get("/healthz", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in simple.headers


@pytest.mark.parametrize(
    ("setting", "origins"),
    [
        ("", []),
        (" , ", []),
        (
            "https://a.example, http://b.example:8080/",
            ["https://a.example", "http://b.example:8080"],
        ),
        ("*", ["*"]),
    ],
)
def test_allowed_origins_parse(setting: str, origins: list[str]) -> None:
    assert allowed_origins(setting) == origins


@pytest.mark.parametrize("setting", ["a.example", "https://a.example/path", "ftp://a", "null"])
def test_malformed_origins_are_refused_at_start(setting: str) -> None:
    with pytest.raises(ValueError, match="CORS_ALLOWED_ORIGINS"):
        allowed_origins(setting)
