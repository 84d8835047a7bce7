"""The five photo endpoints (protocol notes §3), over the core's photo and staging services."""

from __future__ import annotations

from userphoto.config import Settings
from userphoto.core.audit import Actor
from userphoto.core.errors import InvalidImage, NotFound
from userphoto.core.model import CropBox, PhotoOwner, User
from userphoto.core.photos.formats import JPEG, PNG, sniff
from userphoto.core.services import Services
from userphoto.dialects.docspace.access import Access
from userphoto.dialects.docspace.avatars import AvatarUrls, temp_id, temp_path
from userphoto.dialects.docspace.endpoint import Call
from userphoto.dialects.docspace.envelope import Reply
from userphoto.dialects.docspace.errors import (
    FILE_NOT_FOUND,
    IMAGE_TOO_LARGE,
    UNKNOWN_IMAGE,
    USER_NOT_FOUND,
    DocSpaceError,
)
from userphoto.dialects.docspace.requests import int32, json_object, optional_string, uint32
from userphoto.dialects.docspace.sizes import size_exceeded

SECURITY_ERROR = "Security error."
_THUMBNAIL_FIELDS = {
    "tmpFile": optional_string,
    "x": int32,
    "y": int32,
    "width": uint32,
    "height": uint32,
}
_UPDATE_FIELDS = {"files": optional_string}
# Uploads take PNG and JPEG only (DocSpace's CheckImgFormat); URL updates take any format.
_UPLOAD_FORMATS = frozenset({JPEG, PNG})


class PhotoEndpoints:
    def __init__(self, services: Services, settings: Settings, access: Access) -> None:
        self._services = services
        self._access = access
        self._max_bytes = settings.docspace_max_upload_bytes
        self._avatars = AvatarUrls(services, settings)

    def get(self, call: Call) -> Reply:
        user = self._target(call)
        self._access.check_view(call.principal, user)
        return Reply(self._thumbnails(user))

    def delete(self, call: Call) -> Reply:
        user = self._editable_target(call)
        self._services.photos.delete_photo(PhotoOwner.user(user.number), _actor(call))
        return Reply(self._thumbnails(user))

    def update(self, call: Call) -> Reply:
        url = (json_object(call.body, _UPDATE_FIELDS).get("files") or "").strip()
        if not url:
            raise DocSpaceError(400, FILE_NOT_FOUND)
        user = self._editable_target(call)
        if "://" not in url:
            # A portal-relative path is fetched from this server, like DocSpace does.
            url = f"{call.request.url.scheme}://{call.request.url.netloc}/{url.lstrip('/')}"
        data = self._services.fetcher.fetch(url, self._max_bytes)
        self._services.photos.set_photo(PhotoOwner.user(user.number), data, None, _actor(call))
        return Reply(self._thumbnails(user))

    def thumbnails(self, call: Call) -> Reply:
        values = json_object(call.body, _THUMBNAIL_FIELDS)
        user = self._editable_target(call)
        crop = CropBox(
            values.get("x", 0), values.get("y", 0), values.get("width", 0), values.get("height", 0)
        )
        reference = values.get("tmpFile")
        if reference:
            upload_id = temp_id(reference)
            if upload_id is None:
                raise DocSpaceError(404, FILE_NOT_FOUND)
            self._services.staging.commit(upload_id, user.number, crop, _actor(call))
        else:
            self._services.photos.recrop(PhotoOwner.user(user.number), crop, _actor(call))
        return Reply(self._thumbnails(user))

    def upload(self, call: Call) -> Reply:
        """Every failure past authentication is a 200 with `success: false` (notes §3.2)."""
        try:
            return Reply({"success": True, "data": self._uploaded(call)})
        except NotFound as exc:
            return _failure(USER_NOT_FOUND if exc.what == "user" else FILE_NOT_FOUND)
        except DocSpaceError as exc:
            return _failure(SECURITY_ERROR if exc.status == 403 else exc.message)
        except InvalidImage as exc:
            return _failure(self._image_message(exc))

    def _uploaded(self, call: Call) -> str | dict[str, str]:
        user = self._editable_target(call)
        if call.form is None:
            raise InvalidImage("too-many-bytes", "the upload is too large")
        data = call.form.file
        if not data:
            raise NotFound("file", "File")
        if len(data) > self._max_bytes:
            raise InvalidImage("too-many-bytes", "the upload is too large")
        if sniff(data).format not in _UPLOAD_FORMATS:
            raise InvalidImage("unknown-format", "uploads take PNG or JPEG only")
        if not call.form.autosave:
            return temp_path(self._services.staging.stage(user.number, data))
        photo = self._services.photos.set_photo(
            PhotoOwner.user(user.number), data, None, _actor(call)
        )
        return self._avatars.of(user, photo).upload_data()

    def _image_message(self, exc: InvalidImage) -> str:
        if exc.reason == "too-many-bytes":
            return size_exceeded(self._max_bytes)
        if exc.reason == "too-many-pixels":
            return IMAGE_TOO_LARGE
        return UNKNOWN_IMAGE

    def _target(self, call: Call) -> User:
        reference = call.request.path_params["userid"]
        if reference == "@self":
            return call.principal.user
        return self._services.directory.resolve_user(reference)

    def _editable_target(self, call: Call) -> User:
        user = self._target(call)
        self._access.check_edit(call.principal, user)
        return user

    def _thumbnails(self, user: User) -> dict[str, str]:
        photo = self._services.photos.effective_photo(user)
        return self._avatars.of(user, photo).urls


def _failure(message: str) -> Reply:
    return Reply({"success": False, "message": message})


def _actor(call: Call) -> Actor:
    return Actor.of(call.principal, "docspace")
