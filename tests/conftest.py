"""Fixtures shared by every test package: settings on a temporary data dir, services, app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from tests.databases import DATABASES, postgres_schema
from tests.logscan import pytest_configure, pytest_sessionfinish  # noqa: F401 (log scan hooks)
from userphoto.bootstrap import open_services
from userphoto.config import Settings
from userphoto.core.services import Services
from userphoto.web.app import create_app


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """Every test that uses the store runs once per database; "" is the SQLite default."""
    if request.param == "sqlite":
        yield ""
        return
    with postgres_schema() as url:
        yield url


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        public_url="http://testserver",
        database_url=database_url,
        server_key="test-server-key" if database_url else "",
    )


@pytest.fixture
def services(settings: Settings) -> Iterator[Services]:
    services = open_services(settings)
    yield services
    services.close()


@pytest.fixture
def app(settings: Settings, services: Services) -> Starlette:
    return create_app(settings, services)


@pytest.fixture
def client(app: Starlette) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client
