"""Staged uploads (DocSpace's Autosave=false) waiting for their crop."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import ColumnElement, Connection, Engine, delete, insert, select
from sqlalchemy.engine import RowMapping

from userphoto.core.ports import StagedUpload
from userphoto.storage.credentials import as_utc
from userphoto.storage.schema import photo_renditions, staged_uploads


class SqlStagedUploadStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def add(self, upload: StagedUpload) -> None:
        with self._engine.begin() as conn:
            conn.execute(
                insert(staged_uploads).values(
                    id=upload.id,
                    user_number=upload.user_number,
                    blob_key=upload.blob_key,
                    width=upload.width,
                    height=upload.height,
                    media_type=upload.media_type,
                    created_at=upload.created_at,
                )
            )

    def get(self, upload_id: str) -> StagedUpload | None:
        stmt = select(staged_uploads).where(staged_uploads.c.id == upload_id)
        with self._engine.connect() as conn:
            row = conn.execute(stmt).mappings().first()
        return _staged(row) if row else None

    def remove(self, upload_id: str) -> set[str]:
        return self._drop(staged_uploads.c.id == upload_id)

    def expire(self, before: datetime) -> set[str]:
        return self._drop(staged_uploads.c.created_at < before)

    def blob_keys(self) -> set[str]:
        with self._engine.connect() as conn:
            return set(conn.execute(select(staged_uploads.c.blob_key)).scalars())

    def _drop(self, condition: ColumnElement[bool]) -> set[str]:
        with self._engine.begin() as conn:
            keys = set(conn.execute(select(staged_uploads.c.blob_key).where(condition)).scalars())
            conn.execute(delete(staged_uploads).where(condition))
            return keys - _still_used(conn, keys)


def _still_used(conn: Connection, keys: Iterable[str]) -> set[str]:
    keys = list(keys)
    if not keys:
        return set()
    in_photos = select(photo_renditions.c.blob_key).where(photo_renditions.c.blob_key.in_(keys))
    in_staged = select(staged_uploads.c.blob_key).where(staged_uploads.c.blob_key.in_(keys))
    return set(conn.execute(in_photos.union(in_staged)).scalars())


def _staged(row: RowMapping) -> StagedUpload:
    return StagedUpload(
        row["id"],
        row["user_number"],
        row["blob_key"],
        row["width"],
        row["height"],
        row["media_type"],
        as_utc(row["created_at"]),
    )
