"""Failed writes that mean "full" or "read-only" become the core's errors, whatever failed.

The blob folder reports them as OSError numbers, SQLite as its result codes, PostgreSQL as
SQLSTATE classes; callers see StorageFull or StoreReadOnly and answer in their own shape.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy.engine import make_url

from userphoto.core.errors import StorageFull, StoreReadOnly, StoreWriteRefused

# EFBIG: a file size limit (RLIMIT_FSIZE, a quota on one file) is as full as a full disk.
_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
_READ_ONLY_ERRNOS = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})
# PostgreSQL's SQLSTATEs disk_full and read_only_sql_transaction, read from the driver's
# error by code: importing psycopg for its classes would load it into SQLite nodes too.
_PG_DISK_FULL = "53100"
_PG_READ_ONLY_TRANSACTION = "25006"


def os_refusal(error: OSError) -> StoreWriteRefused | None:
    if error.errno in _FULL_ERRNOS:
        return StorageFull(f"no room left to store the photo: {error.strerror}")
    if error.errno in _READ_ONLY_ERRNOS:
        return StoreReadOnly(f"the data directory takes no writes: {error.strerror}")
    return None


@contextmanager
def refused_writes() -> Iterator[None]:
    """Turn a file write failing for lack of room or permission into the core's error."""
    try:
        yield
    except OSError as exc:
        refusal = os_refusal(exc)
        if refusal is None:
            raise
        raise refusal from exc


def database_refusal(error: BaseException) -> StoreWriteRefused | None:
    """The core's error for a database driver error that means full or read-only, if any."""
    sqlstate = getattr(error, "sqlstate", None)
    if sqlstate == _PG_DISK_FULL:
        return StorageFull("the database has no room left")
    if sqlstate == _PG_READ_ONLY_TRANSACTION:
        return StoreReadOnly("the database takes no writes")
    name = getattr(error, "sqlite_errorname", "")
    if name == "SQLITE_FULL":
        return StorageFull("the database file has no room left")
    if name.startswith("SQLITE_READONLY"):
        return StoreReadOnly("the database file takes no writes")
    return None


def sqlite_url_for_access(url: str) -> str:
    """The URL to open a SQLite file with: read-only and immutable in a read-only folder.

    SQLite in WAL mode keeps its index in a file beside the database, so a database in a
    folder that takes no writes (a read-only mount) cannot even be read when opened as
    usual. Opened immutable it serves reads, and every write fails as SQLITE_READONLY.
    Not when a write-ahead log is left beside it: its committed transactions would be
    missed, so that file is opened as usual (and SQLite decides).
    """
    parsed = make_url(url)
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return url
    path = Path(database)
    folder_writable = os.access(path.parent, os.W_OK)
    if folder_writable or not path.exists() or Path(f"{database}-wal").exists():
        return url
    query = urlencode({**parsed.query, "mode": "ro", "immutable": "1", "uri": "true"})
    return f"{parsed.drivername}:///file:{path.resolve()}?{query}"
