"""Repeated reads answered from the kept encoded data, and every way it is retired."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.dialects.onoffice.support import NOW, OnOfficeClient
from userphoto.core.services import Services
from userphoto.dialects.onoffice.readcache import ReadCache
from userphoto.dialects.onoffice.resources import Listing
from userphoto.dialects.onoffice.wire import READ, Action


def action(parameters: dict[str, Any], resourceid: str | int | None = "") -> Action:
    return Action(READ, resourceid, "user", "", "1", "sig", 2, parameters)


class Reads:
    """A reader that counts its calls and answers what it is told."""

    def __init__(self, listing: Listing) -> None:
        self.listing = listing
        self.calls = 0

    def __call__(self) -> Listing:
        self.calls += 1
        return self.listing


def test_a_repeated_read_is_answered_from_memory_until_the_generation_moves() -> None:
    generation = [0]
    cache = ReadCache(lambda: generation[0])
    reads = Reads(Listing([{"id": 1}], 1))
    first = cache.data(action({"listlimit": 5}), reads)
    assert cache.data(action({"listlimit": 5}), reads) == first
    assert cache.kept(action({"listlimit": 5})) == first
    assert reads.calls == 1
    generation[0] += 1
    assert cache.kept(action({"listlimit": 5})) is None
    cache.data(action({"listlimit": 5}), reads)
    assert reads.calls == 2


def test_reads_that_differ_in_anything_are_kept_apart() -> None:
    cache = ReadCache(lambda: 0)
    reads = Reads(Listing([], 0))
    for parameters, resourceid in [
        ({"listlimit": 1}, ""),
        ({"listlimit": 1.0}, ""),
        ({"listlimit": True}, ""),
        ({"listlimit": float("inf")}, ""),
        ({"listlimit": 1}, "1"),
        ({"listlimit": 1}, 1),
        ({"listlimit": 1}, None),
    ]:
        cache.data(action(parameters, resourceid), reads)
    assert reads.calls == 7


def test_failures_and_answers_for_now_only_are_not_kept() -> None:
    cache = ReadCache(lambda: 0)

    def failing() -> Listing:
        raise ValueError("no")

    with pytest.raises(ValueError, match="no"):
        cache.data(action({}), failing)
    assert cache.kept(action({})) is None
    cache.data(action({}), Reads(Listing([], None, lasting=False)))
    assert cache.kept(action({})) is None


def test_a_read_that_raced_a_change_is_not_kept() -> None:
    generation = [0]
    cache = ReadCache(lambda: generation[0])

    def racing() -> Listing:
        generation[0] += 1
        return Listing([], 0)

    cache.data(action({}), racing)
    assert cache.kept(action({})) is None


def test_memory_is_bounded_by_entries_and_bytes() -> None:
    cache = ReadCache(lambda: 0, max_entries=2, max_bytes=10_000)
    for limit in range(3):
        cache.data(action({"listlimit": limit}), Reads(Listing([], 0)))
    assert cache.kept(action({"listlimit": 0})) is None
    assert cache.kept(action({"listlimit": 2})) is not None
    cache.data(action({"big": 1}), Reads(Listing([{"x": "y" * 20_000}], 1)))
    assert cache.kept(action({"big": 1})) is None


def test_without_a_generation_nothing_is_kept() -> None:
    cache = ReadCache(None)
    reads = Reads(Listing([], 0))
    cache.data(action({}), reads)
    cache.data(action({}), reads)
    assert reads.calls == 2 and cache.kept(action({})) is None


def test_a_resigned_read_gets_the_same_bytes(api: OnOfficeClient) -> None:
    bodies = [
        api.raw(json.dumps(api.envelope(api.action("user", {"data": ["Vorname"]}, timestamp=t))))
        for t in (NOW, NOW - 5, NOW - 5)
    ]
    assert bodies[0].content == bodies[1].content == bodies[2].content


def test_a_change_to_the_directory_shows_in_the_next_read(
    api: OnOfficeClient, directory: Services
) -> None:
    read = api.action("user", {"data": ["Vorname"]}, resourceid=17)
    assert api.records(read)[0]["elements"] == {"Vorname": "Anna"}
    directory.directory.save_user({"number": 17, "first_name": "Annette"})
    assert api.records(read)[0]["elements"] == {"Vorname": "Annette"}


def test_a_kept_read_is_refused_to_whom_it_is_not_allowed(
    api: OnOfficeClient, api_without_right: OnOfficeClient
) -> None:
    read = {"data": ["Vorname"]}
    assert api.records(api.action("user", read))
    assert api_without_right.error(api_without_right.action("user", read))[0] != 0


def test_a_revoked_api_user_is_refused_at_once(api: OnOfficeClient, directory: Services) -> None:
    assert api.records(api.action("user", {"data": ["Vorname"]}))
    (api_user,) = directory.api_users.list()
    directory.api_users.revoke(api_user.id)
    assert api.send(api.action("user"))["status"]["errorcode"] == 22
