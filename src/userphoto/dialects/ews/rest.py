"""`GET /EWS/Exchange.asmx/s/GetUserPhoto?email=&size=`: the photo bytes themselves."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from userphoto.config import Settings
from userphoto.core.errors import RateLimited
from userphoto.core.model import Principal
from userphoto.core.services import Services
from userphoto.dialects.ews.faults import ACCESS_DENIED, INVALID_PHOTO_SIZE, EwsFault, NoPhoto
from userphoto.dialects.ews.people import People
from userphoto.dialects.ews.responses import fault_response, throttled_response, unauthorized
from userphoto.dialects.ews.sizes import side_of
from userphoto.web.auth import request_principal
from userphoto.web.photos import CachePolicy, photo_response


class RestEndpoint:
    def __init__(self, services: Services, settings: Settings) -> None:
        self._services = services
        self._people = People(services)
        self._policy = CachePolicy.id_url(settings.photo_max_age, private=True)

    async def handle(self, request: Request) -> Response:
        # One trip to a worker thread for the caller and the photo: each trip costs.
        return await run_in_threadpool(self._authenticated_answer, request)

    def _authenticated_answer(self, request: Request) -> Response:
        try:
            principal = request_principal(request, self._services.auth)
        except RateLimited as error:
            # A plain HTTP GET: 429 is what its callers (browsers, HTTP libraries) understand.
            return throttled_response(error, 429)
        if principal is None:
            return unauthorized()
        return self._answer(request, principal)

    def _answer(self, request: Request, principal: Principal) -> Response:
        code = request.query_params.get("size", "")
        email = request.query_params.get("email", "").strip() or None
        try:
            side = side_of(code)
            if side is None:
                raise EwsFault(INVALID_PHOTO_SIZE, f"size {code!r} is not a photo size code.")
            photo, rendition = self._people.photo(principal, email, side)
        except EwsFault as error:
            return fault_response(error, 403 if error.code == ACCESS_DENIED else 400)
        except NoPhoto:
            return Response(status_code=404, headers={"Cache-Control": "no-store"})
        read = self._services.photos.read
        return photo_response(
            request, rendition, photo.created_at, self._policy, read, caller=principal
        )
