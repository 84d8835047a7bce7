"""A directory for the EWS tests: the documentation's user1@contoso.com with a photo.

User 1 (user1@contoso.com) has a 700 px photo, larger than every size code; user 2
(ada@contoso.com) is an admin with a 100 px photo; user 3 (cy@contoso.com) has none.
"""

from __future__ import annotations

import base64
import io

import pytest
from PIL import Image

from userphoto.core.model import PhotoOwner
from userphoto.core.services import Services

PASSWORD = "correct horse"
USER1 = "user1@contoso.com"
ADMIN = "ada@contoso.com"
NO_PHOTO = "cy@contoso.com"


def jpeg(side: int, colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (side, side), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def basic(login: str, password: str = PASSWORD) -> dict[str, str]:
    token = base64.b64encode(f"{login}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


@pytest.fixture
def people(services: Services) -> Services:
    save = services.directory.save_user
    save({"number": 1, "email": USER1, "first_name": "User", "last_name": "One"}, PASSWORD)
    save({"number": 2, "email": ADMIN, "first_name": "Ada", "is_admin": True}, PASSWORD)
    save({"number": 3, "email": NO_PHOTO, "first_name": "Cy"}, PASSWORD)
    services.photos.set_photo(PhotoOwner.user(1), jpeg(700))
    services.photos.set_photo(PhotoOwner.user(2), jpeg(100, (30, 30, 200)))
    return services
