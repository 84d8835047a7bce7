"""Directory queries: conditions ANDed together (with OR groups among them), sort keys, paging.

No SQL, no wire names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Generic, TypeVar

from userphoto.core.errors import InvalidValue, UnknownField
from userphoto.core.model import USER_INT_FIELDS, USER_QUERY_FIELDS

T = TypeVar("T")

MAX_LIMIT = 500
INT64_MAX = 2**63 - 1
# What a person's free-text search looks in: the names, the e-mail and the user name.
NAME_FIELDS = ("last_name", "first_name", "email", "username")
# What an address record's free-text search looks in.
ADDRESS_SEARCH_FIELDS = ("first_name", "last_name", "company", "email")


class Operator(Enum):
    EQ = "="
    NE = "!="
    GT = ">"
    LT = "<"
    GE = ">="
    LE = "<="
    BETWEEN = "between"
    LIKE = "like"
    NOT_LIKE = "not like"
    IN = "in"
    NOT_IN = "not in"

    @property
    def takes_list(self) -> bool:
        return self in {Operator.IN, Operator.NOT_IN, Operator.BETWEEN}


@dataclass(frozen=True, slots=True)
class Condition:
    field: str
    op: Operator
    value: Any


@dataclass(frozen=True, slots=True)
class AnyOf:
    """An OR group: a user matches when any of its conditions does; an empty group, never."""

    conditions: tuple[Condition | AnyOf, ...]


Clause = Condition | AnyOf


@dataclass(frozen=True, slots=True)
class SortKey:
    field: str
    descending: bool = False


@dataclass(frozen=True, slots=True)
class UserQuery:
    conditions: tuple[Clause, ...] = ()
    sort: tuple[SortKey, ...] = ()
    limit: int = 20
    offset: int = 0

    def validated(self) -> UserQuery:
        """A copy with values coerced to the field types; raises on anything unrunnable."""
        for key in self.sort:
            _check_field(key.field)
        check_paging(self.limit, self.offset)
        return UserQuery(
            tuple(_checked(c) for c in self.conditions), self.sort, self.limit, self.offset
        )


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    total: int = field(default=0)


def check_paging(limit: int, offset: int) -> None:
    if not 0 <= limit <= MAX_LIMIT:
        raise InvalidValue("limit", f"must be between 0 and {MAX_LIMIT}")
    if offset < 0:
        raise InvalidValue("offset", "must not be negative")


def contains_any(fields: Iterable[str], text: str) -> AnyOf:
    """Users with `text` in any of `fields`, ignoring case.

    LIKE patterns have no escape character here, so a literal % or _ in the text becomes
    the one-character wildcard: such a search may find a little more, never less.
    """
    pattern = "%" + re.sub("[%_]", "_", text) + "%"
    return AnyOf(tuple(Condition(name, Operator.LIKE, pattern) for name in fields))


def _checked(clause: Clause) -> Clause:
    if isinstance(clause, AnyOf):
        return AnyOf(tuple(_checked(c) for c in clause.conditions))
    if not isinstance(clause, Condition):
        raise InvalidValue("conditions", f"not a condition: {clause!r}")
    return _coerced(clause)


def _check_field(name: str) -> None:
    if name not in USER_QUERY_FIELDS:
        raise UnknownField(name)


def _coerced(cond: Condition) -> Condition:
    _check_field(cond.field)
    if cond.op.takes_list:
        values = _as_list(cond)
        if cond.op is Operator.BETWEEN and len(values) != 2:
            raise InvalidValue(cond.field, "between takes exactly two values")
        return Condition(cond.field, cond.op, tuple(_scalar(cond.field, v) for v in values))
    if cond.op in {Operator.LIKE, Operator.NOT_LIKE}:
        if not isinstance(cond.value, str | int) or isinstance(cond.value, bool):
            raise InvalidValue(cond.field, "like takes a string pattern")
        return Condition(cond.field, cond.op, _text(cond.field, str(cond.value)))
    return Condition(cond.field, cond.op, _scalar(cond.field, cond.value))


def _as_list(cond: Condition) -> list[Any]:
    if isinstance(cond.value, list | tuple):
        return list(cond.value)
    if cond.op is Operator.BETWEEN:
        raise InvalidValue(cond.field, "between takes a list of two values")
    # A scalar with `in` is the one-element list clients mean.
    return [cond.value]


def _scalar(name: str, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool | list | dict | tuple):
        raise InvalidValue(name, f"unsupported value {value!r}")
    if name in USER_INT_FIELDS:
        return _as_int(name, value)
    if isinstance(value, float):
        return repr(value)
    return _text(name, str(value))


def _text(name: str, value: str) -> str:
    # No stored text holds NUL, and PostgreSQL refuses it in any query parameter.
    if "\0" in value:
        raise InvalidValue(name, "text may not hold NUL")
    return value


def _as_int(name: str, value: Any) -> int:
    number = _parse_int(name, value)
    # Integer columns are 64-bit everywhere; a larger value would fail inside the driver.
    if abs(number) > INT64_MAX:
        raise InvalidValue(name, "outside the 64-bit integer range")
    return number


def _parse_int(name: str, value: Any) -> int:
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    # ASCII and short: int() fails on "²" and past 4300 digits; 20 covers any 64-bit value.
    text = value.strip() if isinstance(value, str) else ""
    if text.isascii() and text.lstrip("-").isdigit() and len(text) <= 20:
        return int(text)
    raise InvalidValue(name, f"expected an integer, got {value!r}")
