"""Failed writes meaning "full" or "read-only" become StorageFull and StoreReadOnly.

The end-to-end tests make real full and read-only disks (tests/e2e/test_storage_faults.py);
a full PostgreSQL disk cannot be made in a test, so its translation is checked here.
"""

from __future__ import annotations

import errno
import sqlite3

import psycopg.errors
import pytest

from userphoto.core.errors import StorageFull, StoreReadOnly
from userphoto.storage.writefaults import database_refusal, os_refusal, refused_writes


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (errno.ENOSPC, StorageFull),
        (errno.EDQUOT, StorageFull),
        (errno.EFBIG, StorageFull),
        (errno.EROFS, StoreReadOnly),
        (errno.EACCES, StoreReadOnly),
        (errno.EIO, None),
    ],
)
def test_os_errors(number: int, expected: type | None) -> None:
    refusal = os_refusal(OSError(number, "failed"))
    assert type(refusal) is expected if expected else refusal is None


def test_other_os_errors_pass_through_unchanged() -> None:
    with pytest.raises(FileNotFoundError), refused_writes():
        raise FileNotFoundError(errno.ENOENT, "gone")


def sqlite_error(name: str) -> sqlite3.OperationalError:
    error = sqlite3.OperationalError("failed")
    error.sqlite_errorname = name  # type: ignore[attr-defined]
    return error


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (psycopg.errors.DiskFull("could not extend file"), StorageFull),
        (psycopg.errors.ReadOnlySqlTransaction("read-only transaction"), StoreReadOnly),
        (psycopg.errors.UniqueViolation("duplicate"), None),
        (sqlite_error("SQLITE_FULL"), StorageFull),
        (sqlite_error("SQLITE_READONLY_DIRECTORY"), StoreReadOnly),
        (sqlite_error("SQLITE_BUSY"), None),
    ],
)
def test_database_errors(error: Exception, expected: type | None) -> None:
    refusal = database_refusal(error)
    assert type(refusal) is expected if expected else refusal is None
