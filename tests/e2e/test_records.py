"""Reading CSV and JSON Lines record files and mapping rows onto core fields."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from userphoto.records import (
    BadRow,
    RecordFileError,
    RowProblem,
    SourceRow,
    address_values,
    count_rows,
    read_rows,
    user_values,
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_rows_carry_their_line_numbers(tmp_path: Path) -> None:
    path = write(tmp_path, "u.csv", "Nr,Vorname\n1,Anna\n\n2,Jürgen\n")
    rows = list(read_rows(path))
    assert rows == [
        SourceRow(2, {"Nr": "1", "Vorname": "Anna"}),
        SourceRow(4, {"Nr": "2", "Vorname": "Jürgen"}),
    ]
    assert count_rows(path) == 2


def test_semicolon_csv_with_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    path.write_bytes("\ufeffNr;Nachname;Firma\n7;Müller;Lindenhof, Immobilien\n".encode())
    assert list(read_rows(path)) == [
        SourceRow(2, {"Nr": "7", "Nachname": "Müller", "Firma": "Lindenhof, Immobilien"})
    ]


def test_csv_rows_with_the_wrong_cell_count_are_bad_rows(tmp_path: Path) -> None:
    path = write(tmp_path, "u.csv", "Nr,Vorname\n1\n2,Anna,extra\n3,Ok\n")
    rows = list(read_rows(path))
    assert rows[0] == BadRow(2, "fewer cells than header columns")
    assert rows[1] == BadRow(3, "more cells than header columns")
    assert rows[2] == SourceRow(4, {"Nr": "3", "Vorname": "Ok"})


def test_json_lines_by_extension_and_by_content(tmp_path: Path) -> None:
    text = '{"Nr": 1, "Vorname": "Anna"}\n\nnot json\n[1, 2]\n'
    for name in ("u.jsonl", "u.txt"):
        rows = list(read_rows(write(tmp_path, name, text)))
        assert rows[0] == SourceRow(1, {"Nr": 1, "Vorname": "Anna"})
        assert isinstance(rows[1], BadRow) and rows[1].line == 3
        assert rows[2] == BadRow(4, "expected a JSON object")


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: None, "no such file"),
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: p.write_bytes(b"Nr\n\xff\xfe\x00"), "not UTF-8"),
        (lambda p: p.write_text("Nr,,Name\n1,2,3\n"), "empty column name"),
    ],
)
def test_unreadable_files(tmp_path: Path, setup: Callable[[Path], object], message: str) -> None:
    path = tmp_path / "records.csv"
    setup(path)
    with pytest.raises(RecordFileError, match=message):
        list(read_rows(path))


def test_user_values_map_onoffice_names_and_coerce_numbers() -> None:
    values = user_values(
        {
            "Nr": "12",
            "Vorname": " Anna ",
            "adrId:adressen.ID": "",
            "messengerUId": 167089,
            "PLZ": 10117,
            "usesAccount:account.id": "3",
        }
    )
    assert values == {
        "number": 12,
        "first_name": "Anna",
        "address_id": None,
        "messenger_uid": 167089,
        "postal_code": "10117",
        "account_id": 3,
    }


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ({"Vorname": "Anna"}, "Nr is missing"),
        ({"Nr": ""}, "Nr is missing"),
        ({"Nr": "1", "Surname": "x"}, "unknown field 'Surname'"),
        ({"Nr": "eins"}, "Nr must be a whole number"),
        ({"Nr": True}, "Nr must be a whole number"),
        ({"Nr": 1, "Vorname": ["a"]}, "Vorname must be text"),
    ],
)
def test_bad_user_rows(row: dict[str, object], reason: str) -> None:
    with pytest.raises(RowProblem, match=reason):
        user_values(row)


def test_address_values_accept_onoffice_and_core_names() -> None:
    assert address_values({"ID": "5", "Name": "Kraus", "Vorname": "Jana", "Email": "j@x"}) == {
        "id": 5,
        "last_name": "Kraus",
        "first_name": "Jana",
        "email": "j@x",
    }
    assert address_values({"id": 6, "last_name": "Li", "company": "Acme"}) == {
        "id": 6,
        "last_name": "Li",
        "company": "Acme",
    }
    with pytest.raises(RowProblem, match="given twice"):
        address_values({"id": 1, "Name": "A", "Nachname": "B"})
    with pytest.raises(RowProblem, match="id is missing"):
        address_values({"Name": "A"})
