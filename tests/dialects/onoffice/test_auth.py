"""Per-action authentication: HMAC v2 and v1, the ±120 s window, reused signatures."""

import pytest

from tests.dialects.onoffice.support import NOW, OnOfficeClient, sign_v2
from userphoto.core.services import Services

HMAC_INVALID = (137, "The HMAC is invalid.")
TIMESTAMP_INVALID = (136, "Your timestamp is too old or your server time is wrong.")


@pytest.mark.parametrize("offset", [-120, -1, 0, 1, 120])
@pytest.mark.parametrize("version", [2, 1])
def test_timestamps_within_the_window_pass(api: OnOfficeClient, offset: int, version: int) -> None:
    make = api.action if version == 2 else api.action_v1
    assert api.records(make("user", {"data": ["Nr"]}, resourceid="19", timestamp=NOW + offset))


@pytest.mark.parametrize("offset", [-121, 121, -3600, 7200, -NOW])
@pytest.mark.parametrize("version", [2, 1])
def test_timestamps_outside_the_window_fail(api: OnOfficeClient, offset: int, version: int) -> None:
    make = api.action if version == 2 else api.action_v1
    assert api.error(make("user", timestamp=NOW + offset)) == TIMESTAMP_INVALID


@pytest.mark.parametrize("timestamp", [None, "", "soon", 1.5, [NOW]])
def test_missing_or_malformed_timestamp(api: OnOfficeClient, timestamp: object) -> None:
    action = api.action("user")
    action["timestamp"] = timestamp
    assert api.error(action) == TIMESTAMP_INVALID


def test_numeric_string_timestamp(api: OnOfficeClient) -> None:
    assert api.records(api.action("user", resourceid="19", timestamp=str(NOW)))


@pytest.mark.parametrize("hmac_version", [2, "2"])
def test_hmac_version_as_int_or_string(api: OnOfficeClient, hmac_version: object) -> None:
    assert api.records(api.action("user", resourceid="19", hmac_version=hmac_version))


@pytest.mark.parametrize(
    "change",
    [
        {"hmac": "dsvg3r4AFcQXges0MZ+3auzQVfnEB39pLkKSgmm9Wvg="},
        {"hmac": ""},
        {"hmac": None},
        {"hmac": "ÄÖÜ"},
        {"resourcetype": "userphoto"},
        {"actionid": "urn:onoffice-de-ns:smart:2.5:smartml:action:get"},
        {"timestamp": NOW + 1},
        {"hmac_version": 1},
        {"hmac_version": "3"},
    ],
)
def test_v2_signature_mismatch(api: OnOfficeClient, change: dict[str, object]) -> None:
    action = api.action("user") | change
    assert api.error(action) == HMAC_INVALID


def test_v2_signature_with_the_wrong_secret(api: OnOfficeClient) -> None:
    action = api.action("user")
    action["hmac"] = sign_v2(api.secret[::-1], NOW, api.token, "user", action["actionid"])
    assert api.error(action) == HMAC_INVALID


def test_v2_signature_does_not_cover_parameters_resourceid_or_identifier(
    api: OnOfficeClient,
) -> None:
    action = api.action("user", {"data": ["Nr"]})
    action |= {"parameters": {"data": ["Vorname"]}, "resourceid": "19", "identifier": "new"}
    assert api.records(action) == [{"id": 19, "type": "user", "elements": {"Vorname": "Theo"}}]


@pytest.mark.parametrize(
    "change",
    [
        {"parameters": {"data": ["Nr", "Vorname"]}},
        {"resourceid": "21"},
        {"identifier": "other"},
        {"hmac": "7e0bb4b6ceb4b3cff609524e416f2ac3"},
        {"hmac_version": 2},
    ],
)
def test_v1_signature_covers_everything(api: OnOfficeClient, change: dict[str, object]) -> None:
    action = api.action_v1("user", {"data": ["Nr"]}, resourceid="19", identifier="x") | change
    assert api.error(action) == HMAC_INVALID


def test_v1_signature_over_php_encoded_parameters(api: OnOfficeClient, directory: Services) -> None:
    directory.directory.save_user({"number": 19, "url": "https://theo.example/me"})
    parameters = {
        "filter": {
            "Url": [{"op": "like", "val": "https://%"}],
            "Ort": [{"op": "!=", "val": "Köln"}],
        },
        "data": ["Nr"],
        "extendedclaim": "claim/1",
    }
    action = api.action_v1("user", parameters, identifier=None, resourceid=None)
    assert api.records(action) == [{"id": 19, "type": "user", "elements": {"Nr": 19}}]


def test_v1_signature_with_null_identifier_int_resourceid_and_empty_parameters(
    api: OnOfficeClient,
) -> None:
    action = api.action_v1("user", [], identifier=None, resourceid=19)
    assert api.records(action) == [{"id": 19, "type": "user", "elements": []}]


def test_reused_signature_is_accepted(api: OnOfficeClient) -> None:
    action = api.action("user", resourceid="19")
    response = api.send(action, action)
    assert [r["status"]["errorcode"] for r in response["response"]["results"]] == [0, 0]
    assert api.records(action)


def test_each_action_is_checked_on_its_own(api: OnOfficeClient) -> None:
    forged = api.action("user") | {"hmac": "forged"}
    stale = api.action("user", timestamp=NOW - 500)
    response = api.send(api.action("user"), forged, stale, api.action_v1("userphoto"))
    codes = [r["status"]["errorcode"] for r in response["response"]["results"]]
    assert codes == [0, 137, 136, 0]


def test_signature_of_another_api_user_fails(
    api: OnOfficeClient, api_without_right: OnOfficeClient
) -> None:
    action = api.action("user")
    assert api_without_right.error(action) == HMAC_INVALID
