"""The audit trail of photo changes on SQLAlchemy Core."""

from __future__ import annotations

from datetime import UTC

from sqlalchemy import Engine, func, insert, select
from sqlalchemy.engine import RowMapping

from userphoto.core.audit import Actor, ActorKind, AuditAction, AuditEntry
from userphoto.core.model import OwnerKind, PhotoOwner
from userphoto.core.query import Page
from userphoto.storage.schema import audit_entries


class SqlAuditStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def add(self, entry: AuditEntry) -> AuditEntry:
        values = {
            "at": entry.at,
            "actor_kind": entry.actor.kind.value,
            "actor_id": entry.actor.id,
            "channel": entry.actor.channel,
            "action": entry.action.value,
            "owner_kind": entry.owner.kind.value,
            "owner_id": entry.owner.id,
            "old_hash": entry.old_hash,
            "new_hash": entry.new_hash,
        }
        with self._engine.begin() as conn:
            new_id = conn.execute(insert(audit_entries).values(values)).inserted_primary_key[0]
        return AuditEntry(
            new_id, entry.at, entry.actor, entry.action, entry.owner, entry.old_hash, entry.new_hash
        )

    def list(self, owner: PhotoOwner | None, limit: int, offset: int) -> Page[AuditEntry]:
        where = []
        if owner is not None:
            where = [
                audit_entries.c.owner_kind == owner.kind.value,
                audit_entries.c.owner_id == owner.id,
            ]
        rows = (
            select(audit_entries)
            .where(*where)
            .order_by(audit_entries.c.id.desc())
            .limit(limit)
            .offset(offset)
        )
        count = select(func.count()).select_from(audit_entries).where(*where)
        with self._engine.connect() as conn:
            items = [_entry(row) for row in conn.execute(rows).mappings()]
            total = conn.execute(count).scalar_one()
        return Page(items, total)


def _entry(row: RowMapping) -> AuditEntry:
    at = row["at"] if row["at"].tzinfo else row["at"].replace(tzinfo=UTC)
    return AuditEntry(
        row["id"],
        at,
        Actor(ActorKind(row["actor_kind"]), row["actor_id"], row["channel"]),
        AuditAction(row["action"]),
        PhotoOwner(OwnerKind(row["owner_kind"]), row["owner_id"]),
        row["old_hash"],
        row["new_hash"],
    )
