"""The HMAC test vectors of the protocol notes §3.1 and §3.2, and the timestamp window."""

import hashlib

import pytest

from userphoto.dialects.onoffice.signatures import (
    hmac_v1,
    hmac_v2,
    signature_valid,
    timestamp_fresh,
)
from userphoto.dialects.onoffice.wire import Action

GET = "urn:onoffice-de-ns:smart:2.5:smartml:action:get"
READ = "urn:onoffice-de-ns:smart:2.5:smartml:action:read"


@pytest.mark.parametrize(
    ("token", "secret", "timestamp", "resourcetype", "actionid", "expected"),
    [
        (
            "mgjIQkNRnaqggVzy9cZW",
            "yOJobbhGLXdp90XxvxedFhH7073L9U",
            "123456789",
            "estateCategories",
            GET,
            "dsvg3r4AFcQXges0MZ+3auzQVfnEB39pLkKSgmm9Wvg=",
        ),
        (
            "testtoken",
            "testsecret",
            "1646228220",
            "calendar",
            READ,
            "w6ifKMmAdJoKhu0vl2twvfP+ltyOTQ7LqLpvsZkOnlg=",
        ),
        (
            "dX5hkIIU6W",
            "dhY8h7FeU9",
            "123456789",
            "estateCategories",
            GET,
            "F9OXyaJv7p+bLkwGDGV7ZUmfYgjH2E24zpsxY5/nVDk=",
        ),
    ],
)
def test_hmac_v2_vectors(
    token: str, secret: str, timestamp: str, resourcetype: str, actionid: str, expected: str
) -> None:
    assert hmac_v2(secret, timestamp, token, resourcetype, actionid) == expected


def v1_action(**changes: object) -> Action:
    values: dict = {
        "actionid": "action",
        "resourceid": "1",
        "resourcetype": "type",
        "identifier": "identifier",
        "timestamp": "100",
        "hmac": None,
        "hmac_version": 1,
        "parameters": {"paramKey": "paramValue"},
    }
    return Action(**{**values, **changes})


def test_hmac_v1_vector() -> None:
    assert hmac_v1("secret", "token", v1_action()) == "7e0bb4b6ceb4b3cff609524e416f2ac3"


def test_hmac_v1_sorts_parameters_by_key() -> None:
    shuffled = v1_action(parameters={"b": 1, "a": 2})
    ordered = v1_action(parameters={"a": 2, "b": 1})
    assert hmac_v1("secret", "token", shuffled) == hmac_v1("secret", "token", ordered)


def test_hmac_v1_signs_parameters_php_encoded() -> None:
    # Sorted keys, "/" and "ü" escaped the PHP way, then the fields joined by commas.
    bundled = '{"name":"M\\u00fcller","url":"a\\/b"},token,action,identifier,1,secret,100,type'
    inner = hashlib.md5(bundled.encode()).hexdigest()
    expected = hashlib.md5(("secret" + inner).encode()).hexdigest()
    action = v1_action(parameters={"url": "a/b", "name": "Müller"})
    assert hmac_v1("secret", "token", action) == expected


def test_hmac_v1_joins_null_identifier_and_int_resourceid_like_php_implode() -> None:
    as_php_sends = v1_action(identifier=None, resourceid=1)
    as_strings = v1_action(identifier="", resourceid="1")
    assert hmac_v1("secret", "token", as_php_sends) == hmac_v1("secret", "token", as_strings)


def test_signature_valid_checks_the_version_the_action_names() -> None:
    v1 = v1_action(hmac="7e0bb4b6ceb4b3cff609524e416f2ac3")
    assert signature_valid(v1, "token", "secret")
    assert not signature_valid(v1_action(hmac="7e0bb4b6ceb4b3cff609524e416f2ac4"), "token", "x")
    v2 = hmac_v2("secret", "100", "token", "type", "action")
    assert signature_valid(v1_action(hmac=v2, hmac_version=2), "token", "secret")
    assert not signature_valid(v1_action(hmac=v2, hmac_version=1), "token", "secret")


def test_signature_with_non_ascii_characters_is_invalid_not_an_error() -> None:
    assert not signature_valid(v1_action(hmac="ä" * 32), "token", "secret")


@pytest.mark.parametrize(
    ("timestamp", "fresh"),
    [("1000", True), ("880", True), ("1120", True), ("879", False), ("1121", False)],
)
def test_timestamp_window_is_inclusive(timestamp: str, fresh: bool) -> None:
    assert timestamp_fresh(v1_action(timestamp=timestamp), 1000.0, 120) is fresh


def test_missing_timestamp_is_never_fresh() -> None:
    assert not timestamp_fresh(v1_action(timestamp=None), 1000.0, 120)
