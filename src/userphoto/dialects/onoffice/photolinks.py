"""The photo links `photosAsLinks` hands out, and the endpoint that serves them.

Links are fetched as plain image URLs (the WordPress plugin puts them in `<img src>`),
so they carry no credentials, like onOffice's own `Dateien` links.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from userphoto.config import Settings
from userphoto.core.errors import NotFound
from userphoto.core.services import Services
from userphoto.dialects.onoffice.listing import stored_id
from userphoto.web.photos import photo_response

LINK_PATH = "/smart20/Dateien/{customer}/users/Userphoto_{number}.jpg"
ROUTE_PATH = LINK_PATH.replace("{number}", "{number:int}")


def photo_link(settings: Settings, number: int) -> str:
    path = LINK_PATH.format(customer=quote(settings.onoffice_customer, safe=""), number=number)
    return settings.public_url.rstrip("/") + path


class PhotoLinks:
    def __init__(self, services: Services, settings: Settings) -> None:
        self._services = services
        self._settings = settings

    async def serve(self, request: Request) -> Response:
        if request.path_params["customer"] != self._settings.onoffice_customer:
            return _not_found()
        return await run_in_threadpool(self._respond, request, request.path_params["number"])

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
        )


def _not_found() -> Response:
    return PlainTextResponse("Not Found", status_code=404)
