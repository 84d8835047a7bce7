"""Parsing the request envelope: every structural error gets its documented code."""

import json
from typing import Any

import pytest

from userphoto.dialects.onoffice.errors import Code, OnOfficeError
from userphoto.dialects.onoffice.wire import MAX_ACTIONS, parse_request

READ = "urn:onoffice-de-ns:smart:2.5:smartml:action:read"
DROP = object()  # marks a key the action leaves out


def action(**changes: Any) -> dict[str, Any]:
    base = {
        "actionid": READ,
        "resourceid": "",
        "resourcetype": "user",
        "identifier": "",
        "timestamp": 100,
        "hmac": "x",
        "hmac_version": 2,
        "parameters": {},
    }
    return {k: v for k, v in {**base, **changes}.items() if v is not DROP}


def body(*actions: Any, token: Any = "t" * 32) -> bytes:
    return json.dumps({"token": token, "request": {"actions": list(actions)}}).encode()


def code_of(raw: bytes) -> Code:
    with pytest.raises(OnOfficeError) as caught:
        parse_request(raw)
    return caught.value.code


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"", Code.EMPTY_REQUEST),
        (b" \r\n\t", Code.EMPTY_REQUEST),
        (b"{", Code.SYNTAX_ERROR),
        (b"{'token': 1}", Code.SYNTAX_ERROR),
        (b'{"token": NaN}', Code.SYNTAX_ERROR),
        (b'{"token": Infinity}', Code.SYNTAX_ERROR),
        (b'{"token": 1' + b"0" * 5000 + b"}", Code.SYNTAX_ERROR),
        (b"\xef\xbb\xbf{}", Code.SYNTAX_ERROR),
        (b'{"token": "a\x01b"}', Code.CONTROL_CHARACTER),
        (b'{"token": "\xff\xfe"}', Code.MALFORMED_UTF8),
        (b"[" * 100_000 + b"]" * 100_000, Code.STACK_DEPTH),
        (b"[]", Code.TOKEN),
        (b'"token"', Code.TOKEN),
        (b"{}", Code.TOKEN),
        (b'{"token": ""}', Code.TOKEN),
        (b'{"token": 12345}', Code.TOKEN),
        (b'{"token": "t"}', Code.REQUEST),
        (b'{"token": "t", "request": []}', Code.REQUEST),
        (b'{"token": "t", "request": {}}', Code.ACTIONS),
        (b'{"token": "t", "request": {"actions": []}}', Code.ACTIONS),
        (b'{"token": "t", "request": {"actions": {}}}', Code.ACTIONS),
        (body("not an action"), Code.ACTION),
        (body(action(identifier=5)), Code.ACTION),
        (body(action(identifier=["a"])), Code.ACTION),
        (body(action(actionid=DROP)), Code.ACTIONID),
        (body(action(actionid=1)), Code.ACTIONID),
        (body(action(actionid="")), Code.EMPTY_ACTIONID),
        (body(action(resourceid=DROP)), Code.RESOURCEID),
        (body(action(resourceid=2.5)), Code.RESOURCEID),
        (body(action(resourceid=True)), Code.RESOURCEID),
        (body(action(resourceid=[21])), Code.RESOURCEID),
        (body(action(resourcetype=DROP)), Code.RESOURCETYPE),
        (body(action(resourcetype=None)), Code.RESOURCETYPE),
        (body(action(parameters=DROP)), Code.PARAMETERS),
        (body(action(parameters="data")), Code.PARAMETERS),
        (body(action(parameters=["Nr"])), Code.PARAMETERS),
        (body(action(), "second action broken"), Code.ACTION),
    ],
)
def test_structural_errors(raw: bytes, code: Code) -> None:
    assert code_of(raw) is code


def test_action_count_is_bounded() -> None:
    assert len(parse_request(body(*[action()] * MAX_ACTIONS)).actions) == MAX_ACTIONS
    assert code_of(body(*[action()] * (MAX_ACTIONS + 1))) is Code.ACTIONS


def test_tolerated_variants() -> None:
    raw = body(
        action(identifier=None, resourceid=21, hmac_version="2", timestamp="100", parameters=[]),
        action(cacheable=True, extra={"x": 1}, resourceid=None, identifier=DROP),
    )
    first, second = parse_request(raw).actions
    assert (first.identifier, first.resourceid, first.hmac_version) == (None, 21, 2)
    assert (first.timestamp, first.parameters) == ("100", {})
    assert (second.identifier, second.resourceid, second.is_list_read) == (None, None, True)


@pytest.mark.parametrize(
    ("version", "expected"), [(2, 2), ("2", 2), (DROP, 1), (None, 1), (1, 1), ("1", 1), (True, 1)]
)
def test_hmac_version(version: Any, expected: int) -> None:
    (parsed,) = parse_request(body(action(hmac_version=version))).actions
    assert parsed.hmac_version == expected


@pytest.mark.parametrize(
    ("timestamp", "expected"),
    [
        (1646228220, "1646228220"),
        ("1646228220", "1646228220"),
        (DROP, None),
        (None, None),
        (-5, None),
        (1.5, None),
        (True, None),
        ("12a", None),
        (" 12", None),
        ("1" * 21, None),
    ],
)
def test_timestamp_keeps_the_digits_sent(timestamp: Any, expected: str | None) -> None:
    (parsed,) = parse_request(body(action(timestamp=timestamp))).actions
    assert parsed.timestamp == expected


@pytest.mark.parametrize("hmac", [DROP, None, 17, ["x"]])
def test_hmac_that_is_no_string_is_absent(hmac: Any) -> None:
    (parsed,) = parse_request(body(action(hmac=hmac))).actions
    assert parsed.hmac is None
