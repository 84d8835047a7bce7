"""Photo versions of an owner, current or not, and switching back to an old one."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from sqlalchemy import Connection, Engine, select, update
from sqlalchemy.engine import RowMapping

from userphoto.core.model import Photo, PhotoOwner, Rendition
from userphoto.storage.photos import assemble_photos, owned_by, rendition_size
from userphoto.storage.schema import photo_renditions, photos

# Versions read per query by every_version (bounded IN lists).
_BATCH = 500


class SqlPhotoHistoryStore:
    """`changed` runs after a restore so in-process caches of current photos are dropped."""

    def __init__(self, engine: Engine, changed: Callable[[], None]) -> None:
        self._engine = engine
        self._changed = changed

    def versions(self, owner: PhotoOwner, limit: int) -> list[Photo]:
        newest = (
            select(photos.c.id)
            .where(*owned_by(owner))
            .order_by(photos.c.created_at.desc(), photos.c.id.desc())
            .limit(limit)
        )
        with self._engine.connect() as conn:
            ids = list(conn.execute(newest).scalars())
            found = _load(conn, ids)
        return [found[i] for i in ids if i in found]

    def restore(self, owner: PhotoOwner, photo_id: int) -> Photo | None:
        with self._engine.begin() as conn:
            exists = conn.execute(
                select(photos.c.id).where(*owned_by(owner), photos.c.id == photo_id)
            ).first()
            if exists is None:
                return None
            conn.execute(
                update(photos).where(*owned_by(owner)).values(is_current=photos.c.id == photo_id)
            )
            restored = _load(conn, [photo_id])[photo_id]
        self._changed()
        return restored

    def every_version(self) -> list[Photo]:
        with self._engine.connect() as conn:
            ids = list(conn.execute(select(photos.c.id).order_by(photos.c.id)).scalars())
            found: dict[int, Photo] = {}
            for start in range(0, len(ids), _BATCH):
                found.update(_load(conn, ids[start : start + _BATCH]))
        return [found[i] for i in ids if i in found]

    def replace_rendition(self, photo_id: int, rendition: Rendition) -> None:
        stmt = (
            update(photo_renditions)
            .where(
                photo_renditions.c.photo_id == photo_id,
                photo_renditions.c.size == rendition_size(rendition),
            )
            .values(
                width=rendition.width,
                height=rendition.height,
                media_type=rendition.media_type,
                blob_key=rendition.blob_key,
                length=rendition.length,
            )
        )
        with self._engine.begin() as conn:
            conn.execute(stmt)
        self._changed()


def _load(conn: Connection, ids: list[int]) -> dict[int, Photo]:
    rows = conn.execute(
        select(photos, photo_renditions)
        .join(photo_renditions, photo_renditions.c.photo_id == photos.c.id)
        .where(photos.c.id.in_(ids))
        .order_by(photos.c.id, photo_renditions.c.size)
    ).mappings()
    return {photo_id: _one(group) for photo_id, group in _by_photo(rows).items()}


def _by_photo(rows: Iterable[RowMapping]) -> dict[int, list[RowMapping]]:
    groups: dict[int, list[RowMapping]] = defaultdict(list)
    for row in rows:
        groups[row["id"]].append(row)
    return groups


def _one(rows: list[RowMapping]) -> Photo:
    """One version's rows read as a photo (the photos module reads one per owner)."""
    (photo,) = assemble_photos(rows).values()
    return photo
