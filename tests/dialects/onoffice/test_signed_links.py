"""USERPHOTO_SIGNED_PHOTO_LINKS: photosAsLinks hands out tokens that name no user and expire.

A forged, tampered, expired or foreign token, a token of a deleted user and a link by number
all get the same 404 a missing photo gets.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from tests.clocks import TOKEN_ALPHABET as ALPHABET
from tests.clocks import Clock
from tests.dialects.onoffice.support import NOW, OnOfficeClient
from userphoto.config import Settings
from userphoto.core.links import REDACTED, TOKEN_LENGTH, LinkSigner, redact_tokens
from userphoto.core.model import Right
from userphoto.core.services import Services
from userphoto.dialects.onoffice import routes
from userphoto.web.app import create_app

LIFETIME = 3600  # NOW is a multiple of its step (450 s), so links expire at NOW + LIFETIME
BASE = "http://testserver"
PREFIX = "/smart20/Dateien/userphoto/users/Userphoto_"
SIGNED_SHAPE = f"{BASE}{PREFIX}{REDACTED}.jpg"


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def signing(directory: Services, clock: Clock) -> Services:
    return replace(directory, links=LinkSigner(b"k" * 32, LIFETIME, clock))


def _client(services: Services, settings: Settings) -> Iterator[OnOfficeClient]:
    app = Starlette(routes=routes(services, settings, clock=lambda: NOW))
    credentials = services.api_users.create("crm", 19, [Right.READ_USER_DATA])
    with TestClient(app) as http:
        yield OnOfficeClient(http, credentials.token, credentials.secret)


@pytest.fixture
def signed(signing: Services, settings: Settings) -> Iterator[OnOfficeClient]:
    yield from _client(signing, settings.with_(signed_photo_links=True))


@pytest.fixture
def plain(signing: Services, settings: Settings) -> Iterator[OnOfficeClient]:
    yield from _client(signing, settings)


def links(api: OnOfficeClient, parameters: dict[str, Any] | None = None) -> dict[int, Any]:
    action = api.action("userphoto", {"photosAsLinks": True, **(parameters or {})})
    return {r["id"]: r["elements"]["photo"] for r in api.records(action)}


def path_of(link: str) -> str:
    return link.removeprefix(BASE)


def assert_not_found(api: OnOfficeClient, path: str) -> None:
    response = api.http.get(path)
    assert (response.status_code, response.text) == (404, "Not Found"), path


def test_links_carry_a_token_and_nothing_else(signed: OnOfficeClient) -> None:
    found = links(signed)
    assert found[19] is None and found[21] is None and found[163] is None
    for number in (17, 25):
        assert redact_tokens(found[number]) == SIGNED_SHAPE
        assert f"_{number}." not in found[number]
    assert found[17] != found[25]


def test_a_signed_link_serves_the_photo(signed: OnOfficeClient, signing: Services) -> None:
    response = signed.http.get(path_of(links(signed)[17]))
    photo = signing.photos.effective_photo(signing.directory.user(17))
    assert photo is not None
    assert response.status_code == 200
    assert response.content == signing.photos.read(photo.rendition(240))
    assert response.headers["etag"] == f'"{photo.rendition(240).blob_key}"'


def test_links_by_number_are_not_served_when_signed(signed: OnOfficeClient) -> None:
    assert_not_found(signed, PREFIX + "17.jpg")


def test_every_tampered_character_is_404(signed: OnOfficeClient) -> None:
    path = path_of(links(signed)[17])
    start = len(PREFIX)
    for position in range(start + 1, start + TOKEN_LENGTH):
        swapped = ALPHABET[(ALPHABET.index(path[position]) + 1) % 64]
        assert_not_found(signed, path[:position] + swapped + path[position + 1 :])


@pytest.mark.parametrize(
    "mangle",
    [
        lambda p: p.replace(".jpg", "A.jpg"),
        lambda p: p.replace("Userphoto_~", "Userphoto_"),
        lambda p: p.replace("/userphoto/", "/CustomerName/"),
        lambda p: p.replace(".jpg", ".png"),
    ],
)
def test_a_mangled_link_is_404(signed: OnOfficeClient, mangle: Any) -> None:
    assert_not_found(signed, mangle(path_of(links(signed)[17])))


def test_expiry_edge(signed: OnOfficeClient, clock: Clock) -> None:
    path = path_of(links(signed)[17])
    clock.now = NOW + LIFETIME - 0.5
    assert signed.http.get(path).status_code == 200
    clock.now = NOW + LIFETIME
    assert_not_found(signed, path)


def test_a_deleted_user_answers_as_a_forgery_does(
    signed: OnOfficeClient, signing: Services
) -> None:
    path = path_of(links(signed)[17])
    signing.directory.delete_user(17)
    gone = signed.http.get(path)
    forged = signed.http.get(path[:-6] + ("A" if path[-6] != "A" else "B") + path[-5:])
    assert (gone.status_code, gone.content) == (forged.status_code, forged.content)
    assert dict(gone.headers) == dict(forged.headers)


def test_a_docspace_token_does_not_open_an_onoffice_link(
    signed: OnOfficeClient, signing: Services
) -> None:
    assert_not_found(signed, f"{PREFIX}{signing.links.issue('docspace', 17)}.jpg")


def test_off_by_default_the_plain_link_is_unchanged(
    plain: OnOfficeClient, signing: Services
) -> None:
    assert links(plain)[17] == f"{BASE}{PREFIX}17.jpg"
    assert plain.http.get(PREFIX + "17.jpg").status_code == 200
    assert_not_found(plain, f"{PREFIX}{signing.links.issue('onoffice', 17)}.jpg")


def test_expiry_holds_behind_the_whole_app(
    signing: Services, settings: Settings, clock: Clock
) -> None:
    """The app's remembered image answers (web.imagecache) never outlive a signed link."""
    app = create_app(settings.with_(signed_photo_links=True), signing)
    path = f"{PREFIX}{signing.links.issue('onoffice', 17)}.jpg"
    with TestClient(app) as http:
        assert [http.get(path).status_code for _ in range(3)] == [200, 200, 200]
        clock.now = NOW + LIFETIME
        assert (http.get(path).status_code, http.get(path).text) == (404, "Not Found")
