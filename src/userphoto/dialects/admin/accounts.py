"""What the credential pages share: a credential's name, the user a form names, user names."""

from __future__ import annotations

from collections.abc import Iterable

from userphoto.core.errors import NotFound
from userphoto.core.model import User
from userphoto.core.query import MAX_LIMIT, Condition, Operator, UserQuery
from userphoto.core.services import Services

MAX_NAME_LENGTH = 100
# Longer than any e-mail address, user name or number a user can have.
MAX_REFERENCE_LENGTH = 320


def valid_name(name: str) -> bool:
    # PostgreSQL cannot store NUL in text.
    return 0 < len(name) <= MAX_NAME_LENGTH and "\x00" not in name


def named_user(services: Services, reference: str) -> User | None:
    """The user a form names by number, e-mail or user name; None when there is none."""
    if len(reference) > MAX_REFERENCE_LENGTH or "\x00" in reference:
        return None
    try:
        return services.directory.resolve_user(reference)
    except NotFound:
        return None


def usernames(services: Services, numbers: Iterable[int]) -> dict[int, str]:
    """The user names of those `numbers` whose user still exists, MAX_LIMIT users a query."""
    wanted = sorted(set(numbers))
    names: dict[int, str] = {}
    for start in range(0, len(wanted), MAX_LIMIT):
        chunk = tuple(wanted[start : start + MAX_LIMIT])
        query = UserQuery((Condition("number", Operator.IN, chunk),), limit=MAX_LIMIT)
        names.update((u.number, u.username) for u in services.directory.find_users(query).items)
    return names
