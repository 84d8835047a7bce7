"""Record files for bulk imports: CSV or JSON Lines rows mapped onto core field names.

User rows use the onOffice `user` field names (plus `messengerUId`); address rows use
the onOffice address names or the core names. A row problem is reported per row so
one bad line never stops an import.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from userphoto.core.model import USER_INT_FIELDS
from userphoto.dialects.onoffice.fields import WIRE_TO_CORE

# Import files use the onOffice `user` resource's field names, plus the messenger id
# the `userphoto` resource answers with and whether the user is an admin.
ONOFFICE_USER_FIELDS: Mapping[str, str] = {
    **WIRE_TO_CORE,
    "messengerUId": "messenger_uid",
    "isAdmin": "is_admin",
}
_USER_BOOL_FIELDS = frozenset({"is_admin"})
_TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
_FALSE_WORDS = frozenset({"", "0", "false", "no", "off"})

ADDRESS_FIELDS: Mapping[str, str] = {
    "id": "id",
    "ID": "id",
    "Vorname": "first_name",
    "first_name": "first_name",
    "Name": "last_name",
    "Nachname": "last_name",
    "last_name": "last_name",
    "Firma": "company",
    "company": "company",
    "Email": "email",
    "email": "email",
}
_ADDRESS_INT_FIELDS = frozenset({"id"})

JSON_LINES_SUFFIXES = frozenset({".jsonl", ".ndjson", ".json"})


class RecordFileError(Exception):
    """The file as a whole cannot be read: missing, not UTF-8, or no header."""


class RowProblem(Exception):
    """One row cannot be imported; the message says why."""


@dataclass(frozen=True, slots=True)
class SourceRow:
    line: int
    values: dict[str, Any]


@dataclass(frozen=True, slots=True)
class BadRow:
    line: int
    reason: str


def read_rows(path: Path) -> Iterator[SourceRow | BadRow]:
    """The file's rows, CSV or JSON Lines, chosen by extension or else by the first byte."""
    text = _read_text(path)
    if _is_json_lines(path, text):
        yield from _json_lines_rows(text)
    else:
        yield from _csv_rows(text)


def count_rows(path: Path) -> int:
    """Rows a progress bar can expect: non-blank lines, less the CSV header."""
    text = _read_text(path)
    lines = sum(1 for line in text.splitlines() if line.strip())
    return lines if _is_json_lines(path, text) else max(0, lines - 1)


def user_values(row: Mapping[str, Any]) -> dict[str, Any]:
    """Core user values from an import row keyed by onOffice field names; `Nr` is required."""
    values = _mapped(row, ONOFFICE_USER_FIELDS, USER_INT_FIELDS, _USER_BOOL_FIELDS)
    if values.get("number") is None:
        raise RowProblem("Nr is missing")
    return values


def address_values(row: Mapping[str, Any]) -> dict[str, Any]:
    """Core address values from an import row; `id` (or `ID`) is required."""
    values = _mapped(row, ADDRESS_FIELDS, _ADDRESS_INT_FIELDS)
    if values.get("id") is None:
        raise RowProblem("id is missing")
    return values


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise RecordFileError(f"{path}: no such file") from exc
    except IsADirectoryError as exc:
        raise RecordFileError(f"{path}: is a directory, expected a CSV or JSON Lines file") from exc
    except UnicodeDecodeError as exc:
        raise RecordFileError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc


def _is_json_lines(path: Path, text: str) -> bool:
    if path.suffix.lower() in JSON_LINES_SUFFIXES:
        return True
    if path.suffix.lower() == ".csv":
        return False
    return text.lstrip().startswith("{")


def _json_lines_rows(text: str) -> Iterator[SourceRow | BadRow]:
    for line_number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            values = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            yield BadRow(line_number, f"not valid JSON: {exc}")
            continue
        if isinstance(values, dict):
            yield SourceRow(line_number, values)
        else:
            yield BadRow(line_number, "expected a JSON object")


def _csv_rows(text: str) -> Iterator[SourceRow | BadRow]:
    lines = text.splitlines(keepends=True)
    if not lines:
        return
    # German spreadsheet exports separate with semicolons; the header tells which one it is.
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.DictReader(lines, delimiter=delimiter, restkey="\0extra")
    if not reader.fieldnames or any(not name.strip() for name in reader.fieldnames):
        raise RecordFileError("the CSV header has an empty column name")
    for record in reader:
        line_number = reader.line_num
        if "\0extra" in record:
            yield BadRow(line_number, "more cells than header columns")
        elif None in record.values():
            yield BadRow(line_number, "fewer cells than header columns")
        else:
            yield SourceRow(line_number, {k.strip(): v for k, v in record.items()})


def _mapped(
    row: Mapping[str, Any],
    names: Mapping[str, str],
    int_fields: frozenset[str],
    bool_fields: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    unknown = sorted(key for key in row if key not in names)
    if unknown:
        raise RowProblem(f"unknown field {unknown[0]!r}")
    values: dict[str, Any] = {}
    for key, raw in row.items():
        field = names[key]
        if field in values:
            raise RowProblem(f"field {key!r} given twice (under two names)")
        if field in bool_fields:
            values[field] = _bool(key, raw)
        else:
            values[field] = _int(key, raw) if field in int_fields else _text(key, raw)
    return values


def _int(key: str, raw: Any) -> int | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lstrip("-").isdigit():
        return int(raw.strip())
    raise RowProblem(f"{key} must be a whole number, got {raw!r}")


def _bool(key: str, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    word = "" if raw is None else str(raw).strip().lower()
    if word in _TRUE_WORDS | _FALSE_WORDS:
        return word in _TRUE_WORDS
    raise RowProblem(f"{key} must be true or false, got {raw!r}")


def _text(key: str, raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, str):
        return raw.strip()
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return str(raw)
    raise RowProblem(f"{key} must be text, got {raw!r}")
