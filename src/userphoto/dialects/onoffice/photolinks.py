"""The photo links `photosAsLinks` hands out, and the endpoint that serves them.

Links are fetched as plain image URLs (the WordPress plugin puts them in `<img src>`),
so they carry no credentials, like onOffice's own `Dateien` links. With
USERPHOTO_SIGNED_PHOTO_LINKS the user number gives way to a signed, expiring token
(core.links), and the links by number are no longer served, so no one can walk the numbers.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from userphoto.config import Settings
from userphoto.core.errors import NotFound
from userphoto.core.links import LinkSigner
from userphoto.core.services import Services
from userphoto.dialects.onoffice.listing import stored_id
from userphoto.web.photos import photo_response
from userphoto.web.ratelimit import check_client

LINK_PATH = "/smart20/Dateien/{customer}/users/Userphoto_{name}.jpg"
PLAIN_ROUTE_PATH = LINK_PATH.replace("{name}", "{number:int}")
SIGNED_ROUTE_PATH = LINK_PATH.replace("{name}", "{token}")
LINK_PURPOSE = "onoffice"


def photo_link(settings: Settings, number: int) -> str:
    """The plain link, by user number: what onOffice itself hands out."""
    return _link(settings, str(number))


def signed_photo_link(settings: Settings, links: LinkSigner, number: int) -> str:
    return _link(settings, links.issue(LINK_PURPOSE, number))


def handed_out_link(services: Services, settings: Settings, number: int) -> str:
    """The link form the settings ask for."""
    if settings.signed_photo_links:
        return signed_photo_link(settings, services.links, number)
    return photo_link(settings, number)


def _link(settings: Settings, name: str) -> str:
    path = LINK_PATH.format(customer=quote(settings.onoffice_customer, safe=""), name=name)
    return settings.public_url.rstrip("/") + path


class PhotoLinks:
    def __init__(self, services: Services, settings: Settings) -> None:
        self._services = services
        self._settings = settings

    def route(self) -> Route:
        """The links by number, or by token when links are signed: never both."""
        if self._settings.signed_photo_links:
            return Route(SIGNED_ROUTE_PATH, self.serve_signed, methods=["GET"])
        return Route(PLAIN_ROUTE_PATH, self.serve, methods=["GET"])

    async def serve(self, request: Request) -> Response:
        check_client(request, self._services.auth)
        if request.path_params["customer"] != self._settings.onoffice_customer:
            return _not_found()
        return await run_in_threadpool(self._respond, request, request.path_params["number"])

    async def serve_signed(self, request: Request) -> Response:
        check_client(request, self._services.auth)
        # Forged, expired and unknown all get the one answer a missing photo gets.
        if request.path_params["customer"] != self._settings.onoffice_customer:
            return _not_found()
        number = self._services.links.owner(LINK_PURPOSE, request.path_params["token"])
        if number is None:
            return _not_found()
        return await run_in_threadpool(self._respond, request, number)

    def _respond(self, request: Request, number: int) -> Response:
        if stored_id(number) is None:
            return _not_found()
        try:
            user = self._services.directory.user(number)
        except NotFound:
            return _not_found()
        photo = self._services.photos.effective_photo(user)
        if photo is None:
            return _not_found()
        rendition = photo.rendition(self._settings.onoffice_photo_size)
        return photo_response(
            request,
            rendition,
            photo.created_at,
            self._settings.photo_max_age,
            self._services.photos.read,
            # A signed link expires, so its answer is not the URL's alone.
            public=not self._settings.signed_photo_links,
        )


def _not_found() -> Response:
    return PlainTextResponse("Not Found", status_code=404)
