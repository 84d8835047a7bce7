"""Uploads held back until the uploader picks a crop: stage, look at, commit, expire.

A staged upload is validated and normalised exactly like a photo (same pipeline, same
limits), but only its normalised original is kept, so the crop box a client sends later
refers to the very picture it was shown.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from userphoto.core.audit import CLI, Actor
from userphoto.core.errors import NotFound
from userphoto.core.model import CropBox, Photo, PhotoOwner
from userphoto.core.photos import render_photo
from userphoto.core.ports import StagedUpload, Store
from userphoto.core.services import PhotoService, drop_blobs

STAGED_ID_LENGTH = 32  # hex digits: 128 random bits, unguessable


class StagingService:
    def __init__(
        self,
        store: Store,
        photos: PhotoService,
        lifetime: timedelta = timedelta(hours=1),
    ) -> None:
        self._store = store
        self._photos = photos
        self._lifetime = lifetime

    def stage(self, user_number: int, data: bytes) -> StagedUpload:
        """Validate and normalise `data` for `user_number`; InvalidImage when it is no photo."""
        self.expire()
        original = render_photo(data, self._photos.limits).renditions[0]
        upload = StagedUpload(
            secrets.token_hex(STAGED_ID_LENGTH // 2),
            user_number,
            self._store.blobs.put(original.data),
            original.width,
            original.height,
            original.media_type,
            datetime.now(UTC),
        )
        self._store.staged.add(upload)
        return upload

    def find(self, upload_id: str) -> StagedUpload:
        """The live upload `upload_id`, whoever it is for; NotFound once it expired."""
        upload = self._store.staged.get(upload_id)
        if upload is None or self._expired(upload):
            raise NotFound("staged upload", upload_id)
        return upload

    def get(self, upload_id: str, user_number: int) -> StagedUpload:
        """The live upload `upload_id` staged for `user_number`; NotFound for anyone else's."""
        upload = self.find(upload_id)
        if upload.user_number != user_number:
            raise NotFound("staged upload", upload_id)
        return upload

    def read(self, upload: StagedUpload) -> bytes:
        return self._store.blobs.get(upload.blob_key)

    def commit(
        self, upload_id: str, user_number: int, crop: CropBox | None, actor: Actor = CLI
    ) -> Photo:
        """Make the upload the user's photo, cut to `crop` (in the staged picture's pixels)."""
        upload = self.get(upload_id, user_number)
        owner = PhotoOwner.user(user_number)
        photo = self._photos.set_photo(owner, self.read(upload), crop, actor)
        self._drop_blobs(self._store.staged.remove(upload_id))
        return photo

    def expire(self, now: datetime | None = None) -> int:
        """Forget every upload older than the lifetime; the number of blobs freed."""
        now = now or datetime.now(UTC)
        freed = self._store.staged.expire(now - self._lifetime)
        drop_blobs(self._store.blobs, freed, now)
        return len(freed)

    def _expired(self, upload: StagedUpload) -> bool:
        return upload.created_at <= datetime.now(UTC) - self._lifetime

    def _drop_blobs(self, keys: set[str]) -> None:
        drop_blobs(self._store.blobs, keys)
