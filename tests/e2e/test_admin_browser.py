"""The admin pages in headless Chromium (Debian's, driven by Playwright) on a live server.

Walks the acceptance path: log in, search, upload by drag and drop, crop, see the new photo
in the grid and behind the EWS REST and onOffice link routes with new ETags, restore the
previous version, create and revoke an API key. Writes the README's screenshots to
docs/screenshots/.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import APIRequestContext, Browser, Page, expect
from starlette.applications import Starlette

from tests.e2e.chromium import needs_chromium
from tests.web.liveserver import serving
from userphoto.config import Settings
from userphoto.core.services import Services
from userphoto.demo import demo_person, seed_demo

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PERSON = 5  # a demo user with a drawn photo of their own
RED, BLUE = (220, 30, 30), (30, 60, 220)

pytestmark = needs_chromium


@pytest.fixture
def admin_password(services: Services, settings: Settings) -> str:
    return seed_demo(
        services, settings.data_dir, 30, settings.public_url
    ).credentials.admin_password


@pytest.fixture
def base_url(app: Starlette, admin_password: str) -> Iterator[str]:
    with serving(app) as url:
        yield url


def two_colour_photo() -> bytes:
    """600x400: the top-left 200x200 square red, the rest blue, so a crop shows in the pixels."""
    image = Image.new("RGB", (600, 400), BLUE)
    image.paste(RED, (0, 0, 200, 200))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def centre_colour(data: bytes) -> tuple[int, int, int]:
    image = Image.open(io.BytesIO(data)).convert("RGB")
    return image.getpixel((image.width // 2, image.height // 2))


def is_close(colour: tuple[int, int, int], wanted: tuple[int, int, int]) -> bool:
    return all(abs(a - b) < 40 for a, b in zip(colour, wanted, strict=True))


def drop_file(page: Page, selector: str, name: str, data: bytes) -> None:
    """Drop a file on `selector` as a drag from the desktop would."""
    page.evaluate(
        """([selector, name, b64]) => {
            const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name, { type: "image/png" }));
            const zone = document.querySelector(selector);
            for (const type of ["dragover", "drop"]) {
                zone.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true }));
            }
        }""",
        [selector, name, base64.b64encode(data).decode()],
    )


class PhotoRoutes:
    """The EWS REST and onOffice link URLs the person page shows, fetched on the live server."""

    def __init__(self, page: Page, request: APIRequestContext, settings: Settings, base: str):
        public = settings.public_url.rstrip("/")
        self._urls = {
            name: page.locator(f"#link-{name}").input_value().replace(public, base, 1)
            for name in ("ews", "onoffice")
        }
        self._request = request

    def fetch(self, auth: str) -> dict[str, tuple[str, bytes]]:
        answers = {}
        for name, url in self._urls.items():
            response = self._request.get(url, headers={"Authorization": auth})
            assert response.status == 200, (name, response.status)
            answers[name] = (response.headers["etag"], response.body())
        return answers

    def ews_status(self, auth: str) -> int:
        return self._request.get(self._urls["ews"], headers={"Authorization": auth}).status


@pytest.fixture
def shoot(settings: Settings) -> Callable[..., None]:
    """Screenshots from the SQLite run only, so parallel runs never write the same file."""

    def take(page: Page, name: str, *, full_page: bool = False) -> None:
        if not settings.database_url:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SCREENSHOTS / name, full_page=full_page)

    return take


def basic(login: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{login}:{password}".encode()).decode()


def log_in(page: Page, base_url: str, password: str, shoot: Callable[..., None]) -> None:
    page.goto(base_url + "/")
    expect(page).to_have_url(f"{base_url}/admin/login?next=%2Fadmin")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.get_by_label("User name or e-mail").fill("admin")
    page.get_by_label("Password").fill(password)
    shoot(page, "login.png")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Directory")).to_be_visible()


def test_admin_journey(
    browser: Browser,
    base_url: str,
    admin_password: str,
    settings: Settings,
    shoot: Callable[..., None],
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    admin = basic("admin", admin_password)
    log_in(page, base_url, admin_password, shoot)
    page.wait_for_load_state("networkidle")
    shoot(page, "directory.png", full_page=True)

    person = demo_person(PERSON)
    page.get_by_label("Search in").select_option("email")
    page.get_by_label("for", exact=True).fill(person["email"].split("@")[0])
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#count")).to_contain_text("1 person matching")
    tile = page.get_by_role("link", name=person["first_name"] + " " + person["last_name"])
    tile.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(person["last_name"])

    routes = PhotoRoutes(page, context.request, settings, base_url)
    before = routes.fetch(admin)
    drop_file(page, "[data-dropzone]", "portrait.png", two_colour_photo())
    expect(page.get_by_role("status").first).to_have_text("The new photo is stored.")
    uploaded = routes.fetch(admin)
    for name in ("ews", "onoffice"):
        assert uploaded[name][0] != before[name][0], name
        assert is_close(centre_colour(uploaded[name][1]), BLUE), name

    # Cropper.js fits the largest square into the 600x400 original: x moves to 100.
    expect(page.get_by_label("Left")).to_have_value("100")
    expect(page.locator(".cropper-crop-box")).to_be_visible()
    shoot(page, "person.png", full_page=True)
    for label, value in (("Left", "0"), ("Top", "0"), ("Width", "200"), ("Height", "200")):
        page.get_by_label(label, exact=True).fill(value)
        page.get_by_label(label, exact=True).dispatch_event("change")
    page.get_by_role("button", name="Apply crop").click()
    expect(page.get_by_role("status").first).to_have_text("The photo is cropped.")
    cropped = routes.fetch(admin)
    for name in ("ews", "onoffice"):
        assert cropped[name][0] != uploaded[name][0], name
        assert is_close(centre_colour(cropped[name][1]), RED), name

    # The newest earlier version is the uncropped upload.
    page.locator("ul.versions").get_by_role("button", name="Restore").first.click()
    expect(page.get_by_role("status").first).to_have_text("The earlier photo is current again.")
    restored = routes.fetch(admin)
    for name in ("ews", "onoffice"):
        assert restored[name][0] == uploaded[name][0] != cropped[name][0], name
        assert is_close(centre_colour(restored[name][1]), BLUE), name

    thumbnail = page.locator("ul.sizes img").nth(4)  # the 96-pixel rendition
    new_src = thumbnail.get_attribute("src")
    page.goto(base_url + "/admin?field=email&q=" + person["email"].split("@")[0])
    grid_image = page.locator("ul.grid img")
    expect(grid_image).to_have_attribute("src", new_src or "")
    assert grid_image.evaluate("img => img.complete && img.naturalWidth") == 96

    page.get_by_role("link", name="API keys").click()
    page.get_by_label("Name", exact=True).fill("browser-test key")
    page.get_by_role("button", name="Create key").click()
    secret = page.locator("#new-key").input_value()
    assert secret.startswith("sk-")
    assert routes.ews_status(f"Bearer {secret}") == 200
    shoot(page, "keys.png", full_page=True)
    page.get_by_role("button", name="Revoke key browser-test key").click()
    expect(page.get_by_role("status").first).to_have_text("The key is revoked.")
    expect(page.locator("#new-key")).to_have_count(0)
    assert routes.ews_status(f"Bearer {secret}") == 401

    page.get_by_role("button", name="Log out admin").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.goto(base_url + "/admin/keys")
    expect(page).to_have_url(f"{base_url}/admin/login?next=%2Fadmin%2Fkeys")
    context.close()


def test_phone_width(
    browser: Browser, base_url: str, admin_password: str, shoot: Callable[..., None]
) -> None:
    """At 390 pixels nothing scrolls sideways and every control stays reachable."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page = context.new_page()
    log_in(page, base_url, admin_password, shoot)
    page.wait_for_load_state("networkidle")
    shoot(page, "directory-phone.png")
    for path in ("/admin", f"/admin/people/{PERSON}", "/admin/keys"):
        page.goto(base_url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (path, width)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    context.close()
