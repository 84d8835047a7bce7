"""HTTP routes: `api.php` under any version segment, and the photo links."""

from __future__ import annotations

import time
from collections.abc import Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from userphoto.config import Settings
from userphoto.core.errors import RateLimited, StoreUnavailable
from userphoto.core.services import Services
from userphoto.dialects.onoffice.endpoint import ApiEndpoint
from userphoto.dialects.onoffice.envelope import request_failure
from userphoto.dialects.onoffice.errors import Code, OnOfficeError
from userphoto.dialects.onoffice.photolinks import PhotoLinks
from userphoto.web.bodies import bounded_body
from userphoto.web.ratelimit import check_client, retry_after
from userphoto.web.unavailable import RETRY_AFTER

# Far above any real request (a few KB) and far below what would strain memory.
MAX_BODY_BYTES = 4 * 1024 * 1024


def routes(
    services: Services, settings: Settings, clock: Callable[[], float] = time.time
) -> list[BaseRoute]:
    api = ApiEndpoint(services, settings, clock)

    async def api_php(request: Request) -> Response:
        try:
            check_client(request, services.auth)
            body = await bounded_body(request, MAX_BODY_BYTES)
            if body is None:
                # What was read is a cut-off document, so this is the malformed-JSON case.
                payload = request_failure(OnOfficeError(Code.MALFORMED_JSON))
            else:
                # Repeated reads are answered from memory; the rest wait for the store.
                payload = api.answer_from_memory(body)
                if payload is None:
                    payload = await run_in_threadpool(api.answer, body)
        except StoreUnavailable:
            # Not one of the documented 200 answers: clients must retry, not cache or parse.
            failure = request_failure(OnOfficeError(Code.UNKNOWN_ERROR))
            return _json(failure, status_code=503, headers={"Retry-After": RETRY_AFTER})
        except RateLimited as error:
            # onOffice documents no rate-limit code (protocol notes §10, §13); 1 "Unknown
            # error occurred" is the generic transient one, and every client reads the
            # top-level status as a failure. 156 "Access violation" and 158 "Access from
            # this IP not allowed" would tell it its credentials or address are banned.
            failure = request_failure(OnOfficeError(Code.UNKNOWN_ERROR))
            return _json(failure, status_code=429, headers=retry_after(error))
        return _json(payload)

    return [
        # Clients send POST, the PyPI client GET with a JSON body; the version is free text.
        Route("/api/{version}/api.php", api_php, methods=["GET", "POST"]),
        PhotoLinks(services, settings).route(),
    ]


def _json(body: bytes, status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        body,
        status_code=status_code,
        media_type="application/json",
        headers={"Cache-Control": "no-store", **(headers or {})},
    )
