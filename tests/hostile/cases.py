"""Hostile cases as data, and the one check every case gets.

A case names the request, the status it must get and the dialect's documented error code
(read from the response by the dialect's own reader). Every case also proves the store
untouched: its checksum after the request equals the checksum before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import httpx
import pytest

from tests.hostile.world import Builder, World

ErrorReader = Callable[[httpx.Response], str]


@dataclass(frozen=True)
class Case:
    category: str
    name: str
    build: Builder
    status: int
    code: str

    @property
    def id(self) -> str:
        return f"{self.category}:{self.name}"


def parametrize(cases: Iterable[Case]) -> pytest.MarkDecorator:
    """Every case on SQLite; on PostgreSQL the first case of each category, and every case
    with NUL in its name: PostgreSQL refuses NUL in text, where SQLite takes it."""
    cases = list(cases)
    ids = [case.id for case in cases]
    assert len(ids) == len(set(ids)), "case names must be unique"
    firsts = {case.category: case for case in reversed(cases)}
    on_postgres = [c for c in cases if c in firsts.values() or re.search(r"\bnul\b", c.name)]
    params = [pytest.param(case, "sqlite", id=f"sqlite-{case.id}") for case in cases]
    params += [pytest.param(case, "postgresql", id=f"postgresql-{case.id}") for case in on_postgres]
    return pytest.mark.parametrize(("case", "kind"), params)


def check(world: World, case: Case, read_error: ErrorReader) -> None:
    before = world.checksum()
    response = world.send(case.build(world))
    answer = (response.status_code, read_error(response))
    assert answer == (case.status, case.code), response.text[:500]
    assert world.checksum() == before, "the store changed"
