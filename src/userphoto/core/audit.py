"""The audit trail of photo changes: who changed whose photo, when, through which channel.

Every entry names the content hash before and after, so the trail alone tells which
version of a photo a client saw at any moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from userphoto.core.errors import InvalidValue
from userphoto.core.model import AuthMethod, Photo, PhotoOwner, Principal
from userphoto.core.query import MAX_LIMIT, Page

if TYPE_CHECKING:
    from userphoto.core.ports import Store


class AuditAction(StrEnum):
    SET = "set"
    CROP = "crop"
    DELETE = "delete"
    RESTORE = "restore"


class ActorKind(StrEnum):
    USER = "user"
    API_KEY = "api-key"
    API_USER = "api-user"
    SYSTEM = "system"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who made a change (`id` is a user number or API user id) and the channel it came by."""

    kind: ActorKind
    id: str
    channel: str

    @classmethod
    def system(cls, channel: str = "cli") -> Actor:
        return cls(ActorKind.SYSTEM, "", channel)

    @classmethod
    def of(cls, principal: Principal, channel: str) -> Actor:
        kind = ActorKind.API_KEY if principal.method is AuthMethod.API_KEY else ActorKind.USER
        return cls(kind, str(principal.user.number), channel)


CLI = Actor.system()


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    actor: Actor
    action: AuditAction
    owner: PhotoOwner
    old_hash: str | None
    new_hash: str | None


class AuditService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def record(
        self,
        actor: Actor,
        action: AuditAction,
        owner: PhotoOwner,
        before: Photo | None,
        after: Photo | None,
    ) -> AuditEntry:
        old = before.content_hash if before else None
        new = after.content_hash if after else None
        draft = AuditEntry(0, datetime.now(UTC), actor, action, owner, old, new)
        return self._store.audit.add(draft)

    def trail(
        self, owner: PhotoOwner | None = None, limit: int = 50, offset: int = 0
    ) -> Page[AuditEntry]:
        """Entries newest first; only `owner`'s when given."""
        if not 0 <= limit <= MAX_LIMIT:
            raise InvalidValue("limit", f"must be between 0 and {MAX_LIMIT}")
        if offset < 0:
            raise InvalidValue("offset", "must not be negative")
        return self._store.audit.list(owner, limit, offset)
