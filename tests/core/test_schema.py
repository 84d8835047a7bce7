"""A node refuses a schema it does not understand; the embedded default migrates itself."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.databases import postgres_schema
from userphoto.bootstrap import open_services
from userphoto.config import Settings
from userphoto.core.errors import StoreUnavailable, UserPhotoError
from userphoto.storage import open_store
from userphoto.storage.engine import SchemaMismatch, make_engine, migrate, schema_state


@pytest.fixture
def empty_postgres() -> Iterator[str]:
    with postgres_schema(migrated=False) as url:
        yield url


def test_sqlite_migrates_itself_on_open(tmp_path: Path) -> None:
    store = open_store(Settings(data_dir=tmp_path))
    current, head = schema_state(store.engine)
    store.close()
    assert current == head != ""


def test_postgres_must_be_migrated_on_purpose(tmp_path: Path, empty_postgres: str) -> None:
    settings = Settings(data_dir=tmp_path, database_url=empty_postgres)
    with pytest.raises(SchemaMismatch, match="userphoto migrate"):
        open_store(settings)
    engine = make_engine(empty_postgres)
    migrate(engine)
    engine.dispose()
    open_store(settings).close()


def test_a_newer_schema_is_refused(settings: Settings) -> None:
    store = open_store(settings)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    store.close()
    with pytest.raises(SchemaMismatch, match="newer than this userphoto"):
        open_store(settings)


def test_an_unreachable_database_is_store_unavailable(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, database_url="postgresql://postgres@127.0.0.1:1/x")
    with pytest.raises(StoreUnavailable):
        open_store(settings)


def test_a_shared_store_needs_the_server_key_from_the_settings(tmp_path: Path) -> None:
    with postgres_schema() as url:
        with pytest.raises(UserPhotoError, match="USERPHOTO_SERVER_KEY must be set"):
            open_services(Settings(data_dir=tmp_path, database_url=url))
        assert not (tmp_path / "server.key").exists()
