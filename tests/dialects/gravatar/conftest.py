"""Avatars: user 1 has a 300 px photo, user 2 (Ada Lovelace) has none."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image

from userphoto.core.model import PhotoOwner
from userphoto.core.services import Services

WITH_PHOTO = "  User1@Contoso.com "
WITHOUT_PHOTO = "ada@contoso.com"


def md5(email: str) -> str:
    return hashlib.md5(email.strip().lower().encode()).hexdigest()


def sha256(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def image(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


def jpeg(side: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (side, side), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def people(services: Services) -> Services:
    save = services.directory.save_user
    save({"number": 1, "email": WITH_PHOTO.strip(), "first_name": "User", "last_name": "One"})
    save({"number": 2, "email": WITHOUT_PHOTO, "first_name": "Ada", "last_name": "Lovelace"})
    services.photos.set_photo(PhotoOwner.user(1), jpeg(300))
    return services
