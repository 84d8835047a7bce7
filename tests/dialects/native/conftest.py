"""A small directory and keys for the native API tests.

User 1 is an admin; user 2 an ordinary user with a photo whose key may read everyone and
change only itself; user 3 has no photo.
"""

from __future__ import annotations

import pytest

from tests.images import encode, solid
from userphoto.core.model import PhotoOwner, Scope
from userphoto.core.services import Services


def jpeg(side: int, colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    return encode(solid((side, side), colour), "JPEG")


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def people(services: Services) -> Services:
    save = services.directory.save_user
    save({"number": 1, "email": "ada@example.org", "first_name": "Ada", "is_admin": True})
    save({"number": 2, "email": "bo@example.org", "first_name": "Bo", "username": "bo"})
    save({"number": 3, "email": "cy@example.org", "first_name": "Cy", "last_name": "Lee"})
    services.photos.set_photo(PhotoOwner.user(2), jpeg(300))
    return services


@pytest.fixture
def admin(people: Services) -> dict[str, str]:
    return bearer(people.auth.create_key(1, "admin", [])[1])


@pytest.fixture
def user(people: Services) -> dict[str, str]:
    return bearer(people.auth.create_key(2, "own", [Scope.PEOPLE_READ, Scope.SELF_WRITE])[1])
