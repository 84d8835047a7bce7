"""Resource `user`: fields, filters with every operator, sorting, paging, rights, bad input."""

from typing import Any

import pytest

from tests.dialects.onoffice.support import OnOfficeClient
from userphoto.core.model import Right
from userphoto.core.query import UserQuery
from userphoto.core.services import Services
from userphoto.dialects.onoffice.fields import WIRE_TO_CORE

NO_PERMISSION = (170, "No read permission for this user")
NOT_ARRAY = (74, "Given element or parameter was expected to be an array")
NOT_INTEGER = "Given element or parameter was expected to be an integer: %s"
INVALID = 'Invalid value for parameter "%s"'
BAD_FILTER = "An error occurred while validating the filter: %s"
NEEDS_OP_VAL = BAD_FILTER % 'Nr needs objects with "op" and "val"'


def numbers(api: OnOfficeClient, parameters: dict[str, Any], **fields: Any) -> list[int]:
    return [r["id"] for r in api.records(api.action("user", parameters, **fields))]


def where(field: str, op: Any, val: Any) -> dict[str, Any]:
    return {"filter": {field: [{"op": op, "val": val}]}}


@pytest.mark.parametrize(
    ("field", "op", "val", "expected"),
    [
        ("Nr", "=", 19, [19]),
        ("Nr", "is", "19", [19]),
        ("Nr", "IS", 19, [19]),
        ("Nr", ">", 21, [25, 163]),
        ("Nr", "<", 19, [17]),
        ("Nr", ">=", 21, [21, 25, 163]),
        ("Nr", "<=", 19, [17, 19]),
        ("Nr", "!=", 19, [17, 21, 25, 163]),
        ("Nr", "<>", 19, [17, 21, 25, 163]),
        ("Nr", "between", [19, 25], [19, 21, 25]),
        ("Nr", "BETWEEN", ["19", "25"], [19, 21, 25]),
        ("Vorname", "like", "%e%", [19, 21, 163]),
        ("Vorname", "LIKE", "t%", [19]),
        ("Vorname", "not like", "%e%", [17, 25]),
        ("Nr", "in", [17, "21"], [17, 21]),
        ("Nr", "IN", 19, [19]),
        ("Nr", "not in", [17, 19, 21], [25, 163]),
        ("Nr", "NOT  In", [17, 19, 21], [25, 163]),
        ("Emailname", "=", "theo test", [19]),
        ("Vorname", "in", [], []),
    ],
)
def test_operators(api: OnOfficeClient, field: str, op: str, val: Any, expected: list) -> None:
    assert numbers(api, where(field, op, val)) == expected


def test_expressions_are_anded_within_and_across_fields(api: OnOfficeClient) -> None:
    parameters = {
        "filter": {
            "Nr": [{"op": ">=", "val": 17}, {"op": "<", "val": 25}],
            "Vorname": [{"op": "like", "val": "%o%"}],
        }
    }
    assert numbers(api, parameters) == [19, 21]


def test_filter_on_the_linked_address(api: OnOfficeClient, directory: Services) -> None:
    directory.directory.save_address({"id": 5, "last_name": "Alt"})
    directory.directory.save_user({"number": 17, "address_id": 5})
    assert numbers(api, where("adrId:adressen.ID", "=", 5)) == [17]


def test_every_field_reads_under_its_wire_name(api: OnOfficeClient, directory: Services) -> None:
    directory.directory.save_address({"id": 5})
    values: dict[str, Any] = {core: f"v-{core}" for core in WIRE_TO_CORE.values()}
    values |= {"number": 40, "account_id": 7, "address_id": 5}
    directory.directory.save_user(values)
    (record,) = api.records(api.action("user", {"data": list(WIRE_TO_CORE)}, resourceid="40"))
    assert record["id"] == 40
    assert list(record["elements"]) == list(WIRE_TO_CORE)
    assert record["elements"] == {wire: values[core] for wire, core in WIRE_TO_CORE.items()}


def test_only_requested_known_fields_are_returned(api: OnOfficeClient, directory: Services) -> None:
    directory.directory.save_user({"number": 19}, password="geheim")
    data = ["Nachname", "Passwort", "password", "password_hash", "adrId", "Nachname", "uuid"]
    (record,) = api.records(api.action("user", {"data": data}, resourceid="19"))
    assert record["elements"] == {"Nachname": "Test"}


def test_without_data_elements_are_empty(api: OnOfficeClient) -> None:
    assert api.records(api.action("user", resourceid="19"))[0]["elements"] == []


def test_sortby_object(api: OnOfficeClient) -> None:
    assert numbers(api, {"sortby": {"Nachname": "ASC"}}) == [17, 163, 25, 19, 21]
    assert numbers(api, {"sortby": {"Vorname": "desc"}}) == [21, 19, 25, 163, 17]


def test_sortby_with_several_keys(api: OnOfficeClient, directory: Services) -> None:
    directory.directory.save_user({"number": 30, "first_name": "Aaron", "last_name": "Test"})
    parameters = {"sortby": {"Nachname": "DESC", "Vorname": "ASC"}, "listlimit": 3}
    assert numbers(api, parameters) == [21, 30, 19]


def test_sortby_string_with_sortorder(api: OnOfficeClient) -> None:
    assert numbers(api, {"sortby": "Nachname", "sortorder": "DESC"}) == [21, 19, 25, 163, 17]
    assert numbers(api, {"sortby": "Nachname"}) == [17, 163, 25, 19, 21]


def test_paging_and_cntabsolute(api: OnOfficeClient) -> None:
    result = api.result(api.action("user", {"listlimit": 2, "listoffset": 1}))
    assert [r["id"] for r in result["data"]["records"]] == [19, 21]
    assert result["data"]["meta"] == {"cntabsolute": 5}
    beyond = api.result(api.action("user", {"listoffset": 50}))["data"]
    assert beyond == {"meta": {"cntabsolute": 5}, "records": []}
    counting = api.result(api.action("user", {"listlimit": 0, **where("Nr", ">", 17)}))["data"]
    assert counting == {"meta": {"cntabsolute": 4}, "records": []}


def test_listlimit_defaults_to_20_and_falls_back_to_it_above_500(
    api: OnOfficeClient, directory: Services
) -> None:
    for number in range(1000, 1500):
        directory.directory.save_user({"number": number})
    for listlimit, count in [(None, 20), (1, 1), ("3", 3), (500, 500), (501, 20), (10**9, 20)]:
        parameters = {} if listlimit is None else {"listlimit": listlimit}
        result = api.result(api.action("user", parameters))
        assert len(result["data"]["records"]) == count, listlimit
        assert result["data"]["meta"]["cntabsolute"] == 505


@pytest.mark.parametrize(
    ("parameters", "expected"),
    [
        ({"listlimit": -1}, (255, INVALID % "listlimit")),
        ({"listlimit": "ten"}, (228, NOT_INTEGER % "listlimit")),
        ({"listlimit": 2.5}, (228, NOT_INTEGER % "listlimit")),
        ({"listlimit": True}, (228, NOT_INTEGER % "listlimit")),
        ({"listoffset": -3}, (255, INVALID % "listoffset")),
        ({"listoffset": [1]}, (228, NOT_INTEGER % "listoffset")),
        ({"data": "Vorname"}, NOT_ARRAY),
        (
            {"data": ["Vorname", 3]},
            (227, "Given element or parameter was expected to be a string: data"),
        ),
        ({"filter": "Nr=1"}, NOT_ARRAY),
        ({"filter": {"Nr": {"op": "=", "val": 1}}}, NOT_ARRAY),
        ({"filter": {"Nr": [{"val": 1}]}}, (257, NEEDS_OP_VAL)),
        ({"filter": {"Nr": [{"op": "="}]}}, (257, NEEDS_OP_VAL)),
        ({"filter": {"Nr": ["="]}}, (257, NEEDS_OP_VAL)),
        (where("Passwort", "=", "x"), (141, "Unknown field: Passwort")),
        (where("adrId", "=", 5), (141, "Unknown field: adrId")),
        (where("nr", "=", 5), (141, "Unknown field: nr")),
        (where("Nr", "~", 5), (142, "Unknown operator: ~")),
        (where("Nr", 5, 5), (142, "Unknown operator: 5")),
        (where("Nr", None, 5), (142, "Unknown operator: None")),
        (where("Nr", "=", "abc"), (257, BAD_FILTER % "Nr")),
        (where("Nr", "=", [1, 2]), (257, BAD_FILTER % "Nr")),
        (where("Nr", "=", {"a": 1}), (257, BAD_FILTER % "Nr")),
        (where("Nr", "=", True), (257, BAD_FILTER % "Nr")),
        (where("Nr", "between", [1]), (257, BAD_FILTER % "Nr")),
        (where("Nr", "between", 1), (257, BAD_FILTER % "Nr")),
        (where("Vorname", "like", ["a"]), (257, BAD_FILTER % "Vorname")),
        ({"sortby": {"Gehalt": "ASC"}}, (212, "Unknown sort field.")),
        ({"sortby": "Passwort"}, (212, "Unknown sort field.")),
        ({"sortby": {"Nr": "UP"}}, (255, INVALID % "sortby")),
        ({"sortby": {"Nr": 1}}, (255, INVALID % "sortby")),
        ({"sortby": ["Nr"]}, (255, INVALID % "sortby")),
        ({"sortby": "Nr", "sortorder": "sideways"}, (255, INVALID % "sortby")),
    ],
)
def test_bad_parameters(api: OnOfficeClient, parameters: dict, expected: tuple) -> None:
    assert api.error(api.action("user", parameters)) == expected


def test_integer_beyond_64_bits_in_a_filter(api: OnOfficeClient) -> None:
    assert api.error(api.action("user", where("Nr", "=", 10**30))) == (257, BAD_FILTER % "Nr")


@pytest.mark.parametrize(
    "parameters",
    [
        where("Nr; DROP TABLE users; --", "=", 1),
        where("Vorname) OR (1=1", "=", 1),
        where("Nr", "= 1 OR 1=1 --", 1),
        where("Nr", "in (SELECT number FROM users) --", 1),
        {"sortby": {"Nr; DELETE FROM users": "ASC"}},
        {"sortby": {"Nr": "ASC; DELETE FROM users"}},
        {"listlimit": "1; DELETE FROM users"},
    ],
)
def test_sql_in_names_and_operators_is_refused(
    api: OnOfficeClient, directory: Services, parameters: dict
) -> None:
    assert api.error(api.action("user", parameters))[0] in {141, 142, 212, 228, 255}
    assert directory.directory.find_users(UserQuery()).total == 5


@pytest.mark.parametrize(
    "val", ["' OR '1'='1", "x'; DROP TABLE users; --", "%' OR 1=1 --", "\\'; DELETE FROM users"]
)
def test_sql_in_values_is_data(api: OnOfficeClient, directory: Services, val: str) -> None:
    assert numbers(api, where("Vorname", "=", val)) == []
    assert numbers(api, where("Vorname", "like", val)) == []
    assert directory.directory.find_users(UserQuery()).total == 5


@pytest.mark.parametrize("resourceid", ["21", 21])
def test_resourceid_reads_one_user_and_ignores_the_filter(
    api: OnOfficeClient, resourceid: Any
) -> None:
    parameters = {"data": ["Vorname"], **where("Unbekannt", "=", 1)}
    result = api.result(api.action("user", parameters, resourceid=resourceid))
    assert result["resourceid"] == resourceid
    assert result["data"] == {
        "meta": {"cntabsolute": 1},
        "records": [{"id": 21, "type": "user", "elements": {"Vorname": "Zoe"}}],
    }


@pytest.mark.parametrize("resourceid", ["0", "999", "abc", "1e3", "-19", "9" * 40, 10**30])
def test_resourceid_naming_no_user_reads_nothing(api: OnOfficeClient, resourceid: Any) -> None:
    result = api.result(api.action("user", resourceid=resourceid))
    assert result["data"] == {"meta": {"cntabsolute": 0}, "records": []}


def test_without_the_right_lists_are_refused(api_without_right: OnOfficeClient) -> None:
    api = api_without_right
    assert api.error(api.action("user")) == NO_PERMISSION
    assert api.error(api.action("user", where("Nr", "=", 19))) == NO_PERMISSION


@pytest.mark.parametrize("resourceid", ["21", 17, "abc"])
def test_without_the_right_other_users_are_refused(
    api_without_right: OnOfficeClient, resourceid: Any
) -> None:
    assert api_without_right.error(api_without_right.action("user", resourceid=resourceid)) == (
        NO_PERMISSION
    )


@pytest.mark.parametrize("resourceid", ["19", 19])
def test_without_the_right_the_own_user_is_readable(
    api_without_right: OnOfficeClient, resourceid: Any
) -> None:
    action = api_without_right.action("user", {"data": ["Nachname"]}, resourceid=resourceid)
    assert api_without_right.records(action) == [
        {"id": 19, "type": "user", "elements": {"Nachname": "Test"}}
    ]


def test_without_the_right_and_without_own_user_nothing_is_readable(
    directory: Services, api: OnOfficeClient
) -> None:
    credentials = directory.api_users.create("anonymous", None, [])
    anonymous = OnOfficeClient(api.http, credentials.token, credentials.secret)
    assert anonymous.error(anonymous.action("user", resourceid="19")) == NO_PERMISSION


def test_the_right_reads_every_user(directory: Services, api: OnOfficeClient) -> None:
    credentials = directory.api_users.create("reader", None, [Right.READ_USER_DATA])
    reader = OnOfficeClient(api.http, credentials.token, credentials.secret)
    assert numbers(reader, {}) == [17, 19, 21, 25, 163]


def test_bad_input_changes_nothing(api: OnOfficeClient, directory: Services) -> None:
    before = directory.directory.find_users(UserQuery(limit=500)).items
    api.send(
        api.action("user", {"listlimit": "x"}),
        api.action("user", where("Nr", "drop", 1)),
        api.action("user", {"data": {"Nr": "x"}}),
    )
    assert directory.directory.find_users(UserQuery(limit=500)).items == before
