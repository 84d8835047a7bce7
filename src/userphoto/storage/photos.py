"""Photo versions and their renditions; one current version per owner."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, and_, delete, insert, or_, select, update
from sqlalchemy.engine import RowMapping

from userphoto.core.model import OwnerKind, Photo, PhotoOwner, Rendition
from userphoto.core.ports import NewPhoto
from userphoto.storage.schema import ORIGINAL_SIZE, photo_renditions, photos, staged_uploads


class SqlPhotoStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def current(self, owner: PhotoOwner) -> Photo | None:
        return self.current_many([owner]).get(owner)

    def current_many(self, owners: Iterable[PhotoOwner]) -> Mapping[PhotoOwner, Photo]:
        by_kind: dict[OwnerKind, set[int]] = defaultdict(set)
        for owner in owners:
            by_kind[owner.kind].add(owner.id)
        if not by_kind:
            return {}
        owner_match = or_(
            *(
                and_(photos.c.owner_kind == kind.value, photos.c.owner_id.in_(ids))
                for kind, ids in by_kind.items()
            )
        )
        stmt = (
            select(photos, photo_renditions)
            .join(photo_renditions, photo_renditions.c.photo_id == photos.c.id)
            .where(photos.c.is_current, owner_match)
            .order_by(photos.c.id, photo_renditions.c.size)
        )
        with self._engine.connect() as conn:
            return assemble_photos(conn.execute(stmt).mappings())

    def make_current(self, owner: PhotoOwner, photo: NewPhoto) -> Photo:
        created = datetime.now(UTC)
        with self._engine.begin() as conn:
            _clear(conn, owner)
            photo_id = conn.execute(
                insert(photos).values(
                    owner_kind=owner.kind.value,
                    owner_id=owner.id,
                    content_hash=photo.content_hash,
                    created_at=created,
                    is_current=True,
                )
            ).inserted_primary_key[0]
            conn.execute(
                insert(photo_renditions),
                [_rendition_row(photo_id, r) for r in photo.renditions],
            )
        return Photo(photo_id, owner, photo.content_hash, created, photo.renditions)

    def clear(self, owner: PhotoOwner) -> bool:
        with self._engine.begin() as conn:
            return _clear(conn, owner)

    def prune(self, owner: PhotoOwner, keep: int) -> set[str]:
        with self._engine.begin() as conn:
            ids = conn.execute(
                select(photos.c.id, photos.c.is_current)
                .where(*owned_by(owner))
                .order_by(photos.c.created_at.desc(), photos.c.id.desc())
            ).all()
            doomed = [pid for pid, is_current in ids[keep:] if not is_current]
            if not doomed:
                return set()
            keys = set(
                conn.execute(
                    select(photo_renditions.c.blob_key).where(
                        photo_renditions.c.photo_id.in_(doomed)
                    )
                ).scalars()
            )
            conn.execute(delete(photo_renditions).where(photo_renditions.c.photo_id.in_(doomed)))
            conn.execute(delete(photos).where(photos.c.id.in_(doomed)))
            still_used = set(
                conn.execute(
                    select(photo_renditions.c.blob_key)
                    .where(photo_renditions.c.blob_key.in_(keys))
                    .union(
                        select(staged_uploads.c.blob_key).where(staged_uploads.c.blob_key.in_(keys))
                    )
                ).scalars()
            )
        return keys - still_used


def owned_by(owner: PhotoOwner) -> tuple:
    return photos.c.owner_kind == owner.kind.value, photos.c.owner_id == owner.id


def _clear(conn: Connection, owner: PhotoOwner) -> bool:
    stmt = update(photos).where(*owned_by(owner), photos.c.is_current).values(is_current=False)
    return conn.execute(stmt).rowcount > 0


def rendition_size(r: Rendition) -> int:
    """The size column's value for a rendition (the original has a stand-in)."""
    return ORIGINAL_SIZE if r.size is None else r.size


def _rendition_row(photo_id: int, r: Rendition) -> dict[str, object]:
    return {
        "photo_id": photo_id,
        "size": rendition_size(r),
        "width": r.width,
        "height": r.height,
        "media_type": r.media_type,
        "blob_key": r.blob_key,
        "length": r.length,
    }


def assemble_photos(rows: Iterable[RowMapping]) -> dict[PhotoOwner, Photo]:
    heads: dict[int, RowMapping] = {}
    renditions: dict[int, list[Rendition]] = defaultdict(list)
    for row in rows:
        heads.setdefault(row["id"], row)
        size = None if row["size"] == ORIGINAL_SIZE else row["size"]
        renditions[row["id"]].append(
            Rendition(
                size, row["width"], row["height"], row["media_type"], row["blob_key"], row["length"]
            )
        )
    result = {}
    for photo_id, head in heads.items():
        owner = PhotoOwner(OwnerKind(head["owner_kind"]), head["owner_id"])
        created = head["created_at"]
        if created.tzinfo is None:
            created = created.replace(tzinfo=UTC)
        result[owner] = Photo(
            photo_id, owner, head["content_hash"], created, tuple(renditions[photo_id])
        )
    return result
