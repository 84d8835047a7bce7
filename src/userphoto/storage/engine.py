"""Engine creation and schema migrations (Alembic), the same for every database."""

from __future__ import annotations

from pathlib import Path

import psycopg
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import ExceptionContext

from userphoto.core.errors import StoreUnavailable, UserPhotoError
from userphoto.storage.writefaults import database_refusal, sqlite_url_for_access

# psycopg's OperationalError covers a refused, lost or shut-down server connection.
_CONNECT_ERRORS = (psycopg.OperationalError, ConnectionError)

MIGRATIONS = Path(__file__).parent / "migrations"


def make_engine(url: str) -> Engine:
    url = with_driver(url)
    if url.startswith("sqlite"):
        engine = create_engine(sqlite_url_for_access(url), connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(
            url,
            pool_pre_ping=True,
            pool_size=10,
            max_overflow=10,
            pool_timeout=5,
            # A request must fail fast (503) while the server is down, not hang.
            connect_args={"connect_timeout": 3},
        )
    event.listen(engine, "handle_error", _unavailable_on_disconnect)
    return engine


def _unavailable_on_disconnect(context: ExceptionContext) -> None:
    """Lost or refused connections become the core's StoreUnavailable, in one place; a
    full or read-only database its StorageFull or StoreReadOnly (DiskFull is operational)."""
    refusal = database_refusal(context.original_exception)
    if refusal is not None:
        raise refusal from context.original_exception
    if context.is_disconnect or isinstance(context.original_exception, _CONNECT_ERRORS):
        raise StoreUnavailable("the database cannot be reached") from context.original_exception


def with_driver(url: str) -> str:
    """Plain postgresql:// URLs (as operators write them) use psycopg 3, the driver we ship."""
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url.removeprefix(plain)
    return url


def _sqlite_pragmas(dbapi_conn: object, _record: object) -> None:
    cursor = dbapi_conn.cursor()  # type: ignore[attr-defined]
    # WAL lets readers go on while a photo is written; NORMAL is durable at checkpoints in WAL.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)


class SchemaMismatch(UserPhotoError):
    """The database schema is not the one this version of userphoto was built for."""


def schema_state(engine: Engine) -> tuple[str | None, str]:
    """(the database's revision, the newest revision this code knows)."""
    script = ScriptDirectory.from_config(alembic_config(engine))
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    return current, script.get_current_head() or ""


def ensure_schema(engine: Engine, *, migrate_if_older: bool) -> None:
    """Refuse a schema newer or older than the code; an older one may be migrated first."""
    current, head = schema_state(engine)
    if current == head:
        return
    known = {
        rev.revision for rev in ScriptDirectory.from_config(alembic_config(engine)).walk_revisions()
    }
    if current is not None and current not in known:
        raise SchemaMismatch(
            f"the database schema is at revision {current}, newer than this userphoto "
            f"understands (newest known: {head}); upgrade userphoto on this node"
        )
    if not migrate_if_older:
        raise SchemaMismatch(
            f"the database schema is at revision {current or 'none'}, older than this "
            f"userphoto needs ({head}); run `userphoto migrate` first"
        )
    migrate(engine)
