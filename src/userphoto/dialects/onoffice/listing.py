"""The list parameters both resources share (protocol notes §6) as a core `UserQuery`."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from userphoto.core.errors import InvalidQuery, InvalidValue, UnknownField
from userphoto.core.query import Condition, Operator, SortKey, UserQuery
from userphoto.dialects.onoffice.errors import Code, OnOfficeError
from userphoto.dialects.onoffice.fields import CORE_TO_WIRE, WIRE_TO_CORE

DEFAULT_LIMIT = 20
MAX_LIMIT = 500
# Record numbers are 64-bit in every store; a larger id names no record.
_MAX_ID = 2**63 - 1
# Longer digit strings are no count or id a client means; int() on them is costly.
_INTEGER = re.compile(r"-?[0-9]{1,30}")

# The docs list "is or =" and "!= or <>" as synonyms and mix "in" with "IN".
OPERATORS: dict[str, Operator] = {
    "is": Operator.EQ,
    "=": Operator.EQ,
    ">": Operator.GT,
    "<": Operator.LT,
    ">=": Operator.GE,
    "<=": Operator.LE,
    "!=": Operator.NE,
    "<>": Operator.NE,
    "between": Operator.BETWEEN,
    "like": Operator.LIKE,
    "not like": Operator.NOT_LIKE,
    "in": Operator.IN,
    "not in": Operator.NOT_IN,
}
_DIRECTIONS = {"asc": False, "desc": True}


def user_query(parameters: dict[str, Any], conditions: Iterable[Condition]) -> UserQuery:
    limit, offset = _paging(parameters)
    return UserQuery(tuple(conditions), _sort(parameters), limit, offset)


def stored_id(value: Any) -> int | None:
    """The 64-bit id a client's int or digit string names; None when it names none."""
    number = _as_int(value)
    return number if number is not None and abs(number) <= _MAX_ID else None


def record_condition(resourceid: str | int | None) -> Condition:
    number = stored_id(resourceid)
    # An empty `in` matches nothing: an id that is no number is a record that does not exist.
    return Condition("number", Operator.IN, () if number is None else (number,))


def ids_condition(field: str, values: list[Any], parameter: str) -> Condition:
    if any(_as_int(value) is None for value in values):
        raise OnOfficeError(Code.EXPECTED_INTEGER, parameter)
    ids = (stored_id(value) for value in values)
    return Condition(field, Operator.IN, tuple(i for i in ids if i is not None))


def filter_conditions(value: Any) -> list[Condition]:
    if value is None or value == []:
        return []
    if not isinstance(value, dict):
        raise OnOfficeError(Code.EXPECTED_ARRAY)
    return [cond for name, exprs in value.items() for cond in _field_conditions(name, exprs)]


def _core_field(name: str) -> str:
    core = WIRE_TO_CORE.get(name)
    if core is None:
        raise OnOfficeError(Code.UNKNOWN_FIELD, name)
    return core


def _field_conditions(name: str, exprs: Any) -> list[Condition]:
    field = _core_field(name)
    if not isinstance(exprs, list):
        raise OnOfficeError(Code.EXPECTED_ARRAY)
    return [_condition(name, field, expr) for expr in exprs]


def _condition(name: str, field: str, expr: Any) -> Condition:
    if not isinstance(expr, dict) or "op" not in expr or "val" not in expr:
        raise OnOfficeError(Code.INVALID_FILTER, f'{name} needs objects with "op" and "val"')
    op = expr["op"]
    operator = OPERATORS.get(" ".join(op.lower().split())) if isinstance(op, str) else None
    if operator is None:
        raise OnOfficeError(Code.UNKNOWN_OPERATOR, str(op))
    return Condition(field, operator, expr["val"])


def _sort(parameters: dict[str, Any]) -> tuple[SortKey, ...]:
    sortby = parameters.get("sortby")
    if sortby is None or sortby in ([], ""):
        return ()
    if isinstance(sortby, str):
        # The estate/address form, which clients also send for users: "sortby" + "sortorder".
        sortby = {sortby: parameters.get("sortorder", "ASC")}
    if not isinstance(sortby, dict):
        raise OnOfficeError(Code.INVALID_PARAMETER, "sortby")
    return tuple(_sort_key(name, direction) for name, direction in sortby.items())


def _sort_key(name: str, direction: Any) -> SortKey:
    field = WIRE_TO_CORE.get(name)
    if field is None:
        raise OnOfficeError(Code.UNKNOWN_SORT_FIELD)
    descending = _DIRECTIONS.get(direction.lower()) if isinstance(direction, str) else None
    if descending is None:
        raise OnOfficeError(Code.INVALID_PARAMETER, "sortby")
    return SortKey(field, descending)


def _paging(parameters: dict[str, Any]) -> tuple[int, int]:
    limit = _count(parameters, "listlimit", DEFAULT_LIMIT)
    # The live API neither caps nor refuses a listlimit above 500: it falls back to the
    # default (seen on estate, §6). Clients that page by cntabsolute still get every record.
    if limit > MAX_LIMIT:
        limit = DEFAULT_LIMIT
    offset = _count(parameters, "listoffset", 0)
    # No store can skip past its last 64-bit row number; SQLite cannot even bind the value.
    if offset > _MAX_ID:
        raise OnOfficeError(Code.INVALID_PARAMETER, "listoffset")
    return limit, offset


def _count(parameters: dict[str, Any], name: str, default: int) -> int:
    value = parameters.get(name)
    if value is None:
        return default
    number = _as_int(value)
    if number is None:
        raise OnOfficeError(Code.EXPECTED_INTEGER, name)
    if number < 0:
        raise OnOfficeError(Code.INVALID_PARAMETER, name)
    return number


def _as_int(value: Any) -> int | None:
    """An int, or a string of decimal digits as PHP clients send them; else None."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _INTEGER.fullmatch(value):
        return int(value)
    return None


def from_core(error: InvalidQuery) -> OnOfficeError:
    """The onOffice error for a query the directory refused, named in wire field names."""
    field = CORE_TO_WIRE.get(getattr(error, "field", ""), "")
    if isinstance(error, UnknownField):
        return OnOfficeError(Code.UNKNOWN_FIELD, field or error.field)
    if isinstance(error, InvalidValue) and field:
        return OnOfficeError(Code.INVALID_FILTER, field)
    return OnOfficeError(Code.INVALID_FILTER, str(error))
