"""The profilePhoto endpoints: metadata, `$value` bytes, PUT and DELETE, for a user or `me`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from userphoto.config import Settings
from userphoto.core.audit import Actor
from userphoto.core.errors import InvalidImage, NotFound, RateLimited, StoreUnavailable
from userphoto.core.model import Photo, PhotoOwner, Principal, Rendition, User
from userphoto.core.services import Services
from userphoto.dialects.graph.errors import (
    ACCESS_DENIED,
    INVALID_REQUEST,
    PHOTO_NOT_FOUND,
    TOO_LARGE,
    UNAUTHENTICATED,
    USER_NOT_FOUND,
    GraphError,
    error_response,
    throttled,
    unavailable,
)
from userphoto.dialects.graph.sizes import available, sized
from userphoto.web.auth import request_principal
from userphoto.web.bodies import bounded_body
from userphoto.web.photos import CachePolicy, photo_response

# "The size of the photo you can update to is limited to 4 MB" (Graph's update page).
MAX_PHOTO_BYTES = 4 * 1024 * 1024
_NO_PHOTO = "The photo wasn't found."

Handler = Callable[[Request, Principal], Response]


class GraphPhotos:
    def __init__(self, services: Services, settings: Settings) -> None:
        self._services = services
        self._base = settings.public_url.rstrip("/")
        self._policy = CachePolicy.id_url(settings.photo_max_age, private=True)

    def endpoint(self, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        """`handler` run in a thread for an authenticated caller, its GraphError answered."""

        async def endpoint(request: Request) -> Response:
            try:
                # One trip to a worker thread for the caller and the answer: each trip costs.
                return await run_in_threadpool(self._authenticated, handler, request)
            except GraphError as error:
                return error_response(request, error)
            except StoreUnavailable as error:
                return error_response(request, unavailable(error))
            except RateLimited as error:
                return error_response(request, throttled(error))

        return endpoint

    async def put(self, request: Request) -> Response:
        """The upload is read only for an authenticated caller, and only up to the limit."""
        try:
            principal = await run_in_threadpool(self._principal, request)
            body = await bounded_body(request, MAX_PHOTO_BYTES)
            if body is None:
                message = f"The photo is larger than {MAX_PHOTO_BYTES} bytes."
                raise GraphError(413, TOO_LARGE, message)
            return await run_in_threadpool(self._put, request, principal, body)
        except GraphError as error:
            return error_response(request, error)
        except StoreUnavailable as error:
            return error_response(request, unavailable(error))
        except RateLimited as error:
            return error_response(request, throttled(error))

    def metadata(self, request: Request, principal: Principal) -> Response:
        user, photo = self._photo(request, principal)
        entity = _entity(available(photo)[-1])
        return JSONResponse({"@odata.context": self._context(user, "photo/$entity"), **entity})

    def listing(self, request: Request, principal: Principal) -> Response:
        user, photo = self._photo(request, principal)
        value = [_entity(r) for r in available(photo)]
        return JSONResponse({"@odata.context": self._context(user, "photos"), "value": value})

    def size_metadata(self, request: Request, principal: Principal) -> Response:
        user, photo = self._photo(request, principal)
        entity = _entity(sized(photo, request.path_params["size"]))
        return JSONResponse({"@odata.context": self._context(user, "photos/$entity"), **entity})

    def value(self, request: Request, principal: Principal) -> Response:
        _, photo = self._photo(request, principal)
        return self._bytes(request, principal, photo, available(photo)[-1])

    def size_value(self, request: Request, principal: Principal) -> Response:
        _, photo = self._photo(request, principal)
        return self._bytes(request, principal, photo, sized(photo, request.path_params["size"]))

    def delete(self, request: Request, principal: Principal) -> Response:
        user = self._editable(request, principal)
        if not self._services.photos.delete_photo(PhotoOwner.user(user.number), _actor(principal)):
            raise GraphError(404, PHOTO_NOT_FOUND, _NO_PHOTO)
        return Response(status_code=200, headers={"Cache-Control": "no-store"})

    def _put(self, request: Request, principal: Principal, body: bytes) -> Response:
        user = self._editable(request, principal)
        try:
            self._services.photos.set_photo(
                PhotoOwner.user(user.number), body, None, _actor(principal)
            )
        except InvalidImage as exc:
            raise GraphError(400, INVALID_REQUEST, f"The photo was refused: {exc}") from None
        return Response(status_code=200, headers={"Cache-Control": "no-store"})

    def _authenticated(self, handler: Handler, request: Request) -> Response:
        return handler(request, self._principal(request))

    def _principal(self, request: Request) -> Principal:
        principal = request_principal(request, self._services.auth)
        if principal is None:
            raise GraphError(401, UNAUTHENTICATED, "Access token is empty or not valid.")
        return principal

    def _user(self, request: Request, principal: Principal) -> User:
        ref = request.path_params.get("ref")
        if ref is None:
            return principal.user
        try:
            return self._services.directory.resolve_user(ref)
        except NotFound:
            message = (
                f"Resource '{ref}' does not exist or one of its queried"
                " reference-property objects are not present."
            )
            raise GraphError(404, USER_NOT_FOUND, message) from None

    def _photo(self, request: Request, principal: Principal) -> tuple[User, Photo]:
        user = self._user(request, principal)
        if not principal.may_read(user):
            raise GraphError(
                403, ACCESS_DENIED, "Insufficient privileges to complete the operation."
            )
        photo = self._services.photos.effective_photo(user)
        if photo is None:
            raise GraphError(404, PHOTO_NOT_FOUND, _NO_PHOTO)
        return user, photo

    def _editable(self, request: Request, principal: Principal) -> User:
        user = self._user(request, principal)
        if not principal.may_edit(user):
            raise GraphError(
                403, ACCESS_DENIED, "Insufficient privileges to complete the operation."
            )
        return user

    def _bytes(
        self, request: Request, principal: Principal, photo: Photo, rendition: Rendition
    ) -> Response:
        read = self._services.photos.read
        return photo_response(
            request, rendition, photo.created_at, self._policy, read, caller=principal
        )

    def _context(self, user: User, path: str) -> str:
        return f"{self._base}/v1.0/$metadata#users('{user.uuid}')/{path}"


def _entity(rendition: Rendition) -> dict[str, Any]:
    return {
        "@odata.mediaContentType": rendition.media_type,
        "@odata.mediaEtag": f'"{rendition.blob_key}"',
        "id": f"{rendition.width}x{rendition.height}",
        "width": rendition.width,
        "height": rendition.height,
    }


def _actor(principal: Principal) -> Actor:
    return Actor.of(principal, "graph")
