"""The image files behind the URLs: validators, caching, 304, credentials, real defaults."""

from __future__ import annotations

import httpx
import pytest

from tests.dialects.docspace.conftest import Person, docspace_app
from tests.dialects.docspace.servers import running_app
from tests.images import RED, decode, encode, solid
from userphoto.config import Settings
from userphoto.core.model import PhotoOwner
from userphoto.core.services import Services


def _auth(person: Person) -> dict[str, str]:
    return {"Authorization": f"Bearer {person.key}"}


def _urls(base_url: str, person: Person, target: Person) -> dict[str, str]:
    answer = httpx.get(f"{base_url}/api/2.0/people/{target.user.uuid}/photo", headers=_auth(person))
    return answer.json()["response"]


def test_stored_photos_have_validators_and_answer_304(
    base_url: str, ben: Person, services: Services
) -> None:
    services.photos.set_photo(PhotoOwner.user(ben.user.number), encode(solid((90, 90), RED), "PNG"))
    url = base_url + _urls(base_url, ben, ben)["big"]
    first = httpx.get(url, headers=_auth(ben))
    assert first.status_code == 200 and first.headers["content-type"].startswith("image/")
    assert "private" in first.headers["cache-control"]
    etag = first.headers["etag"]
    again = httpx.get(url, headers={**_auth(ben), "If-None-Match": etag})
    assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", etag)


def test_stored_photos_need_credentials(base_url: str, ben: Person, services: Services) -> None:
    services.photos.set_photo(PhotoOwner.user(ben.user.number), encode(solid((90, 90), RED), "PNG"))
    url = base_url + _urls(base_url, ben, ben)["small"]
    assert httpx.get(url).status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/storage/userPhotos/root/not-a-name.png",
        "/storage/userPhotos/root/00000000-0000-0000-0000-000000000000_size_82-82.jpg",
        "/storage/userPhotos/temp/" + "0" * 32 + ".png",
        "/static/images/default_user_photo_size_81-81.png",
        "/static/images/anything.png",
    ],
)
def test_unknown_files_are_not_found(base_url: str, ben: Person, path: str) -> None:
    assert httpx.get(base_url + path, headers=_auth(ben)).status_code == 404


def test_a_stale_file_name_is_not_found(base_url: str, ben: Person, services: Services) -> None:
    services.photos.set_photo(PhotoOwner.user(ben.user.number), encode(solid((90, 90), RED), "PNG"))
    original = _urls(base_url, ben, ben)["original"].split("?")[0]
    stale = original.replace("_orig_90-90.", "_orig_91-91.")
    assert httpx.get(base_url + original, headers=_auth(ben)).status_code == 200
    assert httpx.get(base_url + stale, headers=_auth(ben)).status_code == 404


def test_defaults_are_real_pngs_of_each_size(base_url: str, ben: Person) -> None:
    urls = _urls(base_url, ben, ben)
    sizes = {"original": 200, "retina": 360, "max": 200, "big": 82, "medium": 48, "small": 32}
    for key, side in sizes.items():
        answer = httpx.get(base_url + urls[key])
        assert answer.status_code == 200 and answer.headers["content-type"] == "image/png"
        assert decode(answer.content).size == (side, side)
        assert "immutable" in answer.headers["cache-control"]
        cached = httpx.get(base_url + urls[key], headers={"If-None-Match": answer.headers["etag"]})
        assert cached.status_code == 304


def test_initials_defaults_when_the_setting_asks(
    settings: Settings, services: Services, ben: Person, cleo: Person
) -> None:
    app = docspace_app(settings.with_(docspace_default_avatar="initials"), services)
    with running_app(app) as url:
        ben_urls = _urls(url, ben, ben)
        cleo_urls = _urls(url, ben, cleo)
        ben_image = httpx.get(url + ben_urls["max"]).content
        cleo_image = httpx.get(url + cleo_urls["max"]).content
    assert "initials=BB" in ben_urls["max"] and "initials=CC" in cleo_urls["max"]
    assert ben_urls["max"].startswith("/static/images/default_user_photo_size_200-200.png?")
    assert ben_image != cleo_image
    assert decode(ben_image).size == (200, 200)
