"""A DocSpace world: the full app under uvicorn, an origin server for URL updates, users.

Users: 1 Ada Admin (admin), 10001 Ben Brook and 10002 Cleo Cole (not admins); each has a
password "<first name>-secret" and an API key with every scope. The fetcher may reach the
loopback origin server only because these settings allow 127.0.0.1 explicitly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import docspace_api_sdk as ds
import pytest
from starlette.applications import Starlette

from tests.dialects.docspace.servers import OriginServer, running_app
from userphoto.config import Settings
from userphoto.core.model import Scope, User
from userphoto.core.services import Services
from userphoto.dialects import docspace, onoffice


@dataclass(frozen=True)
class Person:
    user: User
    key: str
    password: str


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The shared settings, letting the fetcher reach the tests' loopback image servers."""
    return settings.with_(fetch_allowed_networks="127.0.0.1/32", fetch_timeout=1)


def _person(services: Services, values: dict, password: str) -> Person:
    user = services.directory.save_user(values, password=password)
    _, key = services.auth.create_key(user.number, "tests", [Scope.ALL])
    return Person(user, key, password)


@pytest.fixture
def ada(services: Services) -> Person:
    values = {
        "number": 1,
        "username": "ada",
        "email": "ada@example.com",
        "first_name": "Ada",
        "last_name": "Admin",
        "is_admin": True,
        "created_on": "2024-03-06 11:30:43",
    }
    return _person(services, values, "Ada-secret")


@pytest.fixture
def ben(services: Services) -> Person:
    values = {
        "number": 10001,
        "username": "ben",
        "email": "ben@example.com",
        "first_name": "Ben",
        "last_name": "Brook",
        "phone": "+49 30 1234",
    }
    return _person(services, values, "Ben-secret")


@pytest.fixture
def cleo(services: Services) -> Person:
    values = {"number": 10002, "username": "cleo", "email": "cleo@example.com"}
    return _person(services, values | {"first_name": "Cleo", "last_name": "Cole"}, "Cleo-secret")


@pytest.fixture
def people(ada: Person, ben: Person, cleo: Person) -> tuple[Person, Person, Person]:
    return ada, ben, cleo


def docspace_app(settings: Settings, services: Services) -> Starlette:
    """The DocSpace routes, with onOffice's beside them to show both read one directory."""
    return Starlette(
        routes=[*docspace.routes(services, settings), *onoffice.routes(services, settings)]
    )


@pytest.fixture
def app(settings: Settings, services: Services) -> Starlette:
    return docspace_app(settings, services)


@pytest.fixture
def base_url(app: Starlette, people: tuple[Person, ...]) -> Iterator[str]:
    with running_app(app) as url:
        yield url


@pytest.fixture
def origin() -> Iterator[OriginServer]:
    with OriginServer() as server:
        yield server


SdkClient = Callable[..., ds.ApiClient]


@pytest.fixture
def sdk(base_url: str) -> Iterator[SdkClient]:
    """`sdk(key)` is an SDK client sending `Authorization: Bearer key`; extra keywords go
    to the Configuration or, for `cookie` and `header_*`, to the ApiClient."""
    clients: list[ds.ApiClient] = []

    def make(access_token: str | None = None, **options: str) -> ds.ApiClient:
        client_options = {
            k: options.pop(k) for k in ("cookie", "header_name", "header_value") if k in options
        }
        config = ds.Configuration(host=base_url, access_token=access_token, **options)
        client = ds.ApiClient(config, **client_options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.rest_client.pool_manager.clear()
