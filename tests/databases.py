"""The stores every test runs on: SQLite (the default) and PostgreSQL (the scale-out store).

Each PostgreSQL test gets a schema of its own, dropped afterwards. Under CI=true an
unreachable server fails the run instead of skipping, so CI cannot pass without it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from userphoto.storage.engine import make_engine, migrate

POSTGRES_URL = os.environ.get(
    "USERPHOTO_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
DATABASES = ("sqlite", "postgresql")


@contextmanager
def postgres_schema(*, migrated: bool = True) -> Iterator[str]:
    """A database URL whose connections land in a fresh schema (migrated, or empty)."""
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as exc:
        admin.dispose()
        unreachable(exc)
    url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    try:
        if migrated:
            engine = make_engine(url)
            migrate(engine)
            engine.dispose()
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def unreachable(exc: Exception) -> None:
    message = f"PostgreSQL at {POSTGRES_URL} is unreachable: {exc}"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)
