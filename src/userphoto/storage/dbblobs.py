"""Content-addressed photo bytes in a database table: one engine holds all state."""

from __future__ import annotations

import hashlib

from sqlalchemy import Engine, delete, select

from userphoto.core.errors import NotFound
from userphoto.storage.schema import blobs
from userphoto.storage.users import insert_for


class SqlBlobStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._insert = insert_for(engine)

    def put(self, data: bytes) -> str:
        key = hashlib.sha256(data).hexdigest()
        stmt = self._insert(blobs).values(key=key, data=data).on_conflict_do_nothing()
        with self._engine.begin() as conn:
            conn.execute(stmt)
        return key

    def get(self, key: str) -> bytes:
        with self._engine.connect() as conn:
            data = conn.execute(select(blobs.c.data).where(blobs.c.key == key)).scalar()
        if data is None:
            raise NotFound("blob", key)
        return bytes(data)

    def delete(self, key: str) -> None:
        with self._engine.begin() as conn:
            conn.execute(delete(blobs).where(blobs.c.key == key))
