"""Content-addressed photo bytes in a database table: one engine holds all state."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, or_, select

from userphoto.core.errors import NotFound
from userphoto.core.ports import StoredBlob
from userphoto.storage.credentials import as_utc
from userphoto.storage.schema import blobs
from userphoto.storage.users import insert_for

# The write time of blobs stored before their times were recorded: old enough for any grace.
_LONG_AGO = datetime.min.replace(tzinfo=UTC)


class SqlBlobStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._insert = insert_for(engine)

    def put(self, data: bytes) -> str:
        return self.put_many([data])[0]

    def put_many(self, items: Sequence[bytes]) -> list[str]:
        """Store every item in one transaction."""
        keys = [hashlib.sha256(data).hexdigest() for data in items]
        now = datetime.now(UTC)
        # Keyed once each: one statement must not touch the same row twice.
        rows = {
            key: {"key": key, "data": data, "written_at": now}
            for key, data in zip(keys, items, strict=True)
        }
        insert = self._insert(blobs)
        # A repeated put freshens the time, so fsck's grace period covers the blob until a
        # photo references it.
        stmt = insert.on_conflict_do_update(
            index_elements=[blobs.c.key], set_={"written_at": insert.excluded.written_at}
        )
        if rows:
            with self._engine.begin() as conn:
                conn.execute(stmt, list(rows.values()))
        return keys

    def get(self, key: str) -> bytes:
        with self._engine.connect() as conn:
            data = conn.execute(select(blobs.c.data).where(blobs.c.key == key)).scalar()
        if data is None:
            raise NotFound("blob", key)
        return bytes(data)

    def delete(self, key: str, written_before: datetime | None = None) -> None:
        stmt = delete(blobs).where(blobs.c.key == key)
        if written_before is not None:
            # One statement: a concurrent put's freshening either precedes it or recreates.
            stmt = stmt.where(
                or_(blobs.c.written_at.is_(None), blobs.c.written_at < written_before)
            )
        with self._engine.begin() as conn:
            conn.execute(stmt)

    def stored(self) -> Iterator[StoredBlob]:
        with self._engine.connect() as conn:
            rows = conn.execute(select(blobs.c.key, blobs.c.written_at)).all()
        for key, written_at in rows:
            yield StoredBlob(key, as_utc(written_at) if written_at else _LONG_AGO)
