"""The in-memory fake and the SQL adapter behave alike behind the ports."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.core.fakes import FakeStore
from userphoto.config import Settings
from userphoto.core.errors import NotFound
from userphoto.core.model import (
    Address,
    ApiKey,
    ApiUser,
    PhotoOwner,
    Rendition,
    Right,
    Scope,
    User,
)
from userphoto.core.ports import NewPhoto, Store
from userphoto.core.query import (
    NAME_FIELDS,
    AnyOf,
    Clause,
    Condition,
    Operator,
    SortKey,
    UserQuery,
    contains_any,
)
from userphoto.storage import open_store

PEOPLE = [
    User(
        1,
        username="anna",
        email="Anna@Example.com",
        last_name="Arndt",
        city="Aachen",
        account_id=10,
        address_id=None,
    ),
    User(
        2,
        username="bert",
        email="bert@example.com",
        last_name="Bauer",
        city="Berlin",
        account_id=None,
        address_id=5,
    ),
    User(
        3,
        username="cora",
        email="cora@example.org",
        last_name="arndt",
        city="",
        account_id=30,
        address_id=5,
    ),
    User(
        4,
        username="dirk",
        email="",
        last_name="Bauer",
        city="Berlin_Mitte",
        account_id=20,
        address_id=7,
    ),
    User(
        5,
        username="emil",
        email="emil@example.com",
        last_name="",
        city="aachen",
        account_id=10,
        address_id=None,
    ),
]

QUERIES = [
    Condition("city", Operator.EQ, "Berlin"),
    Condition("city", Operator.NE, "Berlin"),
    Condition("account_id", Operator.EQ, None),
    Condition("account_id", Operator.NE, None),
    Condition("account_id", Operator.NE, 10),
    Condition("account_id", Operator.GT, 10),
    Condition("account_id", Operator.LT, 30),
    Condition("account_id", Operator.GE, 20),
    Condition("account_id", Operator.LE, 20),
    Condition("account_id", Operator.BETWEEN, (10, 20)),
    Condition("last_name", Operator.BETWEEN, ("B", "Bz")),
    Condition("address_id", Operator.IN, (5, 7)),
    Condition("address_id", Operator.NOT_IN, (5,)),
    Condition("address_id", Operator.NOT_IN, ()),
    Condition("address_id", Operator.IN, ()),
    Condition("email", Operator.LIKE, "%@example.com"),
    Condition("city", Operator.LIKE, "aach%"),
    Condition("city", Operator.LIKE, "Berlin_"),
    Condition("city", Operator.LIKE, "Berlin_Mitte"),
    Condition("city", Operator.NOT_LIKE, "%a%"),
    Condition("account_id", Operator.LIKE, "1%"),
    Condition("account_id", Operator.NOT_LIKE, "1%"),
    Condition("number", Operator.IN, 3),
]

# OR groups, alone or ANDed with a condition, and the users each selects.
GROUPS: list[tuple[tuple[Clause, ...], list[int]]] = [
    (
        (
            AnyOf(
                (Condition("city", Operator.EQ, "Berlin"), Condition("account_id", Operator.EQ, 10))
            ),
        ),
        [1, 2, 5],
    ),
    ((AnyOf(()),), []),
    (
        (
            AnyOf(
                (
                    Condition("account_id", Operator.GT, 10),
                    Condition("account_id", Operator.EQ, None),
                )
            ),
        ),
        [2, 3, 4],
    ),
    (
        (
            AnyOf(
                (
                    Condition("email", Operator.LIKE, "%.org"),
                    AnyOf((Condition("city", Operator.LIKE, "aach%"),)),
                )
            ),
        ),
        [1, 3, 5],
    ),
    ((contains_any(NAME_FIELDS, "ARN"),), [1, 3]),
    ((contains_any(("city",), "Berlin_"),), [4]),
    (
        (
            Condition("city", Operator.NE, "Berlin"),
            AnyOf(
                (
                    Condition("account_id", Operator.EQ, 10),
                    Condition("last_name", Operator.LIKE, "bauer"),
                )
            ),
        ),
        [1, 4, 5],
    ),
]

ADDRESSES = [
    Address(1, "Anna", "Arndt", "Arndt & Co", "anna@example.com"),
    Address(2, "Bert", "Bauer", "100% Bau", "bert@example.org"),
    Address(3, "Cora", "Cramer", "", "cora_c@example.org"),
    Address(4, "Dirk", "", "Dach AG", ""),
]

SORTS = [
    (),
    (SortKey("last_name"),),
    (SortKey("last_name", descending=True), SortKey("city")),
    (SortKey("account_id"),),
    (SortKey("account_id", descending=True),),
]


@pytest.fixture(params=["fake", "sql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "fake":
        yield FakeStore()
        return
    sql = open_store(Settings(data_dir=tmp_path))
    yield sql
    sql.close()


@pytest.fixture
def both(tmp_path: Path) -> Iterator[tuple[Store, Store]]:
    sql = open_store(Settings(data_dir=tmp_path))
    fake = FakeStore()
    for user in PEOPLE:
        sql.users.upsert(user)
        fake.users.upsert(user)
    yield fake, sql
    sql.close()


def page(store: Store, query: UserQuery) -> tuple[list[int], int]:
    found = store.users.query(query.validated())
    return [u.number for u in found.items], found.total


@pytest.mark.parametrize("condition", QUERIES, ids=lambda c: f"{c.field} {c.op.value} {c.value}")
def test_every_operator_selects_the_same_users(
    both: tuple[Store, Store], condition: Condition
) -> None:
    fake, sql = both
    query = UserQuery((condition,), limit=100)
    assert page(fake, query) == page(sql, query)


@pytest.mark.parametrize(("clauses", "expected"), GROUPS, ids=lambda g: str(g)[:60])
def test_or_groups_select_the_same_users(
    both: tuple[Store, Store], clauses: tuple[Clause, ...], expected: list[int]
) -> None:
    fake, sql = both
    query = UserQuery(clauses, limit=100)
    assert page(fake, query) == page(sql, query) == (expected, len(expected))
    second = UserQuery(clauses, (SortKey("number", descending=True),), limit=1, offset=1)
    assert page(fake, second) == page(sql, second)


@pytest.mark.parametrize(
    ("search", "limit", "offset", "expected", "total"),
    [
        ("", 2, 0, [1, 2], 4),
        ("", 2, 2, [3, 4], 4),
        ("arndt", 10, 0, [1], 1),
        ("EXAMPLE.ORG", 10, 0, [2, 3], 2),
        ("da", 10, 0, [4], 1),
        ("100%", 10, 0, [2], 1),
        ("0%", 10, 0, [2], 1),
        ("a_c", 10, 0, [3], 1),
        ("%", 10, 0, [2], 1),
        ("nobody", 10, 0, [], 0),
    ],
)
def test_addresses_are_listed_and_searched_alike(
    store: Store, search: str, limit: int, offset: int, expected: list[int], total: int
) -> None:
    for address in ADDRESSES:
        store.addresses.upsert(address)
    found = store.addresses.list(search, limit, offset)
    assert [a.id for a in found.items] == expected and found.total == total
    assert all(a == ADDRESSES[a.id - 1] for a in found.items)


@pytest.mark.parametrize("sort", SORTS, ids=str)
def test_sorting_and_paging_agree(both: tuple[Store, Store], sort: tuple[SortKey, ...]) -> None:
    fake, sql = both
    for offset in (0, 2):
        query = UserQuery((), sort, limit=2, offset=offset)
        assert page(fake, query) == page(sql, query)
    assert page(fake, UserQuery((), sort, limit=100)) == page(sql, UserQuery((), sort, limit=100))


def test_lookups_ignore_case(store: Store) -> None:
    for user in PEOPLE:
        store.users.upsert(user)
    assert store.users.by_email("anna@example.COM") == PEOPLE[0]
    assert store.users.by_username("BERT") == PEOPLE[1]
    assert store.users.by_uuid(str(PEOPLE[2].uuid)) == PEOPLE[2]
    assert store.users.next_number() == 6
    assert store.users.delete(5) and not store.users.delete(5)


def rendered(store: Store, tag: str) -> NewPhoto:
    keys = [store.blobs.put(f"{tag}-{n}".encode()) for n in range(2)]
    shared = store.blobs.put(b"shared")
    renditions = (
        Rendition(None, 9, 9, "image/jpeg", keys[0], 1),
        Rendition(32, 9, 9, "image/jpeg", keys[1], 1),
        Rendition(48, 9, 9, "image/jpeg", shared, 1),
    )
    return NewPhoto(tag * 8, renditions)


def test_photo_versions_switch_clear_and_prune(store: Store) -> None:
    anna, bert = PhotoOwner.user(1), PhotoOwner.address(1)
    first = store.photos.make_current(anna, rendered(store, "a"))
    second = store.photos.make_current(anna, rendered(store, "b"))
    store.photos.make_current(bert, rendered(store, "c"))
    assert store.photos.current(anna) == second
    assert set(store.photos.current_many([anna, bert, PhotoOwner.user(9)])) == {anna, bert}
    unreferenced = store.photos.prune(anna, keep=1)
    assert unreferenced == {r.blob_key for r in first.renditions[:2]}  # "shared" is still used
    assert store.photos.prune(anna, keep=1) == set()
    assert store.photos.clear(anna) and not store.photos.clear(anna)
    assert store.photos.current(anna) is None


def test_blobs_are_content_addressed(store: Store) -> None:
    key = store.blobs.put(b"bytes")
    assert store.blobs.put(b"bytes") == key and store.blobs.get(key) == b"bytes"
    store.blobs.delete(key)
    with pytest.raises(NotFound):
        store.blobs.get(key)


def test_api_users_hide_revoked_ones(store: Store) -> None:
    draft = ApiUser(0, "crm", "h" * 64, None, frozenset({Right.READ_USER_DATA}), datetime.now(UTC))
    saved = store.api_users.add(draft, b"sealed")
    assert saved.id > 0
    assert store.api_users.by_token_hash("h" * 64) == (saved, b"sealed")
    assert store.api_users.list() == [saved]
    assert store.api_users.revoke(saved.id) and not store.api_users.revoke(saved.id)
    assert store.api_users.by_token_hash("h" * 64) is None and store.api_users.list() == []


def test_api_keys_are_found_by_hash_until_revoked(store: Store) -> None:
    scopes = frozenset(Scope)
    first = store.api_keys.add(ApiKey(0, "laptop", "k" * 64, 1, scopes, datetime.now(UTC)))
    other = store.api_keys.add(ApiKey(0, "phone", "q" * 64, 2, scopes, datetime.now(UTC)))
    assert first.id != other.id
    assert store.api_keys.by_hash("k" * 64) == first
    assert store.api_keys.list() == [first, other] and store.api_keys.list(2) == [other]
    assert store.api_keys.revoke(first.id) and not store.api_keys.revoke(first.id)
    assert store.api_keys.by_hash("k" * 64) is None and store.api_keys.list() == [other]


def test_sessions_are_found_until_deleted_and_expired_ones_are_swept(store: Store) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    store.sessions.add("old", 1, now - timedelta(minutes=1))
    store.sessions.add("new", 2, now + timedelta(hours=1))
    assert store.sessions.get("new") == (2, now + timedelta(hours=1))
    assert store.sessions.get("old") is None  # swept when "new" was added
    store.sessions.delete("new")
    assert store.sessions.get("new") is None
