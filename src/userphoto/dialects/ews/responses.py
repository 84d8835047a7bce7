"""Starlette responses shared by both EWS transports."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.responses import Response

from userphoto.core.errors import RateLimited
from userphoto.dialects.ews.envelopes import XML_CONTENT_TYPE, fault
from userphoto.dialects.ews.faults import EwsFault, throttled
from userphoto.web.auth import CHALLENGE
from userphoto.web.ratelimit import retry_after


def xml_response(
    body: bytes, status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    return Response(
        body, status_code=status, headers={**(headers or {}), "Content-Type": XML_CONTENT_TYPE}
    )


def fault_response(error: EwsFault, status: int) -> Response:
    return xml_response(fault(error), error.status or status, {"Cache-Control": "no-store"})


def throttled_response(error: RateLimited, status: int) -> Response:
    response = fault_response(throttled(error.retry_after), status)
    response.headers.update(retry_after(error))
    return response


def unauthorized() -> Response:
    """What IIS sends in front of Exchange: a bare 401 and the schemes to retry with."""
    return Response(status_code=401, headers={"WWW-Authenticate": CHALLENGE})
