"""GET /avatar/<hash>: lookup by MD5 or SHA-256, sizes, defaults, redirects, caching."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from tests.dialects.gravatar.conftest import WITH_PHOTO, WITHOUT_PHOTO, image, jpeg, md5, sha256
from userphoto.config import Settings
from userphoto.core.model import PhotoOwner
from userphoto.core.services import Services
from userphoto.web.app import create_app

pytestmark = pytest.mark.usefixtures("people")
UNKNOWN = md5("nobody@contoso.com")


@pytest.mark.parametrize(
    "digest",
    [md5(WITH_PHOTO), sha256(WITH_PHOTO), md5(WITH_PHOTO).upper(), md5(WITH_PHOTO) + ".jpg"],
)
def test_the_photo_by_either_hash(client: TestClient, digest: str) -> None:
    response = client.get(f"/avatar/{digest}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/jpeg"
    assert image(response.content).size == (80, 80)
    assert response.headers["cache-control"] == "public, max-age=300, must-revalidate"


@pytest.mark.parametrize(
    ("query", "side"),
    [("s=96", 96), ("size=17", 17), ("s=250", 250), ("s=0", 1), ("s=abc", 80)],
)
def test_sizes(client: TestClient, query: str, side: int) -> None:
    response = client.get(f"/avatar/{md5(WITH_PHOTO)}?{query}")
    assert image(response.content).size == (side, side)
    assert response.headers["x-avatar-size"] == str(side)


@pytest.mark.parametrize("size", [300, 301, 2048, 5000])
def test_no_upscaling_past_the_photo_and_it_says_so(client: TestClient, size: int) -> None:
    response = client.get(f"/avatar/{md5(WITH_PHOTO)}?s={size}")
    assert image(response.content).size == (300, 300)
    assert response.headers["x-avatar-size"] == "300"


def test_a_stored_size_is_served_as_stored(client: TestClient, people: Services) -> None:
    photo = people.photos.current(PhotoOwner.user(1))
    assert photo is not None
    response = client.get(f"/avatar/{md5(WITH_PHOTO)}?s=96")
    assert response.content == people.photos.read(photo.rendition(96))
    assert response.headers["etag"] == f'"{photo.rendition(96).blob_key}"'


@pytest.mark.parametrize(
    "query", ["", "?s=96", "?s=250", "?d=identicon&f=y", "?d=mp", "?d=blank&s=20"]
)
def test_the_etag_brings_a_304_without_a_body(client: TestClient, query: str) -> None:
    for digest in (md5(WITH_PHOTO), UNKNOWN):
        url = f"/avatar/{digest}{query}"
        etag = client.get(url).headers["etag"]
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304
        assert again.content == b""


def test_a_new_photo_changes_the_resized_etag(client: TestClient, people: Services) -> None:
    url = f"/avatar/{md5(WITH_PHOTO)}?s=250"
    before = client.get(url).headers["etag"]
    people.photos.set_photo(PhotoOwner.user(1), jpeg(400))
    assert client.get(url, headers={"If-None-Match": before}).status_code == 200


def test_d_404(client: TestClient) -> None:
    assert client.get(f"/avatar/{UNKNOWN}?d=404").status_code == 404
    assert client.get(f"/avatar/{md5(WITH_PHOTO)}?d=404").status_code == 200
    assert client.get(f"/avatar/{md5(WITH_PHOTO)}?d=404&f=y").status_code == 404


@pytest.mark.parametrize("keyword", ["mp", "mm", "identicon", "retro", "initials", "blank"])
def test_generated_defaults_are_pngs_of_the_size(client: TestClient, keyword: str) -> None:
    response = client.get(f"/avatar/{UNKNOWN}?d={keyword}&s=64")
    assert response.headers["content-type"] == "image/png"
    assert image(response.content).size == (64, 64)


@pytest.mark.parametrize(("keyword", "side"), [("mp", 1024), ("initials", 1024), ("blank", 1500)])
def test_large_defaults_say_what_side_they_have(
    client: TestClient, keyword: str, side: int
) -> None:
    response = client.get(f"/avatar/{UNKNOWN}?d={keyword}&s=1500&name=Ada")
    assert image(response.content).size == (side, side)
    assert response.headers["x-avatar-size"] == str(side)


def test_without_d_it_is_the_silhouette(client: TestClient) -> None:
    plain = client.get(f"/avatar/{UNKNOWN}")
    assert plain.content == client.get(f"/avatar/{UNKNOWN}?d=mp").content


def test_identicons_are_stable_and_differ_by_hash(client: TestClient) -> None:
    first = client.get(f"/avatar/{UNKNOWN}?d=identicon").content
    assert client.get(f"/avatar/{UNKNOWN}?d=identicon").content == first
    assert client.get(f"/avatar/{md5('other@contoso.com')}?d=identicon").content != first


def test_blank_is_transparent(client: TestClient) -> None:
    picture = image(client.get(f"/avatar/{UNKNOWN}?d=blank&s=8").content)
    assert picture.mode == "RGBA"
    assert picture.getextrema()[3] == (0, 0)


def test_initials_come_from_the_directory(client: TestClient) -> None:
    known = client.get(f"/avatar/{md5(WITHOUT_PHOTO)}?d=initials").content
    named = client.get(f"/avatar/{UNKNOWN}?d=initials&name=Ada+Lovelace").content
    other = client.get(f"/avatar/{UNKNOWN}?d=initials&name=Bob+Builder").content
    assert known == named != other


def test_f_y_forces_the_default(client: TestClient) -> None:
    response = client.get(f"/avatar/{md5(WITH_PHOTO)}?f=y&d=identicon")
    assert response.headers["content-type"] == "image/png"


@pytest.fixture
def redirecting(settings: Settings, services: Services) -> Iterator[TestClient]:
    app: Starlette = create_app(settings.with_(gravatar_default_hosts="img.example.com"), services)
    with TestClient(app, follow_redirects=False) as client:
        yield client


def test_a_default_url_on_the_allow_list_is_a_redirect(redirecting: TestClient) -> None:
    target = "https://img.example.com/default.png"
    response = redirecting.get(f"/avatar/{UNKNOWN}", params={"d": target})
    assert response.status_code == 302
    assert response.headers["location"] == target
    assert redirecting.get(f"/avatar/{md5(WITH_PHOTO)}", params={"d": target}).status_code == 200


@pytest.mark.parametrize(
    "default",
    [
        "https://evil.example.net/x.png",
        "https://img.example.com.evil.net/x.png",
        "javascript:alert(1)",
        "//img.example.com/x.png",
        "sparkles",
    ],
)
def test_other_defaults_are_refused(redirecting: TestClient, default: str) -> None:
    response = redirecting.get(f"/avatar/{UNKNOWN}", params={"d": default})
    assert response.status_code == 400
    assert "location" not in response.headers


@pytest.mark.parametrize("digest", ["abc", "g" * 32, md5(WITH_PHOTO)[:-1], "x" * 64 + ".jpg"])
def test_a_malformed_hash_is_400(client: TestClient, digest: str) -> None:
    response = client.get(f"/avatar/{digest}")
    assert response.status_code == 400
    assert "MD5" in response.text


@pytest.fixture
def negotiating(settings: Settings, services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(settings.with_(negotiate_image_formats=True), services)) as client:
        yield client


@pytest.mark.parametrize(
    ("accept", "media_type", "pillow_format"),
    [
        ("image/avif,image/webp,*/*;q=0.8", "image/avif", "AVIF"),
        ("image/webp,*/*", "image/webp", "WEBP"),
        ("*/*", "image/jpeg", "JPEG"),
    ],
)
def test_formats_are_negotiated_when_the_setting_is_on(
    negotiating: TestClient, accept: str, media_type: str, pillow_format: str
) -> None:
    url = f"/avatar/{md5(WITH_PHOTO)}?s=96"
    response = negotiating.get(url, headers={"Accept": accept})
    assert response.headers["content-type"] == media_type
    assert response.headers["vary"] == "Accept"
    assert image(response.content).format == pillow_format
    assert image(response.content).size == (96, 96)
    again = negotiating.get(
        url, headers={"Accept": accept, "If-None-Match": response.headers["etag"]}
    )
    assert again.status_code == 304


def test_formats_are_not_negotiated_when_the_setting_is_off(client: TestClient) -> None:
    response = client.get(f"/avatar/{md5(WITH_PHOTO)}", headers={"Accept": "image/avif"})
    assert response.headers["content-type"] == "image/jpeg"
    assert "vary" not in response.headers
