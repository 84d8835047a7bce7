"""Resource `userphoto`: base64 or links, the address fallback, messenger ids, rights."""

import base64
import io
from typing import Any

import pytest
from PIL import Image

from tests.dialects.onoffice.support import OnOfficeClient, jpeg, photo_base64
from userphoto.core.model import PhotoOwner
from userphoto.core.services import Services

LINK = "http://testserver/smart20/Dateien/userphoto/users/Userphoto_{}.jpg"


def photos(api: OnOfficeClient, parameters: Any = None, **fields: Any) -> dict[int, Any]:
    records = api.records(api.action("userphoto", parameters, **fields))
    return {r["id"]: r["elements"] for r in records}


def test_base64_by_default(api: OnOfficeClient, directory: Services) -> None:
    assert photos(api, resourceid="17") == {17: {"photo": photo_base64(directory, 17, 240)}}
    assert photos(api, {"photosAsLinks": False}, resourceid=17)[17]["photo"].startswith("/9j/")


def test_links(api: OnOfficeClient) -> None:
    result = photos(api, {"photosAsLinks": True, "filter": {"Nr": [{"op": "<", "val": 25}]}})
    assert result == {17: {"photo": LINK.format(17)}, 19: {"photo": None}, 21: {"photo": None}}


def test_size_follows_the_setting(api: OnOfficeClient, directory: Services) -> None:
    data = base64.b64decode(photos(api, resourceid="25")[25]["photo"])
    assert Image.open(io.BytesIO(data)).size == (240, 240)
    assert data == directory.photos.read(
        directory.photos.effective_photo(directory.directory.user(25)).rendition(240)
    )


def test_fallback_to_the_linked_address_photo(api: OnOfficeClient, directory: Services) -> None:
    directory.directory.save_address({"id": 5, "last_name": "Test"})
    directory.directory.save_user({"number": 19, "address_id": 5})
    directory.photos.set_photo(PhotoOwner.address(5), jpeg((10, 200, 10)))
    address_photo = directory.photos.current(PhotoOwner.address(5))
    expected = base64.b64encode(directory.photos.read(address_photo.rendition(240))).decode()
    assert photos(api, resourceid="19") == {19: {"photo": expected}}
    assert photos(api, {"photosAsLinks": True}, resourceid="19") == {19: {"photo": LINK.format(19)}}


def test_own_photo_wins_over_the_address_photo(api: OnOfficeClient, directory: Services) -> None:
    directory.directory.save_address({"id": 5})
    directory.directory.save_user({"number": 17, "address_id": 5})
    directory.photos.set_photo(PhotoOwner.address(5), jpeg((10, 200, 10)))
    own = directory.photos.current(PhotoOwner.user(17))
    expected = base64.b64encode(directory.photos.read(own.rendition(240))).decode()
    assert photos(api, resourceid="17") == {17: {"photo": expected}}


def test_address_without_photo_gives_null(api: OnOfficeClient, directory: Services) -> None:
    directory.directory.save_address({"id": 5})
    directory.directory.save_user({"number": 19, "address_id": 5})
    assert photos(api, resourceid="19") == {19: {"photo": None}}


def test_default_listlimit_is_20_and_the_count_null(
    api: OnOfficeClient, directory: Services
) -> None:
    for number in range(200, 230):
        directory.directory.save_user({"number": number})
    result = api.result(api.action("userphoto"))
    assert len(result["data"]["records"]) == 20
    assert result["data"]["meta"] == {"cntabsolute": None}
    assert len(photos(api, {"listlimit": 25})) == 25
    assert list(photos(api, {"listlimit": 2, "listoffset": 1})) == [19, 21]


def test_photo_lookups_are_batched(
    api: OnOfficeClient, directory: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[list[int]] = []
    real = directory.photos.effective_photos

    def counting(users: Any) -> Any:
        users = list(users)
        calls.append([u.number for u in users])
        return real(users)

    monkeypatch.setattr(directory.photos, "effective_photos", counting)
    assert len(photos(api)) == 5
    assert calls == [[17, 19, 21, 25, 163]]


def test_messenger_ids_ignore_the_filter(api: OnOfficeClient) -> None:
    parameters = {"messengerUIds": ["174777"], "filter": {"Nr": [{"op": "=", "val": 17}]}}
    assert photos(api, parameters) == {163: {"photo": None, "messengerUId": 174777}}


def test_empty_messenger_ids_list_everyone_with_their_id(api: OnOfficeClient) -> None:
    result = photos(api, {"messengerUIds": [], "photosAsLinks": True})
    assert result == {
        17: {"photo": LINK.format(17), "messengerUId": None},
        19: {"photo": None, "messengerUId": None},
        21: {"photo": None, "messengerUId": None},
        25: {"photo": LINK.format(25), "messengerUId": 167089},
        163: {"photo": None, "messengerUId": 174777},
    }


@pytest.mark.parametrize("uids", [[1], [10**30], ["9" * 25]])
def test_unknown_messenger_ids_find_nobody(api: OnOfficeClient, uids: list) -> None:
    assert photos(api, {"messengerUIds": uids}) == {}


def test_resourceid_with_messenger_ids(api: OnOfficeClient) -> None:
    result = photos(api, {"messengerUIds": [174777], "photosAsLinks": True}, resourceid="25")
    assert result == {25: {"photo": LINK.format(25), "messengerUId": 167089}}


@pytest.mark.parametrize(
    ("parameters", "expected"),
    [
        ({"photosAsLinks": "true"}, (255, 'Invalid value for parameter "photosAsLinks"')),
        ({"photosAsLinks": 1}, (255, 'Invalid value for parameter "photosAsLinks"')),
        ({"messengerUIds": 167089}, (74, "Given element or parameter was expected to be an array")),
        (
            {"messengerUIds": [1.5]},
            (228, "Given element or parameter was expected to be an integer: messengerUIds"),
        ),
        (
            {"messengerUIds": [None]},
            (228, "Given element or parameter was expected to be an integer: messengerUIds"),
        ),
        ({"filter": {"Foto": [{"op": "=", "val": 1}]}}, (141, "Unknown field: Foto")),
        ({"filter": {"Nr": [{"op": "~", "val": 1}]}}, (142, "Unknown operator: ~")),
        ({"sortby": {"Foto": "ASC"}}, (212, "Unknown sort field.")),
        (
            {"listlimit": "viele"},
            (228, "Given element or parameter was expected to be an integer: listlimit"),
        ),
    ],
)
def test_bad_parameters(api: OnOfficeClient, parameters: dict, expected: tuple) -> None:
    assert api.error(api.action("userphoto", parameters)) == expected


def test_extendedclaim_is_tolerated(api: OnOfficeClient) -> None:
    assert photos(api, {"extendedclaim": "abc123", "photosAsLinks": True}, resourceid="17")


def test_without_the_right(api_without_right: OnOfficeClient) -> None:
    api = api_without_right
    assert api.error(api.action("userphoto")) == (170, "No read permission for this user")
    assert api.error(api.action("userphoto", resourceid="17"))[0] == 170
    assert api.error(api.action("userphoto", {"messengerUIds": []}))[0] == 170
    assert photos(api, resourceid=19) == {19: {"photo": None}}
