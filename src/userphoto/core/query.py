"""Directory queries: conditions ANDed together, sort keys, paging. No SQL, no wire names."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Generic, TypeVar

from userphoto.core.errors import InvalidValue, UnknownField
from userphoto.core.model import USER_INT_FIELDS, USER_QUERY_FIELDS

T = TypeVar("T")

MAX_LIMIT = 500
INT64_MAX = 2**63 - 1


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
class SortKey:
    field: str
    descending: bool = False


@dataclass(frozen=True, slots=True)
class UserQuery:
    conditions: tuple[Condition, ...] = ()
    sort: tuple[SortKey, ...] = ()
    limit: int = 20
    offset: int = 0

    def validated(self) -> UserQuery:
        """A copy with values coerced to the field types; raises on anything unrunnable."""
        for key in self.sort:
            _check_field(key.field)
        if not 0 <= self.limit <= MAX_LIMIT:
            raise InvalidValue("limit", f"must be between 0 and {MAX_LIMIT}")
        if self.offset < 0:
            raise InvalidValue("offset", "must not be negative")
        return UserQuery(
            tuple(_coerced(c) for c in self.conditions), self.sort, self.limit, self.offset
        )


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    total: int = field(default=0)


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
        return Condition(cond.field, cond.op, str(cond.value))
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
    return str(value)


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
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    raise InvalidValue(name, f"expected an integer, got {value!r}")
