"""A person's page: fields, the photo in every size, upload, crop, delete, restore, dialect URLs."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from userphoto.config import Settings
from userphoto.core.audit import Actor
from userphoto.core.errors import InvalidImage, NotFound
from userphoto.core.model import VARIANT_SIZES, CropBox, Photo, PhotoOwner, Principal, User
from userphoto.core.services import Services
from userphoto.dialects import REGISTERED
from userphoto.dialects.admin.directory import ORIGINAL, THUMBNAIL_SIZE, photo_url, version_url
from userphoto.dialects.admin.gate import form_text, whole_number
from userphoto.dialects.admin.links import dialect_links
from userphoto.dialects.admin.rendering import Renderer

NOTICES = {
    "uploaded": "The new photo is stored.",
    "cropped": "The photo is cropped.",
    "deleted": "The photo is deleted.",
    "no-photo": "There was no photo of this person's own to delete.",
    "restored": "The earlier photo is current again.",
}
CROP_FIELDS = ("x", "y", "width", "height")
# The channel the audit trail names for changes made on these pages.
CHANNEL = "admin"
MAX_ID_DIGITS = 18
# No stored original is a million pixels wide; longer numbers are typing mistakes.
MAX_PIXEL_DIGITS = 6
HIDDEN_FIELDS = frozenset({"password_hash"})


class PersonPages:
    def __init__(self, services: Services, settings: Settings, renderer: Renderer) -> None:
        self._services = services
        self._settings = settings
        self._renderer = renderer

    def show(self, request: Request, principal: Principal, _: FormData | None) -> Response:
        notice = NOTICES.get(request.query_params.get("notice", ""))
        return self._page(request, principal, self._user(request), notice=notice)

    def upload(self, request: Request, principal: Principal, form: FormData | None) -> Response:
        user = self._user(request)
        upload = form.get("photo") if form else None
        if not isinstance(upload, UploadFile) or not upload.filename:
            return self._page(request, principal, user, error="Choose a photo file to upload.")
        limit = self._settings.max_upload_bytes
        data = upload.file.read(limit + 1)
        if len(data) > limit:
            return self._page(request, principal, user, error="The photo file is too large.")
        try:
            self._services.photos.set_photo(
                PhotoOwner.user(user.number), data, actor=_actor(principal)
            )
        except InvalidImage as refused:
            return self._page(request, principal, user, error=f"Not stored: {refused}")
        return _done(user, "uploaded")

    def crop(self, request: Request, principal: Principal, form: FormData | None) -> Response:
        user = self._user(request)
        box = _crop_box(form)
        if box is None:
            return self._page(
                request, principal, user, error="The crop box needs four whole numbers."
            )
        try:
            self._services.photos.recrop(PhotoOwner.user(user.number), box, _actor(principal))
        except NotFound:
            return self._page(request, principal, user, error="There is no own photo to crop.")
        except InvalidImage as refused:
            return self._page(request, principal, user, error=f"Not cropped: {refused}")
        return _done(user, "cropped")

    def delete(self, request: Request, principal: Principal, _: FormData | None) -> Response:
        user = self._user(request)
        deleted = self._services.photos.delete_photo(
            PhotoOwner.user(user.number), _actor(principal)
        )
        return _done(user, "deleted" if deleted else "no-photo")

    def restore(self, request: Request, principal: Principal, form: FormData | None) -> Response:
        user = self._user(request)
        photo_id = whole_number(form_text(form, "photo_id"), MAX_ID_DIGITS)
        if photo_id is None:
            return self._page(request, principal, user, error="Choose a version to restore.")
        owner = PhotoOwner.user(user.number)
        try:
            self._services.history.restore(owner, photo_id, _actor(principal))
        except NotFound:
            return self._page(request, principal, user, error="That version is no longer kept.")
        return _done(user, "restored")

    def _user(self, request: Request) -> User:
        return self._services.directory.user(request.path_params["number"])

    def _page(
        self,
        request: Request,
        principal: Principal,
        user: User,
        notice: str | None = None,
        error: str | None = None,
    ) -> Response:
        photo = self._services.photos.effective_photo(user)
        own = photo is not None and photo.owner == PhotoOwner.user(user.number)
        context: dict[str, Any] = {
            "user": user,
            "fields": _shown_fields(user),
            "photo": photo,
            "own_photo": own,
            "original": photo.original if photo else None,
            "original_url": photo_url(user.number, photo, ORIGINAL),
            "sizes": [(size, photo_url(user.number, photo, size)) for size in VARIANT_SIZES],
            "versions": self._earlier_versions(user, photo),
            "links": dialect_links(self._settings, user, REGISTERED),
            "notice": notice,
            "error": error,
        }
        status = 400 if error else 200
        return self._renderer.page(request, "person.html", context, principal, status)

    def _earlier_versions(self, user: User, current: Photo | None) -> list[tuple[Photo, str]]:
        versions = self._services.history.versions(PhotoOwner.user(user.number))
        return [
            (v, version_url(user.number, v, THUMBNAIL_SIZE))
            for v in versions
            if current is None or v.id != current.id
        ]


def _actor(principal: Principal) -> Actor:
    return Actor.of(principal, CHANNEL)


def _shown_fields(user: User) -> list[tuple[str, Any]]:
    return [(f.name, getattr(user, f.name)) for f in fields(user) if f.name not in HIDDEN_FIELDS]


def _crop_box(form: FormData | None) -> CropBox | None:
    values = [whole_number(form_text(form, name), MAX_PIXEL_DIGITS) for name in CROP_FIELDS]
    if None in values:
        return None
    x, y, width, height = (v or 0 for v in values)
    return CropBox(x, y, width, height) if width > 0 and height > 0 else None


def _done(user: User, notice: str) -> Response:
    return RedirectResponse(f"/admin/people/{user.number}?notice={notice}", status_code=303)
