"""Photo versions: the last few an owner had, and making an old one current again."""

from __future__ import annotations

from userphoto.core.audit import CLI, Actor, AuditAction, AuditService
from userphoto.core.errors import NotFound
from userphoto.core.model import Photo, PhotoOwner
from userphoto.core.ports import Store


class HistoryService:
    def __init__(self, store: Store, keep: int = 5) -> None:
        self._store = store
        self._keep = max(1, keep)
        self._audit = AuditService(store)

    def versions(self, owner: PhotoOwner) -> list[Photo]:
        """The owner's kept versions, newest first; the current one among them unless deleted."""
        return self._store.history.versions(owner, self._keep)

    def restore(self, owner: PhotoOwner, photo_id: int, actor: Actor = CLI) -> Photo:
        """Make the kept version `photo_id` current again, atomically."""
        if all(v.id != photo_id for v in self.versions(owner)):
            raise NotFound("photo version", photo_id)
        before = self._store.photos.current(owner)
        restored = self._store.history.restore(owner, photo_id)
        if restored is None:
            raise NotFound("photo version", photo_id)
        self._audit.record(actor, AuditAction.RESTORE, owner, before, restored)
        return restored
