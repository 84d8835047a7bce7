"""Copy a whole directory, photo bytes included, from one store to another.

Rows keep their keys and existing rows are left alone, so an interrupted copy is resumed
by running it again. The copy ends by checking every photo blob on the target against its
content hash. Sealed API secrets travel as they are: both stores must share the server key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, Engine, Table, func, select

from userphoto.core.errors import NotFound
from userphoto.storage import SqlStore
from userphoto.storage.credentials import as_utc
from userphoto.storage.schema import (
    addresses,
    api_keys,
    api_users,
    photo_renditions,
    photos,
    users,
)
from userphoto.storage.users import insert_for

# Parents before children, so foreign keys hold at every step.
TABLES: tuple[Table, ...] = (users, addresses, api_users, api_keys, photos, photo_renditions)
BATCH = 500

Progress = Callable[[str, int, int], None]
"""Called with (what, done, total) as the copy advances."""


@dataclass
class CopyReport:
    rows: dict[str, int] = field(default_factory=dict)
    blobs_copied: int = 0
    blobs_verified: int = 0
    problems: list[str] = field(default_factory=list)


def copy_store(source: SqlStore, target: SqlStore, progress: Progress | None = None) -> CopyReport:
    report = CopyReport()
    tell = progress or (lambda *_: None)
    for table in TABLES:
        report.rows[str(table.name)] = _copy_table(source.engine, target.engine, table, tell)
    _advance_sequences(target.engine)
    keys = _blob_keys(target.engine)
    report.blobs_copied = _copy_blobs(source, target, keys, tell)
    report.blobs_verified = _verify_blobs(target, keys, report.problems, tell)
    return report


def _copy_table(source: Engine, target: Engine, table: Table, tell: Progress) -> int:
    insert = insert_for(target)
    with source.connect() as src:
        total = src.execute(select(func.count()).select_from(table)).scalar_one()
        done = 0
        for batch in _batches(src, table):
            with target.begin() as dst:
                dst.execute(insert(table).on_conflict_do_nothing(), batch)
            done += len(batch)
            tell(table.name, done, total)
    return total


def _batches(conn: Connection, table: Table) -> Iterator[list[dict[str, object]]]:
    order = list(table.primary_key.columns)
    result = conn.execute(select(table).order_by(*order)).mappings()
    while rows := result.fetchmany(BATCH):
        yield [{k: _portable(v) for k, v in row.items()} for row in rows]


def _portable(value: object) -> object:
    # SQLite returns naive datetimes for what was stored as UTC; say so for PostgreSQL.
    return as_utc(value) if isinstance(value, datetime) else value


def _advance_sequences(engine: Engine) -> None:
    """Rows came with their ids; PostgreSQL's sequences must move past them."""
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as conn:
        for table in (api_users, api_keys, photos):
            next_id = select(func.coalesce(func.max(table.c.id), 0) + 1).scalar_subquery()
            sequence = func.pg_get_serial_sequence(table.name, "id")
            conn.execute(select(func.setval(sequence, next_id, False)))


def _blob_keys(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        stmt = select(photo_renditions.c.blob_key).distinct().order_by(photo_renditions.c.blob_key)
        return list(conn.execute(stmt).scalars())


def _copy_blobs(source: SqlStore, target: SqlStore, keys: list[str], tell: Progress) -> int:
    copied = 0
    for done, key in enumerate(keys, 1):
        if not _has_blob(target, key):
            target.blobs.put(source.blobs.get(key))
            copied += 1
        tell("photo bytes", done, len(keys))
    return copied


def _has_blob(store: SqlStore, key: str) -> bool:
    try:
        store.blobs.get(key)
    except NotFound:
        return False
    return True


def _verify_blobs(target: SqlStore, keys: list[str], problems: list[str], tell: Progress) -> int:
    verified = 0
    for done, key in enumerate(keys, 1):
        try:
            data = target.blobs.get(key)
        except NotFound:
            problems.append(f"blob {key} is missing on the target")
            continue
        if hashlib.sha256(data).hexdigest() != key:
            problems.append(f"blob {key} does not match its content hash")
        else:
            verified += 1
        tell("verifying", done, len(keys))
    return verified
