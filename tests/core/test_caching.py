"""Node caches stay coherent: a change through one process shows on every other within 1 s."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TypeVar

import pytest

from tests.core.fakes import FakeApiKeyStore
from tests.images import encode, solid
from tests.waiting import within_a_second
from userphoto.bootstrap import open_services
from userphoto.config import Settings
from userphoto.core.caching import CachingApiKeyStore, CachingBlobStore, Memo
from userphoto.core.errors import NotFound
from userphoto.core.model import ApiKey, PhotoOwner, Scope
from userphoto.core.query import Condition, Operator, SortKey, UserQuery
from userphoto.core.services import Services

T = TypeVar("T")
ADA = PhotoOwner.user(1)


def photo(colour: tuple[int, int, int]) -> bytes:
    return encode(solid((300, 300), colour), "JPEG")


@pytest.fixture
def other_node(settings: Settings, services: Services) -> Iterator[Services]:
    node = open_services(settings)
    yield node
    node.close()


def test_a_record_change_reaches_the_other_node(services: Services, other_node: Services) -> None:
    services.directory.save_user({"number": 1, "city": "Aachen"})
    assert other_node.directory.user(1).city == "Aachen"
    services.directory.save_user({"number": 1, "city": "Bonn"})
    within_a_second(lambda: other_node.directory.user(1).city, "Bonn")


def test_a_photo_change_reaches_the_other_node(services: Services, other_node: Services) -> None:
    services.directory.save_user({"number": 1})
    first = services.photos.set_photo(ADA, photo((200, 0, 0)))
    assert other_node.photos.current(ADA).content_hash == first.content_hash
    second = services.photos.set_photo(ADA, photo((0, 0, 200)))
    within_a_second(lambda: other_node.photos.current(ADA).content_hash, second.content_hash)
    services.photos.delete_photo(ADA)
    within_a_second(lambda: other_node.photos.current(ADA), None)


def test_a_change_made_by_another_process_is_seen(settings: Settings, services: Services) -> None:
    services.directory.save_user({"number": 1, "city": "Aachen"})
    assert services.directory.user(1).city == "Aachen"
    script = (
        "import sys; from pathlib import Path; from userphoto.bootstrap import open_services;"
        "from userphoto.config import Settings;"
        "s = open_services(Settings(data_dir=Path(sys.argv[1]), database_url=sys.argv[2],"
        " server_key=sys.argv[3]));"
        "s.directory.save_user({'number': 1, 'city': 'Köln'}); s.close()"
    )
    argv = [
        sys.executable,
        "-c",
        script,
        str(settings.data_dir),
        settings.database_url,
        settings.server_key,
    ]
    subprocess.run(argv, check=True)
    within_a_second(lambda: services.directory.user(1).city, "Köln")


def test_metadata_always_names_bytes_that_match(services: Services, other_node: Services) -> None:
    services.directory.save_user({"number": 1})
    for shade in range(0, 250, 50):
        services.photos.set_photo(ADA, photo((shade, 80, 80)))
        current = other_node.photos.current(ADA)
        rendition = current.rendition(96)
        assert len(other_node.photos.read(rendition)) == rendition.length


class CountingFeed:
    def __init__(self) -> None:
        self.value = 0

    def version(self) -> int:
        return self.value

    def close(self) -> None:
        pass


def test_a_load_that_raced_a_clear_is_not_kept() -> None:
    memo = Memo(CountingFeed(), check_every=0)
    _, _, generation = memo.lookup("k")
    memo.clear()
    memo.put("k", "stale", generation)
    assert memo.get("k", lambda: "fresh") == "fresh"


def test_the_memo_empties_when_the_feed_moves() -> None:
    feed = CountingFeed()
    memo = Memo(feed, check_every=0)
    assert memo.get("k", lambda: 1) == 1
    assert memo.get("k", lambda: 2) == 1
    feed.value += 1
    assert memo.get("k", lambda: 3) == 3


def test_a_flood_of_unknown_keys_keeps_the_memo_bounded() -> None:
    memo = Memo(CountingFeed(), check_every=0, max_entries=3)
    for key in range(1000):
        memo.get(key, lambda: None)
    found, missing, _ = memo.lookup_many(range(1000))
    assert sorted(found) == [997, 998, 999]
    assert len(missing) == 997


class DictBlobs:
    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}
        self.reads = 0

    def put(self, data: bytes) -> str:
        key = f"k{len(self.data)}"
        self.data[key] = data
        return key

    def get(self, key: str) -> bytes:
        self.reads += 1
        if key not in self.data:
            raise NotFound("blob", key)
        return self.data[key]

    def delete(self, key: str, written_before: datetime | None = None) -> None:
        self.data.pop(key, None)


def test_the_byte_cache_is_bounded_and_forgets_deleted_blobs() -> None:
    inner = DictBlobs()
    cache = CachingBlobStore(inner, max_bytes=10)
    a, b = inner.put(b"aaaaaa"), inner.put(b"bbbbbb")
    cache.get(a)
    cache.get(a)
    assert inner.reads == 1
    cache.get(b)  # over the bound: the least recently used one goes
    cache.get(a)
    assert inner.reads == 3
    cache.delete(a)
    with pytest.raises(NotFound):
        cache.get(a)


def test_a_listing_shows_a_change_here_at_once_and_on_the_other_node(
    services: Services, other_node: Services
) -> None:
    listing = UserQuery(sort=(SortKey("number"),), limit=10)
    services.directory.save_user({"number": 1, "city": "Aachen"})
    assert [u.city for u in other_node.directory.find_users(listing).items] == ["Aachen"]
    assert [u.city for u in services.directory.find_users(listing).items] == ["Aachen"]
    services.directory.save_user({"number": 1, "city": "Bonn"})
    services.directory.save_user({"number": 2, "city": "Celle"})
    assert [u.city for u in services.directory.find_users(listing).items] == ["Bonn", "Celle"]
    within_a_second(
        lambda: [u.city for u in other_node.directory.find_users(listing).items], ["Bonn", "Celle"]
    )


def test_listings_with_list_values_are_answered_too(services: Services) -> None:
    services.directory.save_user({"number": 1})
    services.directory.save_user({"number": 2})
    listing = UserQuery((Condition("number", Operator.IN, [2]),))
    assert [u.number for u in services.directory.find_users(listing).items] == [2]


def test_a_revoked_key_is_refused_here_at_once_and_on_the_other_node_within_a_second(
    services: Services, other_node: Services
) -> None:
    services.directory.save_user({"number": 1})
    key, secret = services.auth.create_key(1, "script", [Scope.ALL])
    assert services.auth.by_key(secret) is not None
    assert other_node.auth.by_key(secret) is not None
    services.auth.revoke_key(key.id)
    assert services.auth.by_key(secret) is None
    within_a_second(lambda: other_node.auth.by_key(secret), None)


class StillFeed:
    def version(self) -> int:
        return 0

    def close(self) -> None:
        pass


class CountingKeys(FakeApiKeyStore):
    def __init__(self) -> None:
        super().__init__()
        self.lookups = 0

    def by_hash(self, key_hash: str) -> ApiKey | None:
        self.lookups += 1
        return super().by_hash(key_hash)


def test_a_key_presented_again_costs_no_query_until_its_time_is_up() -> None:
    inner = CountingKeys()
    key = inner.add(ApiKey(0, "k", "hash", 1, frozenset({Scope.ALL}), datetime.now(UTC)))
    keys = CachingApiKeyStore(inner, Memo(StillFeed()))
    assert [keys.by_hash("hash"), keys.by_hash("hash"), keys.by_hash("other")] == [key, key, None]
    keys.by_hash("other")
    assert inner.lookups == 2
    expiring = CachingApiKeyStore(inner, Memo(StillFeed()), ttl=0)
    expiring.by_hash("hash")
    expiring.by_hash("hash")
    assert inner.lookups == 4
