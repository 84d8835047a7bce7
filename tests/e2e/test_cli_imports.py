"""`userphoto users import`, `users list/show` and `addresses import`."""

from __future__ import annotations

from pathlib import Path

import orjson

from tests.e2e.conftest import Invoke
from tests.waiting import within_a_second
from userphoto.core.services import Services

USERS_CSV = (
    "Nr,Name,Vorname,Nachname,email,Kuerzel,Telefon,adrId:adressen.ID,messengerUId\n"
    "1,amueller,Anna,Müller,anna@example.org,AMU,+49 30 1,,167001\n"
    "2,jkraus,Jana,Kraus,jana@example.org,JKR,,501,\n"
)


def test_users_import_csv_creates_users(invoke: Invoke, tmp_path: Path, services: Services) -> None:
    path = tmp_path / "users.csv"
    path.write_text(USERS_CSV, encoding="utf-8")
    result = invoke("users", "import", str(path))
    assert result.exit_code == 0, result.output
    assert "imported 2 users, 0 failed" in result.stdout
    anna = services.directory.user(1)
    assert (anna.username, anna.last_name, anna.initials) == ("amueller", "Müller", "AMU")
    assert anna.messenger_uid == 167001
    assert services.directory.user(2).address_id == 501


def test_users_import_is_an_upsert_by_number(
    invoke: Invoke, tmp_path: Path, services: Services
) -> None:
    first = tmp_path / "users.csv"
    first.write_text(USERS_CSV, encoding="utf-8")
    assert invoke("users", "import", str(first)).exit_code == 0
    uuid_before = services.directory.user(1).uuid
    assert invoke("users", "import", str(first)).exit_code == 0
    update = tmp_path / "phones.jsonl"
    update.write_text('{"Nr": 1, "Telefon": "+49 30 999"}\n', encoding="utf-8")
    result = invoke("users", "import", str(update))
    assert result.exit_code == 0, result.output
    listed = orjson.loads(invoke("users", "list", "--json").stdout)
    assert [u["number"] for u in listed] == [1, 2]
    within_a_second(lambda: services.directory.user(1).phone, "+49 30 999")
    anna = services.directory.user(1)
    assert anna.first_name == "Anna"  # columns absent from the file stay as they were
    assert anna.uuid == uuid_before


def test_users_import_reports_each_failed_row(
    invoke: Invoke, tmp_path: Path, services: Services
) -> None:
    path = tmp_path / "users.jsonl"
    path.write_text(
        '{"Nr": 1, "email": "a@example.org"}\n'
        '{"Nr": "zwei"}\n'
        "{broken\n"
        '{"Nr": 3, "email": "a@example.org"}\n'
        '{"Nr": 4, "Passwort": "secret"}\n'
        '{"Nr": 5, "Vorname": "Bea"}\n',
        encoding="utf-8",
    )
    result = invoke("users", "import", str(path))
    assert result.exit_code == 1
    assert "imported 2 users, 4 failed" in result.stdout
    assert "Nr must be a whole number" in result.stderr
    assert "not valid JSON" in result.stderr
    assert "belongs to user 1" in result.stderr
    assert "unknown field 'Passwort'" in result.stderr
    for line in ("2", "3", "4", "5"):
        assert f"│ {line} " in result.stderr
    assert services.directory.user(5).first_name == "Bea"
    assert "Traceback" not in result.output


def test_users_import_of_a_missing_file_is_a_usage_error(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("users", "import", str(tmp_path / "nope.csv"))
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_users_list_and_show(invoke: Invoke, services: Services) -> None:
    services.directory.save_user(
        {"number": 3, "first_name": "Ole", "email": "ole@example.org"}, password="pw"
    )
    services.directory.save_user({"number": 4, "username": "bea"})
    listed = orjson.loads(invoke("users", "list", "--json", "--limit", "1").stdout)
    assert [u["number"] for u in listed] == [3]
    assert "password_hash" not in listed[0] and listed[0]["has_password"] is True
    table = invoke("users", "list")
    assert table.exit_code == 0 and "Ole" in table.stdout and "2 of 2 users" in table.stdout
    for ref in ("3", "ole@example.org", str(services.directory.user(3).uuid)):
        shown = orjson.loads(invoke("users", "show", ref, "--json").stdout)
        assert shown["number"] == 3 and shown["photo"] is None
    assert "scrypt" not in invoke("users", "show", "3").stdout
    assert orjson.loads(invoke("users", "show", "bea", "--json").stdout)["number"] == 4


def test_users_show_unknown_user(invoke: Invoke) -> None:
    result = invoke("users", "show", "nobody@example.org")
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: user 'nobody@example.org' not found"


def test_users_list_rejects_a_limit_over_the_maximum(invoke: Invoke) -> None:
    assert invoke("users", "list", "--limit", "501").exit_code == 2


def test_addresses_import(invoke: Invoke, tmp_path: Path, services: Services) -> None:
    path = tmp_path / "addresses.csv"
    path.write_text(
        "ID;Vorname;Name;Firma;Email\n501;Jana;Kraus;Acme;jana@acme.example\n;No;Id;;\n",
        encoding="utf-8",
    )
    result = invoke("addresses", "import", str(path))
    assert result.exit_code == 1
    assert "imported 1 addresses, 1 failed" in result.stdout
    assert "id is missing" in result.stderr
    address = services.directory.address(501)
    assert (address.first_name, address.last_name, address.company) == ("Jana", "Kraus", "Acme")
    path.write_text('{"id": 501, "company": "Acme GmbH"}\n', encoding="utf-8")
    path = path.rename(path.with_suffix(".jsonl"))
    assert invoke("addresses", "import", str(path)).exit_code == 0
    # The CLI wrote as another process would: the directory shows it within a second.
    within_a_second(lambda: services.directory.address(501).company, "Acme GmbH")
    assert services.directory.address(501).last_name == "Kraus"
