"""`userphoto serve` limits glibc's malloc arenas, for itself and its workers, unless set."""

from __future__ import annotations

import os

import pytest

from userphoto.cli.serving import limit_malloc_arenas


def test_the_server_and_its_workers_get_two_arenas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    limit_malloc_arenas()
    assert os.environ["MALLOC_ARENA_MAX"] == "2"


def test_an_operators_choice_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    limit_malloc_arenas()
    assert os.environ["MALLOC_ARENA_MAX"] == "4"
