"""`POST /EWS/Exchange.asmx`: GetUserPhoto and SetUserPhoto, dispatched on the body's root."""

from __future__ import annotations

from collections.abc import Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from userphoto.config import Settings
from userphoto.core.errors import RateLimited, StoreUnavailable
from userphoto.core.model import Principal
from userphoto.core.services import Services
from userphoto.dialects.ews.envelopes import envelope, get_photo_response, set_photo_response
from userphoto.dialects.ews.faults import (
    INVALID_REQUEST,
    SCHEMA_VALIDATION,
    SERVER_BUSY,
    EwsFault,
    NoPhoto,
)
from userphoto.dialects.ews.parsing import SoapRequest, parse_request
from userphoto.dialects.ews.people import People
from userphoto.dialects.ews.responses import (
    fault_response,
    throttled_response,
    unauthorized,
    xml_response,
)
from userphoto.dialects.ews.sizes import side_of
from userphoto.web.auth import request_principal
from userphoto.web.bodies import bounded_body
from userphoto.web.photos import CachePolicy, cache_headers, is_not_modified
from userphoto.web.unavailable import RETRY_AFTER

_PHOTO_TYPES = frozenset({"UserPhoto", "ProfileHeaderPhoto"})

Operation = Callable[[Request, Principal, SoapRequest], Response]


class SoapEndpoint:
    def __init__(self, services: Services, settings: Settings) -> None:
        self._services = services
        self._people = People(services)
        self._max_body = settings.ews_max_body_bytes
        self._version = settings.ews_server_version
        self._policy = CachePolicy.id_url(settings.photo_max_age, private=True)
        self._operations: dict[str, Operation] = {
            "GetUserPhoto": self._get_user_photo,
            "SetUserPhoto": self._set_user_photo,
        }

    async def handle(self, request: Request) -> Response:
        try:
            return await self._handle(request)
        except StoreUnavailable:
            response = fault_response(
                EwsFault(
                    SERVER_BUSY,
                    "The server cannot service this request right now. Try again later.",
                ),
                503,
            )
            response.headers["Retry-After"] = RETRY_AFTER
            return response
        except RateLimited as error:
            # HTTP 500, as Exchange throttles: exchangelib reads a fault's BackOffMilliseconds
            # only from a 500 and gives up on a 429 without retrying.
            return throttled_response(error, 500)

    async def _handle(self, request: Request) -> Response:
        principal = await run_in_threadpool(request_principal, request, self._services.auth)
        if principal is None:
            return unauthorized()
        body = await bounded_body(request, self._max_body)
        if body is None:
            message = f"The request body is larger than {self._max_body} bytes."
            return fault_response(EwsFault(INVALID_REQUEST, message), 413)
        return await run_in_threadpool(self._answer, request, principal, body)

    def _answer(self, request: Request, principal: Principal, body: bytes) -> Response:
        try:
            soap = parse_request(body)
            operation = self._operations.get(soap.name)
            if operation is None:
                raise EwsFault(INVALID_REQUEST, f"The operation {soap.name} is not supported.")
            return operation(request, principal, soap)
        except EwsFault as error:
            return fault_response(error, 500)
        except NoPhoto:
            # EWS clients read the 404 itself; the body is the empty answer gromox also sends.
            return self._envelope(get_photo_response(True, b"", ""), 404)

    def _get_user_photo(
        self, request: Request, principal: Principal, soap: SoapRequest
    ) -> Response:
        email = _required(soap, "Email")
        code = _required(soap, "SizeRequested")
        side = side_of(code)
        if side is None:
            raise EwsFault(SCHEMA_VALIDATION, f"SizeRequested {code!r} is not a UserPhotoSizeType.")
        kind = soap.text("TypeRequested")
        if kind is not None and kind not in _PHOTO_TYPES:
            raise EwsFault(SCHEMA_VALIDATION, f"TypeRequested {kind!r} is not a UserPhotoTypeType.")
        photo, rendition = self._people.photo(principal, email, side)
        headers = cache_headers(rendition.blob_key, photo.created_at, self._policy)
        if is_not_modified(request, rendition.blob_key, photo.created_at):
            return self._envelope(get_photo_response(False, b"", ""), 200, headers)
        data = self._services.photos.read(rendition)
        return self._envelope(get_photo_response(True, data, rendition.media_type), 200, headers)

    def _set_user_photo(self, _: Request, principal: Principal, soap: SoapRequest) -> Response:
        self._people.set_photo(principal, _required(soap, "Email"), _required(soap, "Content"))
        return self._envelope(set_photo_response(), 200, {"Cache-Control": "no-store"})

    def _envelope(self, body: str, status: int, headers: dict[str, str] | None = None) -> Response:
        return xml_response(envelope(body, self._version), status, headers)


def _required(soap: SoapRequest, element: str) -> str:
    value = soap.text(element)
    if value is None:
        raise EwsFault(SCHEMA_VALIDATION, f"{soap.name} lacks its required element m:{element}.")
    return value
