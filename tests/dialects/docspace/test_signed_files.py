"""USERPHOTO_SIGNED_PHOTO_LINKS for DocSpace: stored avatar names carry a token, not the UUID.

Signing never loosens access: the files still need credentials (403 without), and a forged,
tampered, expired or foreign token answers 404 as an unknown name does.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from starlette.testclient import TestClient

from tests.clocks import TOKEN_ALPHABET as ALPHABET
from tests.clocks import Clock
from tests.dialects.docspace.conftest import Person, docspace_app
from tests.images import RED, encode, solid
from userphoto.config import Settings
from userphoto.core.links import REDACTED, TOKEN_LENGTH, LinkSigner, redact_tokens
from userphoto.core.model import PhotoOwner
from userphoto.core.services import Services
from userphoto.dialects.docspace.avatars import ROOT

NOW = 1_767_225_600
LIFETIME = 3600  # NOW is a multiple of its step, so links expire at NOW + LIFETIME


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def signing(services: Services, clock: Clock, ben: Person) -> Services:
    services.photos.set_photo(PhotoOwner.user(ben.user.number), encode(solid((90, 90), RED), "PNG"))
    return replace(services, links=LinkSigner(b"k" * 32, LIFETIME, clock))


def _http(services: Services, settings: Settings) -> Iterator[TestClient]:
    with TestClient(docspace_app(settings, services)) as http:
        yield http


@pytest.fixture
def signed(signing: Services, settings: Settings) -> Iterator[TestClient]:
    yield from _http(signing, settings.with_(signed_photo_links=True))


@pytest.fixture
def plain(signing: Services, settings: Settings) -> Iterator[TestClient]:
    yield from _http(signing, settings)


def _auth(person: Person) -> dict[str, str]:
    return {"Authorization": f"Bearer {person.key}"}


def _urls(http: TestClient, person: Person) -> dict[str, str]:
    answer = http.get(f"/api/2.0/people/{person.user.uuid}/photo", headers=_auth(person))
    assert answer.status_code == 200
    return answer.json()["response"]


def _with_token(path: str, token: str) -> str:
    start = len(ROOT) + 1
    return path[:start] + token + path[start + TOKEN_LENGTH :]


def _status(http: TestClient, path: str, person: Person | None) -> int:
    return http.get(path, headers=_auth(person) if person else {}).status_code


def test_stored_urls_name_no_user(signed: TestClient, ben: Person) -> None:
    urls = _urls(signed, ben)
    record = signed.get("/api/2.0/people/@self", headers=_auth(ben)).json()["response"]
    for url in [*urls.values(), record["avatar"], record["avatarMax"], record["avatarSmall"]]:
        path = url.split("?")[0]
        assert path.startswith(f"{ROOT}/~")
        assert redact_tokens(path).startswith(f"{ROOT}/{REDACTED}_")
        for identity in (str(ben.user.uuid), ben.user.email, ben.user.username, "10001"):
            assert identity not in url


def test_a_signed_name_serves_the_photo_with_credentials_only(
    signed: TestClient, ben: Person, cleo: Person
) -> None:
    for url in _urls(signed, ben).values():
        answer = signed.get(url, headers=_auth(ben))
        assert answer.status_code == 200 and answer.headers["content-type"] == "image/jpeg"
        assert _status(signed, url, cleo) == 200  # the default view rule: everyone
        assert _status(signed, url, None) == 403


def test_names_by_uuid_are_not_served_when_signed(
    signed: TestClient, plain: TestClient, ben: Person
) -> None:
    by_uuid = _urls(plain, ben)["big"]
    assert str(ben.user.uuid) in by_uuid
    assert _status(plain, by_uuid, ben) == 200
    assert _status(signed, by_uuid, ben) == 404


def test_every_tampered_character_is_404(signed: TestClient, ben: Person) -> None:
    path = _urls(signed, ben)["max"].split("?")[0]
    start = len(ROOT) + 1
    for position in range(start + 1, start + TOKEN_LENGTH):
        swapped = ALPHABET[(ALPHABET.index(path[position]) + 1) % 64]
        assert _status(signed, path[:position] + swapped + path[position + 1 :], ben) == 404


def test_without_credentials_a_forgery_is_403_like_a_real_name(
    signed: TestClient, ben: Person
) -> None:
    path = _urls(signed, ben)["max"].split("?")[0]
    start = len(ROOT) + 2
    forged = path[:start] + ("A" if path[start] != "A" else "B") + path[start + 1 :]
    assert forged != path
    assert _status(signed, path, None) == _status(signed, forged, None) == 403


def test_expiry_edge(signed: TestClient, ben: Person, clock: Clock) -> None:
    url = _urls(signed, ben)["small"]
    clock.now = NOW + LIFETIME - 0.5
    assert _status(signed, url, ben) == 200
    clock.now = NOW + LIFETIME
    assert _status(signed, url, ben) == 404


def test_an_onoffice_token_does_not_open_a_docspace_name(
    signed: TestClient, signing: Services, ben: Person
) -> None:
    path = _urls(signed, ben)["small"].split("?")[0]
    token = signing.links.issue("onoffice", ben.user.number)
    assert _status(signed, _with_token(path, token), ben) == 404
    good = signing.links.issue("docspace", ben.user.number)
    assert _status(signed, _with_token(path, good), ben) == 200


def test_off_by_default_signed_names_are_unknown(
    plain: TestClient, signing: Services, ben: Person
) -> None:
    path = _urls(plain, ben)["small"].split("?")[0]
    assert all(str(ben.user.uuid) in url for url in _urls(plain, ben).values())
    token = signing.links.issue("docspace", ben.user.number)
    signed_name = path.replace(str(ben.user.uuid), token)
    assert _status(plain, signed_name, ben) == 404
