"""`userphoto apiuser create/list/revoke`."""

from __future__ import annotations

import orjson

from tests.e2e.conftest import Invoke
from userphoto.core.model import Right
from userphoto.core.services import Services


def test_create_prints_the_credentials_once(invoke: Invoke, services: Services) -> None:
    services.directory.save_user({"number": 7, "first_name": "Ole"})
    result = invoke(
        "apiuser", "create", "crm", "--user", "7", "--right", "read-user-data", "--json"
    )
    assert result.exit_code == 0, result.output
    created = orjson.loads(result.stdout)
    assert (created["name"], created["user_number"], created["rights"]) == (
        "crm",
        7,
        ["read-user-data"],
    )
    assert len(created["token"]) == 32 and len(created["secret"]) == 64
    stored = services.api_users.by_token(created["token"])
    assert stored is not None and stored.secret == created["secret"]
    assert stored.may(Right.READ_USER_DATA)

    listed = invoke("apiuser", "list", "--json")
    assert created["secret"] not in listed.stdout and created["token"] not in listed.stdout
    assert [a["id"] for a in orjson.loads(listed.stdout)] == [created["id"]]


def test_create_as_text_shows_token_and_secret(invoke: Invoke) -> None:
    result = invoke("apiuser", "create", "website")
    assert result.exit_code == 0, result.output
    lines = dict(line.split(": ", 1) for line in result.stdout.splitlines() if ": " in line)
    assert len(lines["token"]) == 32 and len(lines["secret"]) == 64
    assert lines["rights"] == ""


def test_create_for_an_unknown_user_fails(invoke: Invoke) -> None:
    result = invoke("apiuser", "create", "crm", "--user", "99")
    assert result.exit_code == 1
    assert "user 99 not found" in result.stderr


def test_create_rejects_an_unknown_right(invoke: Invoke) -> None:
    result = invoke("apiuser", "create", "crm", "--right", "write-everything")
    assert result.exit_code == 2
    assert "write-everything" in result.output


def test_revoke(invoke: Invoke, services: Services) -> None:
    created = orjson.loads(invoke("apiuser", "create", "crm", "--json").stdout)
    table = invoke("apiuser", "list")
    assert "crm" in table.stdout
    result = invoke("apiuser", "revoke", str(created["id"]))
    assert result.exit_code == 0, result.output
    assert services.api_users.by_token(created["token"]) is None
    assert orjson.loads(invoke("apiuser", "list", "--json").stdout) == []
    again = invoke("apiuser", "revoke", str(created["id"]))
    assert again.exit_code == 1 and "not found" in again.stderr
