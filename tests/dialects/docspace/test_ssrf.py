"""PUT with a URL must not reach inside the network: every refusal is a 403, nothing is
stored, and a blocked address is never even connected to."""

from __future__ import annotations

import dataclasses
import ipaddress
from collections.abc import Iterator

import httpx
import pytest
from starlette.applications import Starlette

from tests.dialects.docspace.conftest import Person, docspace_app
from tests.dialects.docspace.servers import (
    OriginServer,
    body,
    endless,
    redirect,
    running_app,
    stall,
    trickle,
)
from tests.images import RED, encode, png_header_bomb, solid
from userphoto.bootstrap import fetch_policy
from userphoto.config import Settings
from userphoto.core.fetching import IPAddress
from userphoto.core.model import PhotoOwner
from userphoto.core.services import Services
from userphoto.net.fetch import PinnedFetcher

PNG = encode(solid((64, 64), RED), "PNG")
INTRANET = {"intranet.example": "10.0.0.7", "metadata.example": "169.254.169.254"}


def _resolver(host: str, port: int) -> list[IPAddress]:
    return [ipaddress.ip_address(INTRANET.get(host, "93.184.215.14"))]


@pytest.fixture
def database_url() -> str:
    """SQLite only: what these tests check happens before the store is involved."""
    return ""


@pytest.fixture
def strict_url(settings: Settings, services: Services, people: tuple[Person, ...]) -> Iterator[str]:
    """The app with the shipped block list (loopback not allowed) and a fake DNS."""
    strict = settings.with_(fetch_allowed_networks="")
    fetcher = PinnedFetcher(fetch_policy(strict), resolver=_resolver)
    app: Starlette = docspace_app(strict, dataclasses.replace(services, fetcher=fetcher))
    with running_app(app) as url:
        yield url


def _put(base_url: str, person: Person, url: str) -> httpx.Response:
    return httpx.put(
        f"{base_url}/api/2.0/people/{person.user.uuid}/photo",
        json={"files": url},
        headers={"Authorization": f"Bearer {person.key}"},
        timeout=30,
    )


def _refused(answer: httpx.Response, services: Services, person: Person) -> bool:
    stored = services.photos.current(PhotoOwner.user(person.user.number))
    return answer.status_code == 403 and answer.json()["status"] == 1 and stored is None


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:{port}/a.png",
        "http://[::1]:{port}/a.png",
        "http://[::ffff:127.0.0.1]:{port}/a.png",
        "http://10.1.2.3/a.png",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/a.png",
        "http://intranet.example/a.png",
        "http://metadata.example/latest/meta-data/",
        "ftp://example.com/a.png",
        "file:///etc/passwd",
    ],
)
def test_inner_addresses_are_refused_before_connecting(
    strict_url: str, ben: Person, services: Services, origin: OriginServer, target: str
) -> None:
    origin.replies["/a.png"] = body(PNG)
    port = origin.url.rsplit(":", 1)[1]
    answer = _put(strict_url, ben, target.format(port=port))
    assert _refused(answer, services, ben)
    assert answer.json()["error"]["message"] == "Access denied"
    assert origin.hits == []


def test_a_portal_relative_path_is_refused_too(
    strict_url: str, ben: Person, services: Services
) -> None:
    assert _refused(_put(strict_url, ben, "/storage/userPhotos/temp/x.png"), services, ben)


@pytest.mark.parametrize(
    "location",
    ["http://10.0.0.1/a.png", "http://127.0.0.2:{port}/a.png", "http://intranet.example/a.png"],
)
def test_a_redirect_to_an_inner_address_is_refused(
    base_url: str, ben: Person, services: Services, origin: OriginServer, location: str
) -> None:
    port = origin.url.rsplit(":", 1)[1]
    origin.replies["/a.png"] = body(PNG)
    origin.replies["/hop"] = redirect(location.format(port=port))
    assert _refused(_put(base_url, ben, origin.url + "/hop"), services, ben)
    assert origin.hits == ["/hop"]


@pytest.mark.parametrize(
    "reply",
    [endless(), stall(3), trickle(0.3), redirect("/loop")],
    ids=["over-the-size-limit", "slow-to-answer", "slow-body", "redirect-loop"],
)
def test_downloads_that_break_the_limits_are_refused(
    base_url: str, ben: Person, services: Services, origin: OriginServer, reply: object
) -> None:
    origin.replies["/loop"] = reply  # type: ignore[assignment]
    answer = _put(base_url, ben, origin.url + "/loop")
    assert _refused(answer, services, ben)
    assert answer.json()["error"]["message"].startswith("Failed to download photo")


def test_a_failed_download_is_refused(
    base_url: str, ben: Person, services: Services, origin: OriginServer
) -> None:
    answer = _put(base_url, ben, origin.url + "/missing.png")
    assert _refused(answer, services, ben)
    assert answer.json()["error"]["message"] == "Failed to download photo: the server answered 404"


def test_a_body_that_is_no_image_is_a_400(
    base_url: str, ben: Person, services: Services, origin: OriginServer
) -> None:
    origin.replies["/page.html"] = body(b"<html></html>", "text/html")
    answer = _put(base_url, ben, origin.url + "/page.html")
    assert answer.status_code == 400
    assert answer.json()["error"]["message"] == "Unknown image file type"
    assert services.photos.current(PhotoOwner.user(ben.user.number)) is None


def test_a_decompression_bomb_behind_a_url_is_refused(
    base_url: str, ben: Person, services: Services, origin: OriginServer
) -> None:
    origin.replies["/bomb.png"] = body(png_header_bomb(100_000, 100_000))
    answer = _put(base_url, ben, origin.url + "/bomb.png")
    assert answer.status_code == 400
    assert answer.json()["error"]["message"] == "Image size is too large"
    assert services.photos.current(PhotoOwner.user(ben.user.number)) is None
