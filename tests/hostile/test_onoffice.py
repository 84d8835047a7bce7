"""Hostile onOffice requests: each answered with its documented errorcode, nothing stored.

Request-level failures read `request:<code>`; otherwise the code of each action's result.
Values that are just data (SQL in a filter value, a resourceid naming nothing) get code 0
and no records: the point is that they run as data, never as SQL.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx

from tests.dialects.onoffice.support import READ, sign_v2
from tests.hostile import payloads
from tests.hostile.cases import Case, check, parametrize
from tests.hostile.world import Wire, World, Worlds
from userphoto.dialects.onoffice.errors import Code

PATH = "/api/stable/api.php"
PHOTO_LINK = "/smart20/Dateien/{customer}/users/Userphoto_{number}.jpg"
WINDOW = 900  # USERPHOTO_ONOFFICE_TIMESTAMP_WINDOW's default, which the world keeps


def error_of(response: httpx.Response) -> str:
    if not response.headers.get("content-type", "").startswith("application/json"):
        return response.text
    body = response.json()
    results = body["response"]["results"]
    if not results:
        return f"request:{body['status']['errorcode']}"
    return ",".join(str(result["status"]["errorcode"]) for result in results)


def action(
    world: World, resourcetype: str = "user", parameters: Any = None, **fields: Any
) -> dict[str, Any]:
    """An action signed with HMAC v2 at the current time; `fields` replace any of its keys."""
    actionid = fields.get("actionid", READ)
    timestamp = fields.get("timestamp", int(time.time()))
    signed = {
        "actionid": actionid,
        "identifier": "",
        "parameters": {"data": ["Nr"]} if parameters is None else parameters,
        "resourceid": "",
        "resourcetype": resourcetype,
        "timestamp": timestamp,
        "hmac_version": 2,
        "hmac": sign_v2(world.secret, timestamp, world.token, resourcetype, actionid),
    }
    return {**signed, **fields}


def post(body: bytes | str) -> Wire:
    content = body.encode() if isinstance(body, str) else body
    return Wire("POST", PATH, {"Content-Type": "application/json"}, content)


def envelope(world: World, *actions: Any, token: Any = None) -> Wire:
    document = {"token": world.token if token is None else token, "request": {"actions": actions}}
    return post(json.dumps(document))


def one(world: World, resourcetype: str = "user", parameters: Any = None, **fields: Any) -> Wire:
    return envelope(world, action(world, resourcetype, parameters, **fields))


def _case(category: str, name: str, build: Any, code: Code | str, status: int = 200) -> Case:
    return Case(category, name, build, status, str(int(code)) if isinstance(code, Code) else code)


def _request(code: Code) -> str:
    return f"request:{int(code)}"


def malformed() -> Iterator[Case]:
    valid = b'{"token":"t","request":{"actions":[]}}'
    expected = {
        "cut-half": Code.SYNTAX_ERROR,
        "cut-last": Code.SYNTAX_ERROR,
        "trailing-comma": Code.SYNTAX_ERROR,
        "single-quotes": Code.SYNTAX_ERROR,
        "bom-garbage": Code.SYNTAX_ERROR,
        "latin1": Code.MALFORMED_UTF8,
        "nan": Code.SYNTAX_ERROR,
        "control-char": Code.CONTROL_CHARACTER,
    }
    for name, body in payloads.json_truncations(valid).items():
        yield _case("malformed-json", name, lambda w, b=body: post(b), _request(expected[name]))
    extra = {
        "empty": (b"", Code.EMPTY_REQUEST),
        "whitespace": (b" \n\t ", Code.EMPTY_REQUEST),
        "deep-array": (payloads.DEEP_JSON_ARRAY, Code.STACK_DEPTH),
        "deep-object": (payloads.DEEP_JSON_OBJECT, Code.STACK_DEPTH),
        "huge-integer": (b'{"token":' + payloads.HUGE_DIGITS.encode() + b"}", Code.SYNTAX_ERROR),
        "infinity": (b'{"token":Infinity}', Code.SYNTAX_ERROR),
        "xml": (b"<request><token>t</token></request>", Code.SYNTAX_ERROR),
        "utf16": ('{"token":"t"}'.encode("utf-16"), Code.MALFORMED_UTF8),
        "lone-surrogate": (b'{"token":"\xed\xa0\x80"}', Code.MALFORMED_UTF8),
    }
    for name, (body, code) in extra.items():
        yield _case("malformed-json", name, lambda w, b=body: post(b), _request(code))


def envelope_types() -> Iterator[Case]:
    def doc(value: Any) -> Any:
        return lambda w: post(json.dumps(value))

    request_level = {
        "top-level-list": ([], Code.TOKEN),
        "top-level-string": ("token", Code.TOKEN),
        "top-level-null": (None, Code.TOKEN),
        "token-int": ({"token": 12345, "request": {}}, Code.TOKEN),
        "token-list": ({"token": ["a"], "request": {}}, Code.TOKEN),
        "token-empty": ({"token": "", "request": {}}, Code.TOKEN),
        "request-list": ({"token": "t", "request": []}, Code.REQUEST),
        "request-string": ({"token": "t", "request": "x"}, Code.REQUEST),
        "actions-missing": ({"token": "t", "request": {}}, Code.ACTIONS),
        "actions-empty": ({"token": "t", "request": {"actions": []}}, Code.ACTIONS),
        "actions-object": ({"token": "t", "request": {"actions": {"0": {}}}}, Code.ACTIONS),
        "actions-too-many": ({"token": "t", "request": {"actions": [{}] * 101}}, Code.ACTIONS),
        "action-string": ({"token": "t", "request": {"actions": ["read"]}}, Code.ACTION),
        "action-null": ({"token": "t", "request": {"actions": [None]}}, Code.ACTION),
    }
    for name, (value, code) in request_level.items():
        yield _case("wrong-types", name, doc(value), _request(code))
    fields = {
        "actionid-int": ({"actionid": 1}, Code.ACTIONID),
        "actionid-empty": ({"actionid": ""}, Code.EMPTY_ACTIONID),
        "resourceid-object": ({"resourceid": {"$ne": 1}}, Code.RESOURCEID),
        "resourceid-float": ({"resourceid": 1.5}, Code.RESOURCEID),
        "resourceid-bool": ({"resourceid": True}, Code.RESOURCEID),
        "resourcetype-list": ({"resourcetype": ["user"]}, Code.RESOURCETYPE),
        "parameters-string": ({"parameters": "data=Nr"}, Code.PARAMETERS),
        "parameters-number": ({"parameters": 7}, Code.PARAMETERS),
        "identifier-int": ({"identifier": 5}, Code.ACTION),
    }
    for name, (override, code) in fields.items():
        yield _case("wrong-types", name, lambda w, o=override: one(w, **o), _request(code))
    # A resourceid key that is missing altogether.
    yield _case(
        "wrong-types",
        "resourceid-missing",
        lambda w: envelope(w, {k: v for k, v in action(w).items() if k != "resourceid"}),
        _request(Code.RESOURCEID),
    )


def authentication() -> Iterator[Case]:
    now = lambda: int(time.time())  # noqa: E731 - read at send time, not at collection
    tokens = {
        "token-unknown": "0" * 32,
        "token-short": "x",
        "token-long": "a" * 10_000,
        "token-nul": "\x00" + "a" * 31,
        "token-sql": "' OR '1'='1",
        "token-unicode": "ä" * 32,
    }
    for name, token in tokens.items():
        yield _case(
            "tokens",
            name,
            lambda w, t=token: envelope(w, action(w), token=t),
            _request(Code.NOT_AUTHENTICATED),
        )
    stale = {
        "replayed-past-window": lambda: now() - WINDOW - 5,
        "from-the-future": lambda: now() + WINDOW + 5,
        "epoch": lambda: 0,
        "far-future": lambda: 10**19,
    }
    for name, at in stale.items():
        yield _case("hmac", name, lambda w, at=at: one(w, timestamp=at()), Code.TIMESTAMP)
    bad_timestamps = {
        "timestamp-missing": None,
        "timestamp-negative": -5,
        "timestamp-float": 1.5,
        "timestamp-text": "yesterday",
        "timestamp-huge": payloads.HUGE_DIGITS[:40],
        "timestamp-sql": "1 OR 1=1",
    }
    for name, value in bad_timestamps.items():
        yield _case("hmac", name, lambda w, v=value: one(w, timestamp=v), Code.TIMESTAMP)

    def resigned(w: World, **changes: Any) -> Wire:
        """A good signature, then one signed field changed: the HMAC no longer holds."""
        return envelope(w, {**action(w), **changes})

    mutations = {
        "other-actionid": {"actionid": "urn:onoffice-de-ns:smart:2.5:smartml:action:delete"},
        "other-resourcetype": {"resourcetype": "userphoto"},
        "other-timestamp": {"timestamp": int(time.time()) - 1},
    }
    for name, change in mutations.items():
        yield _case("hmac", name, lambda w, c=change: resigned(w, **c), Code.HMAC)
    hmacs = {
        "hmac-missing": None,
        "hmac-empty": "",
        "hmac-wrong-secret": sign_v2("not the secret", 1, "t", "user", READ),
        "hmac-truncated": "AAAA",
        "hmac-non-ascii": "é" * 44,
        "hmac-int": 12345,
        "hmac-huge": "A" * 100_000,
    }
    for name, value in hmacs.items():
        yield _case("hmac", name, lambda w, v=value: one(w, hmac=v), Code.HMAC)
    yield _case("hmac", "hmac-version-3", lambda w: one(w, hmac_version=3), Code.HMAC)
    yield _case("hmac", "hmac-version-v1-md5", lambda w: one(w, hmac_version=1), Code.HMAC)


def resources() -> Iterator[Case]:
    yield _case("resources", "unknown-resourcetype", lambda w: one(w, "estate"), "25")
    yield _case("resources", "sql-resourcetype", lambda w: one(w, "user; DROP TABLE users"), "25")
    yield _case("resources", "traversal-resourcetype", lambda w: one(w, "../../etc"), "25")
    create = "urn:onoffice-de-ns:smart:2.5:smartml:action:create"
    yield _case("resources", "create-action", lambda w: one(w, actionid=create), "23")
    delete = "urn:onoffice-de-ns:smart:2.5:smartml:action:delete"
    yield _case("resources", "delete-action", lambda w: one(w, "userphoto", actionid=delete), "23")
    for name, fragment in zip(("sql", "sql-2", "sql-3"), payloads.SQL_FRAGMENTS, strict=False):
        yield _case(
            "resources", f"resourceid-{name}", lambda w, f=fragment: one(w, resourceid=f), "0"
        )
    for name, value in {
        "resourceid-huge": payloads.HUGE_DIGITS,
        "resourceid-int64-overflow": 2**63,
        "resourceid-negative": -(2**70),
        "resourceid-traversal": "../../../etc/passwd",
        "resourceid-nul": "1\x00",
    }.items():
        yield _case("resources", name, lambda w, v=value: one(w, resourceid=v), "0")
        yield _case(
            "resources", f"photo-{name}", lambda w, v=value: one(w, "userphoto", resourceid=v), "0"
        )


def filters() -> Iterator[Case]:
    def with_filter(value: Any, resourcetype: str = "user") -> Any:
        return lambda w: one(w, resourcetype, {"data": ["Nr"], "filter": value})

    for i, fragment in enumerate(payloads.SQL_FRAGMENTS):
        yield _case(
            "filter-sql",
            f"field-{i}",
            with_filter({fragment: [{"op": "=", "val": 1}]}),
            Code.UNKNOWN_FIELD,
        )
        yield _case(
            "filter-sql",
            f"operator-{i}",
            with_filter({"Nr": [{"op": fragment, "val": 1}]}),
            Code.UNKNOWN_OPERATOR,
        )
        yield _case(
            "filter-sql",
            f"value-{i}",
            with_filter({"Name": [{"op": "=", "val": fragment}]}),
            Code.OK,
        )
        yield _case(
            "filter-sql",
            f"like-{i}",
            with_filter({"Nachname": [{"op": "like", "val": fragment}]}),
            Code.OK,
        )
    operators = ("~", "==", "LIKE BINARY", "regexp", "glob", "is not", "", " ", "in in", "exists")
    for op in operators:
        yield _case(
            "filter-operators",
            f"op-{op!r}",
            with_filter({"Nr": [{"op": op, "val": 1}]}),
            Code.UNKNOWN_OPERATOR,
        )
    for name, op in {"op-int": 1, "op-null": None, "op-list": ["="], "op-object": {"=": 1}}.items():
        yield _case(
            "filter-operators",
            name,
            with_filter({"Nr": [{"op": op, "val": 1}]}),
            Code.UNKNOWN_OPERATOR,
        )
    shapes = {
        "filter-string": ("Nr = 1", Code.EXPECTED_ARRAY),
        "filter-number": (1, Code.EXPECTED_ARRAY),
        "exprs-object": ({"Nr": {"op": "=", "val": 1}}, Code.EXPECTED_ARRAY),
        "exprs-string": ({"Nr": "= 1"}, Code.EXPECTED_ARRAY),
        "expr-missing-val": ({"Nr": [{"op": "="}]}, Code.INVALID_FILTER),
        "expr-missing-op": ({"Nr": [{"val": 1}]}, Code.INVALID_FILTER),
        "expr-list": ({"Nr": [["=", 1]]}, Code.INVALID_FILTER),
        "unknown-field": ({"password_hash": [{"op": "=", "val": "x"}]}, Code.UNKNOWN_FIELD),
        "core-field-name": ({"is_admin": [{"op": "=", "val": True}]}, Code.UNKNOWN_FIELD),
        "between-one-value": ({"Nr": [{"op": "between", "val": [1]}]}, Code.INVALID_FILTER),
        "between-scalar": ({"Nr": [{"op": "between", "val": 1}]}, Code.INVALID_FILTER),
        "in-scalar": ({"Nr": [{"op": "in", "val": 1}]}, Code.OK),
        "number-object": ({"Nr": [{"op": "=", "val": {"$gt": 0}}]}, Code.INVALID_FILTER),
        "number-text": ({"Nr": [{"op": ">", "val": "1 OR 1=1"}]}, Code.INVALID_FILTER),
        "number-huge": ({"Nr": [{"op": "=", "val": 2**64}]}, Code.INVALID_FILTER),
        "number-huge-negative": ({"Nr": [{"op": "<", "val": -(2**64)}]}, Code.INVALID_FILTER),
        "number-float-inf": ({"Nr": [{"op": "=", "val": 1e308 * 10}]}, Code.SYNTAX_ERROR),
        "text-huge": ({"Name": [{"op": "=", "val": payloads.HUGE_TEXT}]}, Code.OK),
        "text-nul": ({"Name": [{"op": "=", "val": "a\x00b"}]}, Code.INVALID_FILTER),
        "like-nul": ({"Name": [{"op": "like", "val": "%\x00%"}]}, Code.INVALID_FILTER),
        "number-superscript": ({"Nr": [{"op": "=", "val": "²"}]}, Code.INVALID_FILTER),
        "number-huge-digits": (
            {"Nr": [{"op": "in", "val": [payloads.HUGE_DIGITS]}]},
            Code.INVALID_FILTER,
        ),
        "in-huge-list": ({"Nr": [{"op": "in", "val": list(range(5000))}]}, Code.OK),
        "deep-value": ({"Name": [{"op": "=", "val": [[[[["x"]]]]]}]}, Code.INVALID_FILTER),
    }
    for name, (value, code) in shapes.items():
        if name == "number-float-inf":
            continue  # json.dumps writes Infinity, which is the malformed-JSON case above
        yield _case("filter-shapes", name, with_filter(value), code)
        yield _case("filter-shapes", f"photo-{name}", with_filter(value, "userphoto"), code)


def paging() -> Iterator[Case]:
    def with_parameters(value: dict[str, Any], resourcetype: str = "user") -> Any:
        return lambda w: one(w, resourcetype, {"data": ["Nr"], **value})

    cases = {
        "listlimit-huge-digits": ({"listlimit": payloads.HUGE_DIGITS}, Code.EXPECTED_INTEGER),
        "listlimit-text": ({"listlimit": "ten"}, Code.EXPECTED_INTEGER),
        "listlimit-float": ({"listlimit": 1.5}, Code.EXPECTED_INTEGER),
        "listlimit-negative": ({"listlimit": -1}, Code.INVALID_PARAMETER),
        "listlimit-sql": ({"listlimit": "1; DROP TABLE users"}, Code.EXPECTED_INTEGER),
        "listoffset-negative": ({"listoffset": -(2**70)}, Code.INVALID_PARAMETER),
        "listoffset-int64-overflow": ({"listoffset": 2**64}, Code.INVALID_PARAMETER),
        "listoffset-huge-string": ({"listoffset": "9" * 30}, Code.INVALID_PARAMETER),
        "sortby-unknown": ({"sortby": {"password": "ASC"}}, Code.UNKNOWN_SORT_FIELD),
        "sortby-sql": ({"sortby": {"Nr; DROP TABLE users": "ASC"}}, Code.UNKNOWN_SORT_FIELD),
        "sortby-direction": ({"sortby": {"Nr": "ASC; DROP TABLE users"}}, Code.INVALID_PARAMETER),
        "sortby-direction-int": ({"sortby": {"Nr": 1}}, Code.INVALID_PARAMETER),
        "sortby-list": ({"sortby": ["Nr"]}, Code.INVALID_PARAMETER),
        "sortby-string-sql": ({"sortby": "Nr DESC, (SELECT 1)"}, Code.UNKNOWN_SORT_FIELD),
        "data-string": ({"data": "Nr"}, Code.EXPECTED_ARRAY),
        "data-numbers": ({"data": [1, 2]}, Code.EXPECTED_STRING),
        "data-sql-names": ({"data": ["Nr", "password_hash", "1; DROP TABLE users"]}, Code.OK),
        "unknown-parameters": ({"$where": "1=1", "__proto__": {"admin": True}}, Code.OK),
    }
    for name, (value, code) in cases.items():
        yield _case("paging", name, with_parameters(value), code)
    photo_only = {
        "photosAsLinks-string": ({"photosAsLinks": "true"}, Code.INVALID_PARAMETER),
        "messengerUIds-object": ({"messengerUIds": {"a": 1}}, Code.EXPECTED_ARRAY),
        "messengerUIds-text": ({"messengerUIds": ["1 OR 1=1"]}, Code.EXPECTED_INTEGER),
        "messengerUIds-huge": ({"messengerUIds": [2**64, payloads.HUGE_DIGITS[:30]]}, Code.OK),
    }
    for name, (value, code) in photo_only.items():
        yield _case("paging", name, with_parameters(value, "userphoto"), code)


def photo_links() -> Iterator[Case]:
    for name, value in payloads.TRAVERSALS.items():
        link = PHOTO_LINK.format(customer=value, number=2)
        yield _case(
            "link-traversal", f"customer-{name}", lambda w, p=link: Wire("GET", p), "Not Found", 404
        )
        link = PHOTO_LINK.format(customer="userphoto", number=value)
        yield _case(
            "link-traversal", f"number-{name}", lambda w, p=link: Wire("GET", p), "Not Found", 404
        )
    for name, number in {"huge": payloads.HUGE_DIGITS, "int64-overflow": str(2**63)}.items():
        link = PHOTO_LINK.format(customer="userphoto", number=number)
        yield _case(
            "link-traversal", f"number-{name}", lambda w, p=link: Wire("GET", p), "Not Found", 404
        )


def api_paths() -> Iterator[Case]:
    for name, value in payloads.TRAVERSALS.items():
        yield _case(
            "api-traversal",
            f"version-{name}",
            lambda w, v=value: Wire("POST", f"/api/{v}/api.php", content=b""),
            _request(Code.EMPTY_REQUEST),
        )
    for name, value in payloads.ESCAPING_TRAVERSALS.items():
        yield _case(
            "api-traversal",
            f"version-{name}",
            lambda w, v=value: Wire("POST", f"/api/{v}/api.php", content=b""),
            "Not Found",
            404,
        )


CASES = [
    *malformed(),
    *envelope_types(),
    *authentication(),
    *resources(),
    *filters(),
    *paging(),
    *photo_links(),
    *api_paths(),
]


@parametrize(CASES)
def test_onoffice_refuses_hostile_input(worlds: Worlds, case: Case, kind: str) -> None:
    check(worlds.get(kind), case, error_of)
