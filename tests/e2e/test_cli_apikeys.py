"""`userphoto apikey create/list/revoke`, `users set-password`, `users set-admin`, and the
`isAdmin` import column."""

from __future__ import annotations

from pathlib import Path

import orjson
from typer.testing import CliRunner

from tests.e2e.conftest import Invoke
from userphoto.bootstrap import open_services
from userphoto.cli import app
from userphoto.config import Settings
from userphoto.core.model import Scope
from userphoto.core.services import Services


def test_create_prints_the_key_once(invoke: Invoke, services: Services) -> None:
    services.directory.save_user({"number": 7, "username": "ole", "email": "ole@example.com"})
    result = invoke(
        "apikey", "create", "--user", "ole@example.com", "--scope", "accounts:read",
        "--scope", "self:write", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    created = orjson.loads(result.stdout)
    assert created["key"].startswith("sk-") and created["user_number"] == 7
    assert created["scopes"] == ["people:read", "self:write"]
    principal = services.auth.by_key(created["key"])
    assert principal is not None and principal.user.number == 7
    assert principal.scopes == {Scope.PEOPLE_READ, Scope.SELF_WRITE}
    listed = invoke("apikey", "list", "--json")
    assert created["key"] not in listed.stdout
    assert [k["id"] for k in orjson.loads(listed.stdout)] == [created["id"]]


def test_create_as_text_defaults_to_every_scope(invoke: Invoke, services: Services) -> None:
    services.directory.save_user({"number": 7, "username": "ole"})
    result = invoke("apikey", "create", "--user", "ole")
    assert result.exit_code == 0, result.output
    lines = dict(line.split(": ", 1) for line in result.stdout.splitlines() if ": " in line)
    assert lines["key"].startswith("sk-") and lines["scopes"] == "*"
    assert "cannot be shown again" in result.stdout


def test_create_refuses_unknown_scopes_and_users(invoke: Invoke, services: Services) -> None:
    services.directory.save_user({"number": 7})
    bad_scope = invoke("apikey", "create", "--user", "7", "--scope", "files:write")
    assert bad_scope.exit_code == 2 and "files:write" in bad_scope.stderr
    no_user = invoke("apikey", "create", "--user", "99")
    assert no_user.exit_code == 1 and "not found" in no_user.stderr


def test_list_by_user_and_revoke(invoke: Invoke, services: Services) -> None:
    services.directory.save_user({"number": 7})
    services.directory.save_user({"number": 8})
    first = orjson.loads(invoke("apikey", "create", "--user", "7", "--json").stdout)
    invoke("apikey", "create", "--user", "8", "--name", "sync")
    only_7 = orjson.loads(invoke("apikey", "list", "--user", "7", "--json").stdout)
    assert [k["user_number"] for k in only_7] == [7]
    assert "sync" in invoke("apikey", "list").stdout
    assert invoke("apikey", "revoke", str(first["id"])).exit_code == 0
    assert services.auth.by_key(first["key"]) is None
    again = invoke("apikey", "revoke", str(first["id"]))
    assert again.exit_code == 1 and "not found" in again.stderr


def _logs_in(settings: Settings, login: str, password: str) -> bool:
    """Checked on freshly opened services: what the CLI process stored, not a cached view."""
    services = open_services(settings)
    try:
        return services.auth.login(login, password) is not None
    finally:
        services.close()


def test_set_password_with_the_option_and_by_prompt(
    invoke: Invoke, services: Services, settings: Settings
) -> None:
    services.directory.save_user({"number": 7, "username": "ole", "email": "ole@example.com"})
    assert invoke("users", "set-password", "ole", "--password", "first-pw").exit_code == 0
    assert _logs_in(settings, "ole@example.com", "first-pw")
    prompted = CliRunner().invoke(
        app,
        ["users", "set-password", "7", "--data-dir", str(settings.data_dir)],
        input="second-pw\nsecond-pw\n",
    )
    assert prompted.exit_code == 0, prompted.output
    assert _logs_in(settings, "ole", "second-pw")
    assert not _logs_in(settings, "ole", "first-pw")


def test_an_empty_password_is_refused(invoke: Invoke, services: Services) -> None:
    services.directory.save_user({"number": 7})
    result = invoke("users", "set-password", "7", "--password", "")
    assert result.exit_code == 2 and "empty" in result.stderr


def _is_admin(invoke: Invoke, user: str) -> bool:
    shown = invoke("users", "show", user, "--json")
    assert shown.exit_code == 0, shown.output
    return orjson.loads(shown.stdout)["is_admin"]


def test_set_admin_on_and_off(invoke: Invoke, services: Services) -> None:
    services.directory.save_user({"number": 7, "username": "ole"})
    assert invoke("users", "set-admin", "ole").exit_code == 0
    assert _is_admin(invoke, "7") is True
    assert invoke("users", "set-admin", "7", "--off").exit_code == 0
    assert _is_admin(invoke, "7") is False
    assert invoke("users", "set-admin", "nobody").exit_code == 1


def test_import_takes_is_admin(invoke: Invoke, tmp_path: Path) -> None:
    rows = tmp_path / "users.jsonl"
    rows.write_text(
        '{"Nr": 1, "Vorname": "Ada", "isAdmin": true}\n'
        '{"Nr": 2, "Vorname": "Ben", "isAdmin": "false"}\n'
        '{"Nr": 3, "Vorname": "Cy", "isAdmin": "maybe"}\n'
    )
    result = invoke("users", "import", str(rows))
    assert result.exit_code == 1
    assert "isAdmin must be true or false" in result.output
    assert _is_admin(invoke, "1") is True
    assert _is_admin(invoke, "2") is False
