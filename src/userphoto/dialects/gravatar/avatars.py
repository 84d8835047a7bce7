"""`GET /avatar/<hash>`: the person's photo at the asked size, else the asked default."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from userphoto.config import Settings
from userphoto.core.errors import NotFound
from userphoto.core.model import User
from userphoto.core.photos.avatars import blank, identicon
from userphoto.core.photos.defaults import MAX_DEFAULT_SIZE, default_avatar, initials_of
from userphoto.core.photos.sized import SizedPhotos
from userphoto.core.services import Services
from userphoto.dialects.gravatar.query import AvatarQuery, BadAvatarRequest, parse_query
from userphoto.web.photos import CachePolicy, image_response, named_in_accept
from userphoto.web.ratelimit import check_client

# The side actually delivered, which is less than `s` for a smaller photo: never upscaled.
SIZE_HEADER = "X-Avatar-Size"
# Offered in this order of preference when format negotiation is on: the smallest first.
MODERN_FORMATS = ("image/avif", "image/webp")


class Avatars:
    def __init__(self, services: Services, settings: Settings) -> None:
        self._services = services
        self._sized = SizedPhotos(
            services.photos.read, settings.jpeg_quality, settings.gravatar_cache_bytes
        )
        hosts = settings.gravatar_default_hosts.split(",")
        self._redirect_hosts = frozenset(h.strip().lower() for h in hosts if h.strip())
        self._negotiate = settings.negotiate_image_formats
        self._policy = CachePolicy.id_url(settings.photo_max_age)
        self._photo_policy = (
            replace(self._policy, vary=("Accept",)) if self._negotiate else self._policy
        )

    async def serve(self, request: Request) -> Response:
        check_client(request, self._services.auth)
        return await run_in_threadpool(self._answer, request)

    def _answer(self, request: Request) -> Response:
        try:
            query = parse_query(
                request.path_params["hash"], request.query_params, self._redirect_hosts
            )
        except BadAvatarRequest as exc:
            return PlainTextResponse(str(exc), status_code=400)
        user = self._user(query.digest)
        photo = None
        if user is not None and not query.force_default:
            photo = self._services.photos.effective_photo(user)
        if photo is None:
            return self._default(request, query, user)
        modern = named_in_accept(request, MODERN_FORMATS) if self._negotiate else None
        image = self._sized.square(photo, query.size, modern or "image/jpeg")
        return image_response(
            request,
            image.etag_key,
            image.media_type,
            photo.created_at,
            self._photo_policy,
            image.load,
            {SIZE_HEADER: str(image.side)},
            public=True,
        )

    def _user(self, digest: str) -> User | None:
        try:
            return self._services.directory.by_email_hash(digest)
        except NotFound:
            return None

    def _default(self, request: Request, query: AvatarQuery, user: User | None) -> Response:
        if query.default == "404":
            return PlainTextResponse("Not Found", status_code=404)
        if query.redirect is not None:
            return RedirectResponse(query.redirect, status_code=302)
        side, data = _generated(query, user)
        return image_response(
            request,
            hashlib.sha256(data).hexdigest(),
            "image/png",
            datetime.now(UTC),
            self._policy,
            lambda: data,
            {SIZE_HEADER: str(side)},
        )


def _generated(query: AvatarQuery, user: User | None) -> tuple[int, bytes]:
    if query.default == "identicon":
        return query.size, identicon(query.digest, query.size)
    if query.default == "blank":
        return query.size, blank(query.size)
    side = min(query.size, MAX_DEFAULT_SIZE)
    initials = _initials(query, user) if query.default == "initials" else None
    return side, default_avatar(side, initials)


def _initials(query: AvatarQuery, user: User | None) -> str:
    if user is not None:
        return user.initials or initials_of(user.first_name, user.last_name, user.username)
    return initials_of(*query.name.split())
