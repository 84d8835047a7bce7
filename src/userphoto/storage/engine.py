"""Engine creation and schema migrations (Alembic), the same for every database.

Every node checks its schema at start, but only `userphoto migrate` (or a SQLite store
older than the code) runs Alembic: the check reads one row and compares it with the
revision files, so a worker loads neither Alembic nor, on SQLite, the PostgreSQL driver.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Column, Engine, MetaData, String, Table, create_engine, event, inspect
from sqlalchemy.engine import Connection, ExceptionContext

from userphoto.core.errors import StoreUnavailable, UserPhotoError
from userphoto.storage.writefaults import database_refusal, sqlite_url_for_access

MIGRATIONS = Path(__file__).parent / "migrations"
# Alembic's own bookkeeping table, read without Alembic.
_VERSION_TABLE = Table(
    "alembic_version", MetaData(), Column("version_num", String(32), primary_key=True)
)


def make_engine(url: str) -> Engine:
    url = with_driver(url)
    if url.startswith("sqlite"):
        engine = create_engine(sqlite_url_for_access(url), connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        connect_errors: tuple[type[BaseException], ...] = (ConnectionError,)
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
        # The driver's OperationalError covers a refused, lost or shut-down server connection.
        connect_errors = (engine.dialect.loaded_dbapi.OperationalError, ConnectionError)
    event.listen(engine, "handle_error", _core_errors_for(connect_errors))
    return engine


def _core_errors_for(
    connect_errors: tuple[type[BaseException], ...],
) -> Callable[[ExceptionContext], None]:
    """Lost or refused connections become the core's StoreUnavailable, in one place; a
    full or read-only database its StorageFull or StoreReadOnly (DiskFull is operational)."""

    def raise_core_error(context: ExceptionContext) -> None:
        error = context.original_exception
        refusal = database_refusal(error)
        if refusal is not None:
            raise refusal from error
        if context.is_disconnect or isinstance(error, connect_errors):
            raise StoreUnavailable("the database cannot be reached") from error

    return raise_core_error


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


def migrate(engine: Engine, revision: str = "head") -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    command.upgrade(config, revision)


class SchemaMismatch(UserPhotoError):
    """The database schema is not the one this version of userphoto was built for."""


def known_revisions() -> list[str]:
    """The revision ids this code knows, oldest first.

    Migration files are named `<revision id>_<slug>.py` with ids that sort in order
    (0001, 0002, ...); a test holds this list equal to Alembic's history.
    """
    versions = (MIGRATIONS / "versions").glob("[0-9]*_*.py")
    return sorted(path.name.split("_", 1)[0] for path in versions)


def current_revision(conn: Connection) -> str | None:
    """The database's revision as Alembic recorded it; None for a database never migrated."""
    if not inspect(conn).has_table(_VERSION_TABLE.name):
        return None
    return conn.execute(_VERSION_TABLE.select()).scalar_one_or_none()


def schema_state(engine: Engine) -> tuple[str | None, str]:
    """(the database's revision, the newest revision this code knows)."""
    with engine.connect() as conn:
        current = current_revision(conn)
    return current, known_revisions()[-1]


def ensure_schema(engine: Engine, *, migrate_if_older: bool) -> None:
    """Refuse a schema newer or older than the code; an older one may be migrated first."""
    current, head = schema_state(engine)
    if current == head:
        return
    if current is not None and current not in known_revisions():
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
