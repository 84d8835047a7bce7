"""A user's or address record's photo: versions, bytes per size, upload with a crop box,
delete, restore. The same handlers serve both; a `PhotoOwners` finds the owner and checks
the caller's rights."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from starlette.requests import Request
from starlette.responses import Response

from userphoto.config import Settings
from userphoto.core.audit import Actor
from userphoto.core.errors import NotFound
from userphoto.core.model import CropBox, Photo, PhotoOwner, Principal, Rendition, Scope
from userphoto.core.services import Services
from userphoto.dialects.native.api import Call, Reply, schemas
from userphoto.dialects.native.problems import Problem
from userphoto.dialects.native.users import check_editable, check_people_read, check_readable
from userphoto.web.photos import CachePolicy, photo_response

if TYPE_CHECKING:
    from userphoto.dialects.native.schemas import PhotoOut, RenditionOut

CHANNEL = "native"
CROP_PARAMS = ("x", "y", "width", "height")


class PhotoOwners(Protocol):
    """Whose photo an operation's path names, once the caller may read or change it."""

    def readable(self, call: Call) -> PhotoOwner: ...
    def editable(self, call: Call) -> PhotoOwner: ...


class UserOwners:
    """`{number}`: anyone may read and change their own; other users need the key's rights."""

    def __init__(self, services: Services) -> None:
        self._services = services

    def readable(self, call: Call) -> PhotoOwner:
        user = self._services.directory.user(call.params["number"])
        check_readable(call.principal, user)
        return PhotoOwner.user(user.number)

    def editable(self, call: Call) -> PhotoOwner:
        user = self._services.directory.user(call.params["number"])
        check_editable(call.principal, user)
        return PhotoOwner.user(user.number)


class AddressOwners:
    """`{id}`: read with people:read; changed by administrators only."""

    def __init__(self, services: Services) -> None:
        self._services = services

    def readable(self, call: Call) -> PhotoOwner:
        check_people_read(call.principal, "reading address photos")
        return self._owner(call)

    def editable(self, call: Call) -> PhotoOwner:
        if not _is_writing_admin(call.principal):
            raise Problem(403, "forbidden", "only administrators change address photos")
        return self._owner(call)

    def _owner(self, call: Call) -> PhotoOwner:
        return PhotoOwner.address(self._services.directory.address(call.params["id"]).id)


class Photos:
    def __init__(self, services: Services, settings: Settings, owners: PhotoOwners) -> None:
        self._services = services
        self._owners = owners
        self._policy = CachePolicy.id_url(settings.photo_max_age, private=True)

    def get(self, call: Call) -> Reply:
        owner = self._owners.readable(call)
        return Reply(200, photo_out(self._current(owner), current=True))

    def image(self, call: Call) -> Reply:
        owner = self._owners.readable(call)
        photo = self._current(owner)
        rendition = photo.rendition(call.params["size"])
        return Reply(200, response=self._bytes(call.request, photo, rendition))

    def original(self, call: Call) -> Reply:
        owner = self._owners.readable(call)
        photo = self._current(owner)
        return Reply(200, response=self._bytes(call.request, photo, photo.original))

    def upload(self, call: Call) -> Reply:
        owner = self._owners.editable(call)
        crop = _crop(call.params)
        photo = self._services.photos.set_photo(owner, call.upload, crop, _actor(call))
        return Reply(200, photo_out(photo, current=True))

    def recrop(self, call: Call) -> Reply:
        owner = self._owners.editable(call)
        box = call.body
        crop = CropBox(box.x, box.y, box.width, box.height)
        return Reply(200, photo_out(self._services.photos.recrop(owner, crop, _actor(call)), True))

    def delete(self, call: Call) -> Reply:
        owner = self._owners.editable(call)
        if not self._services.photos.delete_photo(owner, _actor(call)):
            raise NotFound(f"photo of {owner.kind.value}", owner.id)
        return Reply(204)

    def versions(self, call: Call) -> Reply:
        owner = self._owners.readable(call)
        current = self._services.photos.current(owner)
        versions = self._services.history.versions(owner)
        current_id = current.id if current else None
        items = [photo_out(v, v.id == current_id) for v in versions]
        return Reply(200, schemas().PhotoVersions(items=items))

    def restore(self, call: Call) -> Reply:
        owner = self._owners.editable(call)
        photo = self._services.history.restore(owner, call.params["version"], _actor(call))
        return Reply(200, photo_out(photo, current=True))

    def _current(self, owner: PhotoOwner) -> Photo:
        photo = self._services.photos.current(owner)
        if photo is None:
            raise NotFound(f"photo of {owner.kind.value}", owner.id)
        return photo

    def _bytes(self, request: Request, photo: Photo, rendition: Rendition) -> Response:
        return photo_response(
            request, rendition, photo.created_at, self._policy, self._services.photos.read
        )


def photo_out(photo: Photo, current: bool) -> PhotoOut:
    return schemas().PhotoOut(
        id=photo.id,
        content_hash=photo.content_hash,
        created_at=photo.created_at,
        current=current,
        renditions=[_rendition_out(r) for r in photo.renditions],
    )


def _rendition_out(rendition: Rendition) -> RenditionOut:
    return schemas().RenditionOut(
        size=rendition.size,
        width=rendition.width,
        height=rendition.height,
        media_type=rendition.media_type,
        etag=f'"{rendition.blob_key}"',
    )


def _crop(params: dict[str, int]) -> CropBox | None:
    given = [name for name in CROP_PARAMS if name in params]
    if not given:
        return None
    if len(given) != len(CROP_PARAMS):
        raise Problem(422, "invalid-parameter", "a crop box needs x, y, width and height")
    return CropBox(*(params[name] for name in CROP_PARAMS))


def _is_writing_admin(principal: Principal) -> bool:
    return principal.user.is_admin and principal.has_scope(Scope.PEOPLE_WRITE)


def _actor(call: Call) -> Actor:
    return Actor.of(call.principal, CHANNEL)
