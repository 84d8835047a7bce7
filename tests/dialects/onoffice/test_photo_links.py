"""The photo links are served with validators; 304 on a matching If-None-Match, 404 without."""

from email.utils import parsedate_to_datetime

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from tests.dialects.onoffice.support import jpeg
from userphoto.config import Settings
from userphoto.core.model import PhotoOwner, Rendition
from userphoto.core.services import Services
from userphoto.dialects.onoffice import routes
from userphoto.web.photos import etag_matches

PATH = "/smart20/Dateien/userphoto/users/Userphoto_{}.jpg"


def rendition_of(services: Services, number: int) -> Rendition:
    photo = services.photos.effective_photo(services.directory.user(number))
    assert photo is not None
    return photo.rendition(240)


def test_serves_the_rendition_with_validators(http: TestClient, directory: Services) -> None:
    response = http.get(PATH.format(17))
    rendition = rendition_of(directory, 17)
    photo = directory.photos.current(PhotoOwner.user(17))
    assert response.status_code == 200
    assert response.content == directory.photos.read(rendition)
    assert response.headers["content-type"] == "image/jpeg"
    assert response.headers["etag"] == f'"{rendition.blob_key}"'
    assert response.headers["cache-control"] == "public, max-age=300"
    assert parsedate_to_datetime(response.headers["last-modified"]) == photo.created_at.replace(
        microsecond=0
    )


def test_max_age_follows_the_setting(directory: Services, settings: Settings) -> None:
    app = Starlette(routes=routes(directory, settings.with_(photo_max_age=60)))
    with TestClient(app) as http:
        assert http.get(PATH.format(17)).headers["cache-control"] == "public, max-age=60"


@pytest.mark.parametrize(
    "template", ['"{}"', "{}", 'W/"{}"', '"other", W/"{}"', '"a","{}" , "b"', "*"]
)
def test_matching_if_none_match_is_304(
    http: TestClient, directory: Services, template: str
) -> None:
    key = rendition_of(directory, 17).blob_key
    response = http.get(PATH.format(17), headers={"If-None-Match": template.format(key)})
    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["etag"] == f'"{key}"'
    assert response.headers["cache-control"] == "public, max-age=300"


@pytest.mark.parametrize("header", ['"other"', "", 'W/"x", y', '"{}x"'])
def test_other_if_none_match_gets_the_photo(
    http: TestClient, directory: Services, header: str
) -> None:
    key = rendition_of(directory, 17).blob_key
    response = http.get(PATH.format(17), headers={"If-None-Match": header.format(key)})
    assert response.status_code == 200
    assert response.content == directory.photos.read(rendition_of(directory, 17))


def test_a_new_photo_gets_a_new_etag(http: TestClient, directory: Services) -> None:
    old = http.get(PATH.format(17)).headers["etag"]
    directory.photos.set_photo(PhotoOwner.user(17), jpeg((0, 0, 0)))
    response = http.get(PATH.format(17), headers={"If-None-Match": old})
    assert response.status_code == 200
    assert response.headers["etag"] != old


def test_serves_the_address_photo_as_fallback(http: TestClient, directory: Services) -> None:
    directory.directory.save_address({"id": 5})
    directory.directory.save_user({"number": 19, "address_id": 5})
    directory.photos.set_photo(PhotoOwner.address(5), jpeg((10, 200, 10)))
    response = http.get(PATH.format(19))
    assert response.status_code == 200
    assert response.content == directory.photos.read(rendition_of(directory, 19))


@pytest.mark.parametrize(
    "path",
    [
        PATH.format(19),
        PATH.format(999),
        PATH.format(10**30),
        PATH.format("abc"),
        "/smart20/Dateien/CustomerName/users/Userphoto_17.jpg",
        "/smart20/Dateien/userphoto/users/Userphoto_17.png",
    ],
)
def test_missing_photos_are_404(http: TestClient, directory: Services, path: str) -> None:
    assert http.get(path).status_code == 404


def test_links_need_no_credentials_and_only_read(http: TestClient, directory: Services) -> None:
    assert http.head(PATH.format(17)).status_code == 200
    assert http.post(PATH.format(17)).status_code == 405


@pytest.mark.parametrize(
    ("header", "matches"),
    [
        (None, False),
        ("", False),
        ('"k"', True),
        ("k", True),
        ('W/"k"', True),
        (' "x" ,W/"k"', True),
        ("*", True),
        ('"kk"', False),
        ('"K"', False),
        ("x, y", False),
    ],
)
def test_etag_matches(header: str | None, matches: bool) -> None:
    assert etag_matches(header, "k") is matches
