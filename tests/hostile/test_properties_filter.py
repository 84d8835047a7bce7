"""The onOffice filter parser, property-based: any JSON-like filter either runs or fails with
a documented errorcode, and a valid filter on `Nr` finds exactly the users it describes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.dialects.onoffice.support import READ
from userphoto.bootstrap import open_services
from userphoto.config import Settings
from userphoto.core.errors import InvalidQuery
from userphoto.core.services import Services
from userphoto.dialects.onoffice.errors import Code, OnOfficeError
from userphoto.dialects.onoffice.fields import WIRE_TO_CORE
from userphoto.dialects.onoffice.listing import OPERATORS, filter_conditions, from_core
from userphoto.dialects.onoffice.resources.user import read_user
from userphoto.dialects.onoffice.wire import Action

NUMBERS = (1, 2, 3, 5, 8, 13, 21, 34)
# What a filter may be refused with (protocol notes §6, §11).
FILTER_CODES = frozenset(
    {Code.EXPECTED_ARRAY, Code.UNKNOWN_FIELD, Code.UNKNOWN_OPERATOR, Code.INVALID_FILTER}
)
# Each example runs a query on SQLite; these counts keep the module to a few seconds.
QUERIES = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
PARSES = settings(max_examples=500, deadline=None)

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
field_names = st.sampled_from(sorted(WIRE_TO_CORE)) | st.text(max_size=12)
operator_names = st.sampled_from(sorted(OPERATORS)) | st.text(max_size=8)
expressions = st.fixed_dictionaries({"op": operator_names, "val": json_values}) | json_values
filters = (
    st.dictionaries(field_names, st.lists(expressions, max_size=3) | json_values, max_size=3)
    | json_values
)


@pytest.fixture(scope="module")
def directory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    """A SQLite store holding the users NUMBERS, for filters to run against."""
    data_dir: Path = tmp_path_factory.mktemp("filters")
    services = open_services(Settings(data_dir=data_dir, server_key="filter-key"))
    for number in NUMBERS:
        services.directory.save_user({"number": number, "first_name": f"U{number}"})
    yield services
    services.close()


def _read(services: Services, value: Any) -> list[int]:
    action = Action(READ, "", "user", None, "0", None, 2, {"data": ["Nr"], "filter": value})
    listing = read_user(services, Settings(), action)
    return sorted(record["id"] for record in listing.records)


@QUERIES
@given(value=filters)
def test_any_filter_runs_or_fails_with_a_documented_code(directory: Services, value: Any) -> None:
    try:
        _read(directory, value)
    except OnOfficeError as error:
        assert error.code in FILTER_CODES
    except InvalidQuery as error:
        assert from_core(error).code in FILTER_CODES


comparisons = {
    "=": lambda n, v: n == v,
    "!=": lambda n, v: n != v,
    "<>": lambda n, v: n != v,
    "<": lambda n, v: n < v,
    ">": lambda n, v: n > v,
    "<=": lambda n, v: n <= v,
    ">=": lambda n, v: n >= v,
}
nr_values = st.integers(min_value=-5, max_value=40)


@QUERIES
@given(
    op=st.sampled_from(sorted(comparisons)),
    value=nr_values,
    spelling=st.sampled_from([str.lower, str.upper, lambda s: f"  {s} "]),
)
def test_a_comparison_on_nr_finds_exactly_its_users(
    directory: Services, op: str, value: int, spelling: Any
) -> None:
    found = _read(directory, {"Nr": [{"op": spelling(op), "val": value}]})
    assert found == [n for n in NUMBERS if comparisons[op](n, value)]


@QUERIES
@given(values=st.lists(nr_values, max_size=6), negated=st.booleans(), as_text=st.booleans())
def test_in_and_not_in_on_nr_find_exactly_their_users(
    directory: Services, values: list[int], negated: bool, as_text: bool
) -> None:
    sent: list[Any] = [str(v) for v in values] if as_text else values
    found = _read(directory, {"Nr": [{"op": "not in" if negated else "IN", "val": sent}]})
    assert found == [n for n in NUMBERS if (n in values) != negated]


@QUERIES
@given(low=nr_values, high=nr_values, extra=nr_values)
def test_conditions_on_one_field_are_all_met(
    directory: Services, low: int, high: int, extra: int
) -> None:
    found = _read(
        directory, {"Nr": [{"op": "between", "val": [low, high]}, {"op": "!=", "val": extra}]}
    )
    assert found == [n for n in NUMBERS if low <= n <= high and n != extra]


@PARSES
@given(
    name=st.sampled_from(sorted(WIRE_TO_CORE)),
    op=st.sampled_from(sorted(OPERATORS)),
    value=json_scalars,
)
def test_a_well_formed_filter_parses_to_its_condition(name: str, op: str, value: Any) -> None:
    (condition,) = filter_conditions({name: [{"op": op, "val": value}]})
    assert (condition.field, condition.op, condition.value) == (
        WIRE_TO_CORE[name],
        OPERATORS[op],
        value,
    )
