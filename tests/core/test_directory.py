"""The directory service over the real store: queries, paging, lookups, uniqueness."""

from __future__ import annotations

import hashlib

import pytest

from userphoto.core.errors import Conflict, InvalidValue, NotFound, UnknownField
from userphoto.core.query import AnyOf, Condition, Operator, SortKey, UserQuery
from userphoto.core.secrets import verify_password
from userphoto.core.services import Services

PEOPLE = [
    {
        "number": 17,
        "first_name": "Anna",
        "last_name": "Ziegler",
        "city": "Aachen",
        "email": "anna@example.org",
        "messenger_uid": 167089,
    },
    {
        "number": 19,
        "first_name": "Theo",
        "last_name": "Test",
        "city": "Berlin",
        "email_name": "theo test",
    },
    {
        "number": 21,
        "first_name": "Jörg",
        "last_name": "Müller",
        "city": "Köln",
        "email": "joerg@example.org",
    },
    {
        "number": 25,
        "first_name": "Zoë",
        "last_name": "Adams",
        "city": "Berlin",
        "messenger_uid": 174777,
    },
]


@pytest.fixture
def people(services: Services) -> Services:
    for values in PEOPLE:
        services.directory.save_user(values)
    return services


def numbers(services: Services, *conditions: Condition, **kwargs: object) -> list[int]:
    query = UserQuery(conditions=conditions, **kwargs)  # type: ignore[arg-type]
    return [u.number for u in services.directory.find_users(query).items]


@pytest.mark.parametrize(
    ("op", "value", "expected"),
    [
        (Operator.EQ, 19, [19]),
        (Operator.EQ, "19", [19]),
        (Operator.NE, 19, [17, 21, 25]),
        (Operator.GT, 19, [21, 25]),
        (Operator.LT, 19, [17]),
        (Operator.GE, 19, [19, 21, 25]),
        (Operator.LE, 19, [17, 19]),
        (Operator.BETWEEN, [18, 21], [19, 21]),
        (Operator.IN, [17, 21, 99], [17, 21]),
        (Operator.IN, 21, [21]),
        (Operator.NOT_IN, [17, 21], [19, 25]),
        (Operator.LIKE, "2%", [21, 25]),
        (Operator.NOT_LIKE, "2%", [17, 19]),
    ],
)
def test_every_operator_on_a_number(
    people: Services, op: Operator, value: object, expected: list[int]
) -> None:
    assert numbers(people, Condition("number", op, value)) == expected


def test_text_operators_and_case_insensitive_like(people: Services) -> None:
    assert numbers(people, Condition("city", Operator.EQ, "Berlin")) == [19, 25]
    assert numbers(people, Condition("last_name", Operator.LIKE, "m%")) == [21]
    assert numbers(people, Condition("last_name", Operator.IN, ["Test", "Adams"])) == [19, 25]


def test_null_comparisons(people: Services) -> None:
    assert numbers(people, Condition("messenger_uid", Operator.EQ, None)) == [19, 21]
    assert numbers(people, Condition("messenger_uid", Operator.NE, None)) == [17, 25]


def test_conditions_are_anded(people: Services) -> None:
    found = numbers(
        people, Condition("city", Operator.EQ, "Berlin"), Condition("number", Operator.GT, 20)
    )
    assert found == [25]


def test_or_groups_match_any_of_their_conditions(people: Services) -> None:
    group = AnyOf((Condition("number", Operator.EQ, "19"), Condition("city", Operator.EQ, "Köln")))
    assert numbers(people, group) == [19, 21]
    assert numbers(people, group, Condition("number", Operator.GT, 20)) == [21]
    assert numbers(people, AnyOf(())) == []


@pytest.mark.parametrize(
    ("group", "error"),
    [
        (AnyOf((Condition("password_hash", Operator.EQ, "x"),)), UnknownField),
        (AnyOf((AnyOf((Condition("nope", Operator.EQ, 1),)),)), UnknownField),
        (AnyOf((Condition("number", Operator.EQ, "seventeen"),)), InvalidValue),
        (AnyOf(("number = 1",)), InvalidValue),  # type: ignore[arg-type]
    ],
)
def test_or_groups_are_validated_like_conditions(
    people: Services, group: AnyOf, error: type[Exception]
) -> None:
    with pytest.raises(error):
        people.directory.find_users(UserQuery(conditions=(group,)))


def test_sort_by_several_fields(people: Services) -> None:
    sort = (SortKey("city", descending=True), SortKey("number", descending=True))
    assert numbers(people, sort=sort) == [21, 25, 19, 17]


def test_paging_reports_the_total(people: Services) -> None:
    page = people.directory.find_users(UserQuery(sort=(SortKey("number"),), limit=2, offset=1))
    assert [u.number for u in page.items] == [19, 21]
    assert page.total == 4


@pytest.mark.parametrize(
    "query",
    [
        UserQuery(conditions=(Condition("password_hash", Operator.EQ, "x"),)),
        UserQuery(conditions=(Condition("number; DROP TABLE users", Operator.EQ, 1),)),
        UserQuery(sort=(SortKey("nope"),)),
    ],
)
def test_fields_outside_the_whitelist_are_refused(people: Services, query: UserQuery) -> None:
    with pytest.raises(UnknownField):
        people.directory.find_users(query)
    assert people.directory.find_users(UserQuery()).total == 4


@pytest.mark.parametrize(
    "condition",
    [
        Condition("number", Operator.EQ, "seventeen"),
        Condition("number", Operator.BETWEEN, [1]),
        Condition("number", Operator.EQ, {"a": 1}),
        Condition("city", Operator.LIKE, ["x"]),
    ],
)
def test_values_of_the_wrong_type_are_refused(people: Services, condition: Condition) -> None:
    with pytest.raises(InvalidValue):
        people.directory.find_users(UserQuery(conditions=(condition,)))


def test_limit_and_offset_are_bounded(people: Services) -> None:
    with pytest.raises(InvalidValue):
        people.directory.find_users(UserQuery(limit=501))
    with pytest.raises(InvalidValue):
        people.directory.find_users(UserQuery(offset=-1))


def test_sql_in_values_is_only_data(people: Services) -> None:
    evil = "x' OR '1'='1"
    assert numbers(people, Condition("city", Operator.EQ, evil)) == []
    assert people.directory.find_users(UserQuery()).total == 4


def test_resolve_by_number_email_uuid_and_username(people: Services) -> None:
    anna = people.directory.user(17)
    people.directory.save_user({"number": 17, "username": "anna.z"})
    assert people.directory.resolve_user("17").number == 17
    assert people.directory.resolve_user("ANNA@example.org").number == 17
    assert people.directory.resolve_user(str(anna.uuid)).number == 17
    assert people.directory.resolve_user("anna.z").number == 17
    with pytest.raises(NotFound):
        people.directory.resolve_user("nobody@example.org")


def test_update_keeps_the_uuid_and_other_fields(people: Services) -> None:
    before = people.directory.user(21)
    after = people.directory.save_user({"number": 21, "city": "Bonn"})
    assert after.uuid == before.uuid
    assert after.first_name == "Jörg"
    assert people.directory.user(21).city == "Bonn"


def test_new_users_get_the_next_number(people: Services) -> None:
    assert people.directory.save_user({"first_name": "New"}).number == 26


def test_email_belongs_to_one_user(people: Services) -> None:
    with pytest.raises(Conflict):
        people.directory.save_user({"number": 19, "email": "Anna@example.org"})


def test_unknown_fields_cannot_be_set(people: Services) -> None:
    with pytest.raises(InvalidValue):
        people.directory.save_user({"number": 19, "password_hash": "x"})


def test_password_is_stored_as_a_hash(people: Services) -> None:
    user = people.directory.save_user({"number": 19}, password="s3cret!")
    assert user.password_hash and "s3cret!" not in user.password_hash
    assert verify_password("s3cret!", people.directory.user(19).password_hash)
    assert not verify_password("wrong", people.directory.user(19).password_hash)


def test_users_are_found_by_the_hash_of_their_email(people: Services) -> None:
    md5 = hashlib.md5(b"anna@example.org").hexdigest()
    sha = hashlib.sha256(b"anna@example.org").hexdigest()
    assert people.store.users.by_email_hash(md5).number == 17
    assert people.store.users.by_email_hash(sha.upper()).number == 17
    people.directory.save_user({"number": 17, "email": " Other@Example.org "})
    assert people.store.users.by_email_hash(md5) is None
    other = hashlib.md5(b"other@example.org").hexdigest()
    assert people.store.users.by_email_hash(other).number == 17


def test_addresses_are_paged_searched_and_deleted(services: Services) -> None:
    for number in range(1, 6):
        services.directory.save_address({"id": number, "company": f"Firma {number}"})
    page = services.directory.addresses(limit=2, offset=1)
    assert [a.id for a in page.items] == [2, 3] and page.total == 5
    assert [a.id for a in services.directory.addresses(" firma 4 ").items] == [4]
    with pytest.raises(InvalidValue):
        services.directory.addresses(limit=501)
    with pytest.raises(InvalidValue):
        services.directory.addresses(offset=-1)
    services.directory.delete_address(4)
    with pytest.raises(NotFound):
        services.directory.delete_address(4)
    assert services.directory.addresses().total == 4
