"""The image files behind the avatar URLs, with ETag, Cache-Control and 304 (web.photos).

Stored and staged photos need credentials, as DocSpace's `userPhotos` storage does (403
without them); the defaults under `/static/images` are public.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from userphoto.config import Settings
from userphoto.core.errors import NotFound
from userphoto.core.model import Photo, Principal, Rendition, User
from userphoto.core.photos.defaults import default_avatar
from userphoto.core.services import Services
from userphoto.dialects.docspace.access import Access
from userphoto.dialects.docspace.auth import authenticate
from userphoto.dialects.docspace.avatars import (
    DEFAULT_NAME,
    DEFAULT_SIZES,
    LINK_PURPOSE,
    SIGNED_NAME,
    STORED_NAME,
    TEMP_NAME,
    link_signer,
)
from userphoto.dialects.docspace.errors import DocSpaceError, NoBody
from userphoto.web.photos import ONE_YEAR, CachePolicy, image_response, photo_response
from userphoto.web.ratelimit import check_client

_LETTERS = re.compile(r"[^0-9A-Za-zÀ-ÖØ-öø-ÿ]")
# Defaults are drawn by this code, so they change only when the process does.
_DEFAULTS_SINCE = datetime.now(UTC)
# A staged upload's URL always names the same bytes.
_STAGED_CACHE = CachePolicy(ONE_YEAR, private=True, immutable=True)


class PhotoFiles:
    def __init__(self, services: Services, settings: Settings, access: Access) -> None:
        self._services = services
        self._access = access
        self._cache = CachePolicy.id_url(settings.photo_max_age, private=True)
        self._initials = settings.docspace_default_avatar == "initials"
        self._links = link_signer(services, settings)
        self._stored_name = STORED_NAME if self._links is None else SIGNED_NAME

    async def stored(self, request: Request) -> Response:
        return await run_in_threadpool(self._stored, request)

    async def staged(self, request: Request) -> Response:
        return await run_in_threadpool(self._staged, request)

    async def default(self, request: Request) -> Response:
        check_client(request, self._services.auth)
        return await run_in_threadpool(self._default, request)

    def _stored(self, request: Request) -> Response:
        name = self._stored_name.match(request.path_params["name"])
        principal = authenticate(self._services.auth, request)
        if principal is None:
            return _status(403)
        if name is None:
            return _status(404)
        try:
            user = self._owner(name)
            self._access.check_view(principal, user)
        except NotFound:
            return _status(404)
        except (NoBody, DocSpaceError):
            return _status(403)
        photo = self._services.photos.effective_photo(user)
        rendition = _named_rendition(photo, name) if photo else None
        if photo is None or rendition is None:
            return _status(404)
        # A signed name expires, so its answer is not the caller's alone to be repeated.
        caller = principal if self._links is None else None
        read = self._services.photos.read
        return photo_response(
            request, rendition, photo.created_at, self._cache, read, caller=caller
        )

    def _owner(self, name: re.Match[str]) -> User:
        """The user a stored name names: by UUID, or by a link token that opens now."""
        if self._links is None:
            return self._services.directory.resolve_user(name["uuid"])
        number = self._links.owner(LINK_PURPOSE, name["token"])
        if number is None:
            # Forged and expired answer as an unknown user does: 404, nothing more.
            raise NotFound("user", "link")
        return self._services.directory.user(number)

    def _staged(self, request: Request) -> Response:
        name = TEMP_NAME.match(request.path_params["name"])
        principal = authenticate(self._services.auth, request)
        if principal is None:
            return _status(403)
        try:
            upload = self._services.staging.find(name["id"]) if name else None
            owner = self._services.directory.user(upload.user_number) if upload else None
        except NotFound:
            return _status(404)
        if upload is None or owner is None or not _may_see_staged(principal, owner.number):
            return _status(404)
        return image_response(
            request,
            upload.blob_key,
            upload.media_type,
            upload.created_at,
            _STAGED_CACHE,
            lambda: self._services.staging.read(upload),
        )

    def _default(self, request: Request) -> Response:
        name = DEFAULT_NAME.match(request.path_params["name"])
        if name is None or int(name["size"]) not in DEFAULT_SIZES:
            return _status(404)
        initials = _initials(request) if self._initials else None
        data = default_avatar(int(name["size"]), initials)
        return image_response(
            request,
            hashlib.sha256(data).hexdigest(),
            "image/png",
            _DEFAULTS_SINCE,
            CachePolicy.hashed_url(),
            lambda: data,
            public=True,
        )


def _named_rendition(photo: Photo, name: re.Match[str]) -> Rendition | None:
    """The rendition the file name describes, or None when the name is stale or made up."""
    width, height = int(name["width"]), int(name["height"])
    if name["kind"] == "orig":
        rendition = photo.original
        matches = (rendition.width, rendition.height) == (width, height)
    else:
        rendition = photo.rendition(width)
        matches = width == height and width in DEFAULT_SIZES
    return rendition if matches and rendition.extension == name["ext"] else None


def _may_see_staged(principal: Principal, owner_number: int) -> bool:
    return principal.user.number == owner_number or principal.user.is_admin


def _initials(request: Request) -> str | None:
    letters = _LETTERS.sub("", request.query_params.get("initials", ""))[:2]
    return letters or None


def _status(status: int) -> Response:
    return PlainTextResponse("", status_code=status)
