"""The HTTP side of api.php: methods, content types, versions, body bound, top-level errors."""

import json
import time

import pytest
from starlette.testclient import TestClient

from tests.dialects.onoffice.support import READ, OnOfficeClient, sign_v2
from userphoto.core.model import Right
from userphoto.core.services import Services
from userphoto.dialects.onoffice.routes import MAX_BODY_BYTES

DELETE = "urn:onoffice-de-ns:smart:2.5:smartml:action:delete"


def body_of(api: OnOfficeClient, **parameters: object) -> str:
    return json.dumps(api.envelope(api.action("user", {"data": ["Nr"], **parameters})))


def test_registered_in_the_application_on_the_real_clock(
    client: TestClient, directory: Services
) -> None:
    credentials = directory.api_users.create("crm", None, [Right.READ_USER_DATA])
    api = OnOfficeClient(client, credentials.token, credentials.secret)
    action = api.action("user", {"data": ["Nr"]}, timestamp=int(time.time()))
    assert api.records(action)[0] == {"id": 17, "type": "user", "elements": {"Nr": 17}}


@pytest.mark.parametrize("version", ["stable", "latest", "v1", "1.0"])
def test_any_version_segment(api: OnOfficeClient, version: str) -> None:
    response = api.raw(body_of(api), path=f"/api/{version}/api.php")
    assert response.json()["status"]["code"] == 200


@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "text/plain", "application/json", ""]
)
def test_body_is_json_whatever_the_content_type(api: OnOfficeClient, content_type: str) -> None:
    response = api.raw(body_of(api), content_type=content_type)
    assert response.json()["status"]["code"] == 200


def test_get_with_a_json_body(api: OnOfficeClient) -> None:
    response = api.raw(body_of(api), method="GET")
    assert response.json()["response"]["results"][0]["data"]["records"][0]["id"] == 17


def test_other_methods_are_not_routed(api: OnOfficeClient) -> None:
    assert api.raw(body_of(api), method="PUT").status_code == 405


def test_response_headers(api: OnOfficeClient) -> None:
    response = api.raw(body_of(api))
    assert response.headers["content-type"] == "application/json"
    assert response.headers["cache-control"] == "no-store"


def test_body_size_is_bounded(api: OnOfficeClient) -> None:
    padding = " " * MAX_BODY_BYTES
    response = api.raw(body_of(api) + padding)
    assert response.status_code == 200
    assert response.json() == {
        "status": {"code": 500, "errorcode": 4, "message": "Invalid or malformed JSON"},
        "response": {"results": []},
    }
    assert api.raw(body_of(api) + padding[: -len(body_of(api))]).json()["status"]["code"] == 200


@pytest.mark.parametrize(
    ("body", "errorcode", "message"),
    [
        ("", 9, "Empty request"),
        ("{not json", 6, "Syntax error"),
        ('{"token": "x"}', 14, "Missing or invalid element: request"),
        ("[1, 2]", 13, "Missing or invalid element: token"),
        (
            '{"token": "t", "request": {"actions": "all"}}',
            15,
            "Missing or invalid element: actions",
        ),
    ],
)
def test_request_errors_are_top_level_with_http_200(
    api: OnOfficeClient, body: str, errorcode: int, message: str
) -> None:
    response = api.raw(body)
    assert response.status_code == 200
    assert response.text == (
        f'{{"status":{{"code":500,"errorcode":{errorcode},"message":"{message}"}},'
        '"response":{"results":[]}}'
    )


@pytest.mark.parametrize("token", ["x" * 32, "short", "A" * 31 + "é"])
def test_unknown_token_is_not_authenticated(api: OnOfficeClient, token: str) -> None:
    action = api.action("user")
    action["hmac"] = sign_v2(api.secret, action["timestamp"], token, "user", READ)
    assert api.send(action, token=token) == {
        "status": {"code": 400, "errorcode": 22, "message": "Not authenticated"},
        "response": {"results": []},
    }


def test_revoked_api_user_is_not_authenticated(api: OnOfficeClient, directory: Services) -> None:
    (api_user,) = directory.api_users.list()
    directory.api_users.revoke(api_user.id)
    assert api.send(api.action("user"))["status"]["errorcode"] == 22


def test_several_actions_one_result_each_in_order(api: OnOfficeClient) -> None:
    response = api.send(
        api.action("user", {"data": ["Vorname"]}, resourceid="19", identifier="a"),
        api.action("estate", identifier="b"),
        api.action("userphoto", {"photosAsLinks": True}, resourceid=21, identifier=None),
        api.action("user", {"filter": {"Passwort": [{"op": "=", "val": "x"}]}}, identifier="d"),
    )
    assert response["status"] == {"code": 500, "errorcode": 97, "message": "Error in action"}
    results = response["response"]["results"]
    assert [r["identifier"] for r in results] == ["a", "b", None, "d"]
    assert [r["resourceid"] for r in results] == ["19", "", 21, ""]
    assert [r["status"]["errorcode"] for r in results] == [0, 25, 0, 141]
    assert [r["cacheable"] for r in results] == [True, False, True, False]
    assert results[0]["data"]["records"][0]["elements"] == {"Vorname": "Theo"}
    assert results[1]["data"] == []
    assert results[2]["data"]["records"] == [
        {"id": 21, "type": "user", "elements": {"photo": None}}
    ]


def test_all_actions_succeeding_is_status_200(api: OnOfficeClient) -> None:
    response = api.send(api.action("user"), api.action("userphoto", resourceid="19"))
    assert response["status"] == {"code": 200, "errorcode": 0, "message": "OK"}


def test_echoes_and_tolerates_client_variants(api: OnOfficeClient) -> None:
    action = api.action("user", [], resourceid=19, identifier=None, hmac_version="2")
    action |= {"cacheable": True, "unknownKey": {"a": 1}, "timestamp": str(action["timestamp"])}
    action["parameters"] = []
    (result,) = api.send(action)["response"]["results"]
    assert (result["resourceid"], result["identifier"]) == (19, None)
    assert result["status"]["errorcode"] == 0
    assert result["data"]["records"] == [{"id": 19, "type": "user", "elements": []}]


@pytest.mark.parametrize(
    ("resourcetype", "actionid", "errorcode", "message"),
    [
        ("estate", READ, 25, 'Missing configuration for resourceType "estate"'),
        ("", READ, 25, 'Missing configuration for resourceType ""'),
        ("User", READ, 25, 'Missing configuration for resourceType "User"'),
        ("users", READ, 25, 'Missing configuration for resourceType "users"'),
        ("user", DELETE, 23, f'Missing configuration for actionId "{DELETE}"'),
        ("userphoto", "read", 23, 'Missing configuration for actionId "read"'),
    ],
)
def test_unknown_resource_or_action(
    api: OnOfficeClient, resourcetype: str, actionid: str, errorcode: int, message: str
) -> None:
    assert api.error(api.action(resourcetype, actionid=actionid)) == (errorcode, message)


def test_output_is_php_encoded(api: OnOfficeClient, directory: Services) -> None:
    directory.directory.save_user({"number": 19, "city": "München", "url": "https://t.de/x"})
    text = api.raw(body_of(api, data=["Ort", "Url"], filter={"Nr": [{"op": "=", "val": 19}]}))
    assert '"elements":{"Ort":"M\\u00fcnchen","Url":"https:\\/\\/t.de\\/x"}' in text.text
    assert "\n" not in text.text and ": " not in text.text


def test_an_unexpected_failure_costs_only_its_own_action(
    api: OnOfficeClient, directory: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(_: object) -> None:
        raise RuntimeError("store exploded")

    monkeypatch.setattr(directory.photos, "effective_photos", broken)
    response = api.send(api.action("userphoto"), api.action("user", resourceid="19"))
    first, second = response["response"]["results"]
    assert first["status"] == {"errorcode": 1, "message": "Unknown error occurred"}
    assert (first["cacheable"], first["data"]) == (False, [])
    assert second["status"]["errorcode"] == 0
