"""The security headers do not break what a browser shows: Swagger UI and the admin pages
render in headless Chromium with no Content-Security-Policy violation, and a page of
another site cannot frame the admin pages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from starlette.applications import Starlette

from tests.e2e.chromium import needs_chromium
from tests.web.liveserver import serving
from userphoto.core.services import Services

ADMIN_PASSWORD = "browser-Secret-123"

pytestmark = needs_chromium


@pytest.fixture
def base_url(app: Starlette, services: Services) -> Iterator[str]:
    services.directory.save_user(
        {"number": 1, "username": "admin", "is_admin": True}, password=ADMIN_PASSWORD
    )
    with serving(app) as url:
        yield url


def csp_violations(page: Page) -> list[str]:
    """Chromium reports every blocked resource or inline code on the console."""
    found: list[str] = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return found


def test_swagger_ui_renders_under_its_policy(browser: Browser, base_url: str) -> None:
    page = browser.new_page()
    violations = csp_violations(page)
    page.goto(base_url + "/docs")
    expect(page.locator(".opblock-summary-path").first).to_be_visible(timeout=20_000)
    expect(page.get_by_text("/api/v1/users", exact=True).first).to_be_visible()
    page.locator(".opblock-summary").first.click()
    expect(page.locator(".opblock-body").first).to_be_visible()
    page.get_by_role("button", name="Try it out").first.click()
    schemas = page.locator("section.models")
    expect(schemas).to_be_visible()
    schemas.locator(".json-schema-2020-12-accordion").first.click()
    expanded = ".json-schema-2020-12-body:not(.json-schema-2020-12-body--collapsed)"
    expect(schemas.locator(expanded).first).to_be_visible()
    assert violations == []


def test_admin_pages_render_under_their_policy(browser: Browser, base_url: str) -> None:
    page = browser.new_page()
    violations = csp_violations(page)
    page.goto(base_url + "/admin/login")
    page.get_by_label("User name or e-mail").fill("admin")
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Directory")).to_be_visible()
    page.goto(base_url + "/admin/people/1")
    expect(page.locator("form.upload")).to_be_visible()
    assert violations == []


def test_another_site_cannot_frame_the_admin_pages(browser: Browser, base_url: str) -> None:
    page = browser.new_page()
    violations = csp_violations(page)
    page.set_content(f'<iframe id="victim" src="{base_url}/admin/login"></iframe>')
    page.wait_for_timeout(1000)
    frame = page.frame_locator("#victim")
    expect(frame.get_by_role("heading", name="Log in")).to_have_count(0)
    assert any("frame-ancestors" in text for text in violations)
