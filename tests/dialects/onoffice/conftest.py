"""An onOffice client against the dialect's routes, on a fixed clock, and a seeded directory.

The directory holds what the documentation examples show: users 17, 19 (Theo Test) and
21, of which only 17 has a photo; users 25 and 163 with messenger ids 167089 and 174777,
of which only 25 has a photo.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from tests.dialects.onoffice.support import NOW, OnOfficeClient, jpeg
from userphoto.config import Settings
from userphoto.core.model import PhotoOwner, Right
from userphoto.core.services import Services
from userphoto.dialects.onoffice import routes


@pytest.fixture
def onoffice_app(services: Services, settings: Settings) -> Starlette:
    return Starlette(routes=routes(services, settings, clock=lambda: NOW))


@pytest.fixture
def http(onoffice_app: Starlette) -> Iterator[TestClient]:
    with TestClient(onoffice_app) as client:
        yield client


@pytest.fixture
def directory(services: Services) -> Services:
    save = services.directory.save_user
    save({"number": 17, "first_name": "Anna", "last_name": "Alt", "email_name": "anna alt"})
    save({"number": 19, "first_name": "Theo", "last_name": "Test", "email_name": "theo test"})
    save({"number": 21, "first_name": "Zoe", "last_name": "Zett", "email_name": "zoe zett"})
    save({"number": 25, "first_name": "Mia", "last_name": "Mess", "messenger_uid": 167089})
    save({"number": 163, "first_name": "Ben", "last_name": "Bote", "messenger_uid": 174777})
    services.photos.set_photo(PhotoOwner.user(17), jpeg((200, 30, 30)))
    services.photos.set_photo(PhotoOwner.user(25), jpeg((30, 30, 200)))
    return services


@pytest.fixture
def api(directory: Services, http: TestClient) -> OnOfficeClient:
    """An API user with the "read user data" right whose own user is 19."""
    credentials = directory.api_users.create("crm", 19, [Right.READ_USER_DATA])
    return OnOfficeClient(http, credentials.token, credentials.secret)


@pytest.fixture
def api_without_right(directory: Services, http: TestClient) -> OnOfficeClient:
    credentials = directory.api_users.create("website", 19, [])
    return OnOfficeClient(http, credentials.token, credentials.secret)
