"""A directory for the Graph tests, and API keys to call it with as Bearer tokens.

User 1 (user1@contoso.com) has a 504 px photo: every Graph size but 648x648 is available.
User 2 (ada@contoso.com) is an admin without a photo; user 3 (cy@contoso.com) has none.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image

from userphoto.core.model import PhotoOwner, Scope
from userphoto.core.services import Services

USER1 = "user1@contoso.com"
ADMIN = "ada@contoso.com"
OTHER = "cy@contoso.com"


def jpeg(side: int, colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (side, side), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def people(services: Services) -> Services:
    save = services.directory.save_user
    save({"number": 1, "email": USER1, "username": "user1", "first_name": "User"})
    save({"number": 2, "email": ADMIN, "first_name": "Ada", "is_admin": True})
    save({"number": 3, "email": OTHER, "first_name": "Cy"})
    services.photos.set_photo(PhotoOwner.user(1), jpeg(504))
    return services


@pytest.fixture
def user1_key(people: Services) -> str:
    return people.auth.create_key(1, "graph", [])[1]


@pytest.fixture
def admin_key(people: Services) -> str:
    return people.auth.create_key(2, "graph", [])[1]


@pytest.fixture
def other_key(people: Services) -> str:
    """User 3's key: may read everyone, may change only their own photo."""
    return people.auth.create_key(3, "graph", [Scope.PEOPLE_READ, Scope.SELF_WRITE])[1]
