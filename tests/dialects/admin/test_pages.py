"""The directory grid, a person's page and its photo forms, the photo route, API keys."""

from __future__ import annotations

import re

import httpx
import pytest
from starlette.testclient import TestClient

from tests.dialects.admin.conftest import ADMIN_PASSWORD, log_in, post_form
from tests.images import BLUE, RED, close, decode, encode, quadrants, solid
from userphoto.config import Settings
from userphoto.core.model import VARIANT_SIZES, PhotoOwner, Scope, User
from userphoto.core.services import Services
from userphoto.dialects import REGISTERED
from userphoto.dialects.admin.directory import PAGE_SIZE
from userphoto.web.app import create_app

TILE = re.compile(r'<a href="/admin/people/(\d+)">')


def people(services: Services, count: int) -> list[User]:
    return [
        services.directory.save_user(
            {"username": f"u{n:03d}", "email": f"u{n:03d}@corp.example", "last_name": f"L{n:03d}"}
        )
        for n in range(count)
    ]


def tiles(html: str) -> list[int]:
    return [int(n) for n in TILE.findall(html)]


def test_the_grid_pages_through_the_directory(admin_client: TestClient, services: Services) -> None:
    created = people(services, PAGE_SIZE + 5)
    first = admin_client.get("/admin")
    assert len(tiles(first.text)) == PAGE_SIZE
    assert f"{len(created) + 1} people" in first.text
    assert 'rel="next"' in first.text
    second = admin_client.get("/admin?page=2")
    assert len(tiles(second.text)) == len(created) + 1 - PAGE_SIZE
    assert not set(tiles(first.text)) & set(tiles(second.text))


@pytest.mark.parametrize(
    ("field", "term", "expected"),
    [
        ("email", "u007@", [7]),
        ("username", "u01", list(range(10, 20))),
        ("last_name", "l00", list(range(10))),
    ],
)
def test_search_finds_by_field(
    admin_client: TestClient, services: Services, field: str, term: str, expected: list[int]
) -> None:
    numbers = [u.number for u in people(services, 20)]
    answer = admin_client.get("/admin", params={"field": field, "q": term})
    assert sorted(tiles(answer.text)) == sorted(numbers[i] for i in expected)


def test_the_default_search_looks_in_every_name_field_at_once(
    admin_client: TestClient, services: Services
) -> None:
    people(services, PAGE_SIZE)
    save = services.directory.save_user
    zeds = [
        save({"first_name": "Zed"}),
        save({"last_name": "Zedler"}),
        save({"username": "ops-zed"}),
        save({"email": "ZED@corp.example"}),
    ]
    answer = admin_client.get("/admin", params={"q": "zed"})
    assert sorted(tiles(answer.text)) == [u.number for u in zeds]
    assert "4 people matching" in answer.text
    everyone = admin_client.get("/admin", params={"q": "corp.example", "page": 2})
    assert f"{PAGE_SIZE + 1} people matching" in everyone.text
    assert len(tiles(everyone.text)) == 1


@pytest.mark.parametrize(
    "query", ["page=0", "page=-3", "page=x", "page=" + "9" * 5000, "field=password_hash&q=a"]
)
def test_odd_grid_parameters_fall_back_to_defaults(admin_client: TestClient, query: str) -> None:
    assert admin_client.get(f"/admin?{query}").status_code == 200


def test_the_grid_shows_the_96_pixel_thumbnail(
    admin_client: TestClient, services: Services, admin: User
) -> None:
    photo = services.photos.set_photo(
        PhotoOwner.user(admin.number), encode(solid((300, 300), RED), "PNG")
    )
    key = photo.rendition(96).blob_key[:16]
    assert f'src="/admin/people/{admin.number}/photo/96?v={key}"' in admin_client.get("/admin").text


def test_the_photo_route_serves_renditions_with_validators(
    admin_client: TestClient, services: Services, admin: User
) -> None:
    services.photos.set_photo(PhotoOwner.user(admin.number), encode(solid((300, 300), RED), "PNG"))
    answer = admin_client.get(f"/admin/people/{admin.number}/photo/96")
    assert answer.status_code == 200
    assert decode(answer.content).size == (96, 96)
    assert answer.headers["cache-control"].startswith("private")
    again = admin_client.get(
        f"/admin/people/{admin.number}/photo/96", headers={"If-None-Match": answer.headers["etag"]}
    )
    assert again.status_code == 304
    original = admin_client.get(f"/admin/people/{admin.number}/photo/original")
    assert decode(original.content).size == (300, 300)


@pytest.mark.parametrize("size", ["97", "abc", "0"])
def test_the_photo_route_refuses_unknown_sizes(
    admin_client: TestClient, admin: User, size: str
) -> None:
    assert admin_client.get(f"/admin/people/{admin.number}/photo/{size}").status_code == 404


def test_the_photo_route_is_404_without_a_photo(admin_client: TestClient, admin: User) -> None:
    assert admin_client.get(f"/admin/people/{admin.number}/photo/96").status_code == 404


def test_a_person_page_shows_fields_sizes_and_dialect_links(
    admin_client: TestClient, services: Services, plain_user: User
) -> None:
    services.photos.set_photo(
        PhotoOwner.user(plain_user.number), encode(solid((300, 300), RED), "PNG")
    )
    html = admin_client.get(f"/admin/people/{plain_user.number}").text
    assert "pat@example.com" in html
    assert "password_hash" not in html
    for size in VARIANT_SIZES:
        assert f"/admin/people/{plain_user.number}/photo/{size}?v=" in html
    base = "http://testserver"
    expected = {
        "onoffice": f"{base}/smart20/Dateien/userphoto/users/Userphoto_{plain_user.number}.jpg",
        "ews": f"{base}/EWS/Exchange.asmx/s/GetUserPhoto?email=pat%40example.com&amp;size=HR96x96",
        "graph": f"{base}/v1.0/users/{plain_user.uuid}/photo/$value",
        "docspace": f"{base}/api/2.0/people/{plain_user.uuid}/photo",
        "gravatar": f"{base}/avatar/",
    }
    for dialect in REGISTERED:
        if dialect in expected:
            assert f'id="link-{dialect}" value="{expected[dialect]}' in html, dialect


def test_an_unknown_person_is_404(admin_client: TestClient) -> None:
    assert admin_client.get("/admin/people/999999").status_code == 404


def upload(client: TestClient, number: int, data: bytes, name: str = "p.png") -> httpx.Response:
    return post_form(
        client,
        f"/admin/people/{number}",
        f"/admin/people/{number}/photo",
        {},
        files={"photo": (name, data, "image/png")},
    )


def test_upload_stores_the_photo(
    admin_client: TestClient, services: Services, plain_user: User
) -> None:
    answer = upload(admin_client, plain_user.number, encode(solid((200, 200), BLUE), "PNG"))
    assert answer.status_code == 200
    assert "The new photo is stored." in answer.text
    photo = services.photos.current(PhotoOwner.user(plain_user.number))
    assert photo is not None
    assert close(decode(services.photos.read(photo.rendition(96))).getpixel((48, 48)), BLUE)


def test_an_upload_that_is_no_image_is_explained(
    admin_client: TestClient, services: Services, plain_user: User
) -> None:
    answer = upload(admin_client, plain_user.number, b"not an image at all")
    assert answer.status_code == 400
    assert "Not stored:" in answer.text
    assert services.photos.current(PhotoOwner.user(plain_user.number)) is None


@pytest.mark.parametrize(("padding", "status"), [(200_000, 413), (5_000, 400)])
def test_an_upload_over_the_limit_is_refused(
    settings: Settings,
    services: Services,
    admin: User,
    plain_user: User,
    padding: int,
    status: int,
) -> None:
    """Refused from Content-Length before parsing, or when the file itself is read."""
    client = TestClient(create_app(settings.with_(max_upload_bytes=1000), services))
    log_in(client, "boss", ADMIN_PASSWORD)
    answer = upload(client, plain_user.number, encode(solid((8, 8), RED), "PNG") + b"\0" * padding)
    assert answer.status_code == status
    assert services.photos.current(PhotoOwner.user(plain_user.number)) is None


def test_a_form_without_a_file_is_explained(admin_client: TestClient, plain_user: User) -> None:
    number = plain_user.number
    answer = post_form(admin_client, f"/admin/people/{number}", f"/admin/people/{number}/photo", {})
    assert answer.status_code == 400
    assert "Choose a photo file" in answer.text


def test_an_upload_without_the_csrf_token_changes_nothing(
    admin_client: TestClient, services: Services, plain_user: User
) -> None:
    answer = admin_client.post(
        f"/admin/people/{plain_user.number}/photo",
        files={"photo": ("p.png", encode(solid((200, 200), BLUE), "PNG"), "image/png")},
    )
    assert answer.status_code == 403
    assert services.photos.current(PhotoOwner.user(plain_user.number)) is None


def crop(client: TestClient, number: int, box: dict[str, str]) -> httpx.Response:
    return post_form(client, f"/admin/people/{number}", f"/admin/people/{number}/crop", box)


def test_crop_renders_the_box_of_the_stored_original(
    admin_client: TestClient, services: Services, plain_user: User
) -> None:
    owner = PhotoOwner.user(plain_user.number)
    services.photos.set_photo(owner, encode(quadrants(400, 400), "PNG"))
    answer = crop(
        admin_client, plain_user.number, {"x": "0", "y": "0", "width": "200", "height": "200"}
    )
    assert "The photo is cropped." in answer.text
    photo = services.photos.current(owner)
    assert photo is not None
    assert close(decode(services.photos.read(photo.rendition(96))).getpixel((48, 48)), RED)


@pytest.mark.parametrize(
    "box",
    [
        {"x": "a", "y": "0", "width": "10", "height": "10"},
        {"x": "0", "y": "0", "width": "0", "height": "10"},
        {"x": "0", "y": "0", "width": "10"},
        {"x": "450", "y": "450", "width": "100", "height": "100"},
    ],
)
def test_a_bad_crop_box_is_explained(
    admin_client: TestClient, services: Services, plain_user: User, box: dict[str, str]
) -> None:
    owner = PhotoOwner.user(plain_user.number)
    before = services.photos.set_photo(owner, encode(quadrants(400, 400), "PNG"))
    answer = crop(admin_client, plain_user.number, box)
    assert answer.status_code == 400
    assert services.photos.current(owner) == before


def test_crop_without_a_photo_is_explained(admin_client: TestClient, plain_user: User) -> None:
    answer = crop(
        admin_client, plain_user.number, {"x": "0", "y": "0", "width": "9", "height": "9"}
    )
    assert answer.status_code == 400
    assert "no own photo" in answer.text


def test_delete_removes_the_photo(
    admin_client: TestClient, services: Services, plain_user: User
) -> None:
    owner = PhotoOwner.user(plain_user.number)
    services.photos.set_photo(owner, encode(solid((100, 100), RED), "PNG"))
    page, action = (
        f"/admin/people/{plain_user.number}",
        f"/admin/people/{plain_user.number}/delete-photo",
    )
    assert "The photo is deleted." in post_form(admin_client, page, action, {}).text
    assert services.photos.current(owner) is None
    assert "no photo of this person" in post_form(admin_client, page, action, {}).text


def test_a_key_is_shown_once_and_works_until_revoked(
    admin_client: TestClient, services: Services, plain_user: User
) -> None:
    answer = post_form(
        admin_client,
        "/admin/keys",
        "/admin/keys",
        {"name": "sync job", "owner": "pat@example.com", "scopes": "people:read"},
    )
    secret = re.search(r'id="new-key" value="(sk-[^"]+)"', answer.text)
    assert secret is not None
    principal = services.auth.by_key(secret.group(1))
    assert principal is not None
    assert principal.user.number == plain_user.number
    assert principal.scopes == {Scope.PEOPLE_READ}
    listing = admin_client.get("/admin/keys").text
    assert "sync job" in listing
    assert secret.group(1) not in listing
    (key,) = services.auth.keys(plain_user.number)
    revoked = post_form(admin_client, "/admin/keys", f"/admin/keys/{key.id}/revoke", {})
    assert "The key is revoked." in revoked.text
    assert services.auth.by_key(secret.group(1)) is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "Give the key a name"),
        ({"name": "a\x00b"}, "Give the key a name"),
        ({"name": "k", "owner": "nobody-here"}, "No user"),
        ({"name": "k", "owner": "nobody\x00"}, "No user"),
    ],
)
def test_a_bad_key_form_is_explained(
    admin_client: TestClient, services: Services, data: dict[str, str], message: str
) -> None:
    answer = post_form(admin_client, "/admin/keys", "/admin/keys", data)
    assert answer.status_code == 400
    assert message in answer.text
    assert services.auth.keys() == []


def test_revoking_an_unknown_key_is_404(admin_client: TestClient) -> None:
    assert post_form(admin_client, "/admin/keys", "/admin/keys/4242/revoke", {}).status_code == 404


def test_restore_makes_an_earlier_version_current_and_is_audited(
    admin_client: TestClient, services: Services, admin: User, plain_user: User
) -> None:
    owner = PhotoOwner.user(plain_user.number)
    first = services.photos.set_photo(owner, encode(solid((200, 200), RED), "PNG"))
    services.photos.set_photo(owner, encode(solid((200, 200), BLUE), "PNG"))
    page = admin_client.get(f"/admin/people/{plain_user.number}").text
    version = f"/admin/people/{plain_user.number}/versions/{first.id}/96"
    assert f'src="{version}"' in page
    assert close(decode(admin_client.get(version).content).getpixel((48, 48)), RED)
    answer = post_form(
        admin_client,
        f"/admin/people/{plain_user.number}",
        f"/admin/people/{plain_user.number}/restore",
        {"photo_id": str(first.id)},
    )
    assert "The earlier photo is current again." in answer.text
    current = services.photos.current(owner)
    assert current is not None
    assert current.content_hash == first.content_hash
    (latest, *_) = services.audit.trail(owner).items
    assert (latest.action, latest.actor.channel, latest.actor.id) == (
        "restore",
        "admin",
        str(admin.number),
    )


@pytest.mark.parametrize("photo_id", ["", "abc", "424242"])
def test_restoring_an_unknown_version_is_explained(
    admin_client: TestClient, services: Services, plain_user: User, photo_id: str
) -> None:
    owner = PhotoOwner.user(plain_user.number)
    kept = services.photos.set_photo(owner, encode(solid((200, 200), RED), "PNG"))
    answer = post_form(
        admin_client,
        f"/admin/people/{plain_user.number}",
        f"/admin/people/{plain_user.number}/restore",
        {"photo_id": photo_id},
    )
    assert answer.status_code == 400
    assert services.photos.current(owner) == kept


def test_an_unknown_version_photo_is_404(admin_client: TestClient, plain_user: User) -> None:
    assert admin_client.get(f"/admin/people/{plain_user.number}/versions/77/96").status_code == 404


def test_uploads_are_audited_as_the_admin_through_the_admin_pages(
    admin_client: TestClient, services: Services, admin: User, plain_user: User
) -> None:
    upload(admin_client, plain_user.number, encode(solid((200, 200), BLUE), "PNG"))
    (entry,) = services.audit.trail(PhotoOwner.user(plain_user.number)).items
    assert (entry.action, entry.actor.channel, entry.actor.id) == (
        "set",
        "admin",
        str(admin.number),
    )


@pytest.mark.parametrize("value", ["²", "١٢", "1e3", "-5"])
def test_numbers_in_other_scripts_are_refused_not_crashed_on(
    admin_client: TestClient, services: Services, plain_user: User, value: str
) -> None:
    owner = PhotoOwner.user(plain_user.number)
    services.photos.set_photo(owner, encode(quadrants(400, 400), "PNG"))
    box = {"x": value, "y": "0", "width": "10", "height": "10"}
    assert crop(admin_client, plain_user.number, box).status_code == 400
    page, action = (
        f"/admin/people/{plain_user.number}",
        f"/admin/people/{plain_user.number}/restore",
    )
    assert post_form(admin_client, page, action, {"photo_id": value}).status_code == 400
    assert admin_client.get(f"/admin?page={value}").status_code == 200
    assert admin_client.get(f"{page}/photo/{value}").status_code == 404
