"""Graph's error body: `{"error": {"code", "message", "innerError": {...}}}`."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import JSONResponse

from userphoto.web.auth import CHALLENGE
from userphoto.web.unavailable import RETRY_AFTER

# The codes Graph uses for these cases (see the protocol notes); clients match on them.
PHOTO_NOT_FOUND = "ErrorEntityNotFound"
USER_NOT_FOUND = "Request_ResourceNotFound"
ACCESS_DENIED = "Authorization_RequestDenied"
INVALID_REQUEST = "invalidRequest"
TOO_LARGE = "RequestBodyTooLarge"
UNAUTHENTICATED = "InvalidAuthenticationToken"
SERVICE_NOT_AVAILABLE = "serviceNotAvailable"


class GraphError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


UNAVAILABLE = GraphError(
    503, SERVICE_NOT_AVAILABLE, "The service is temporarily unavailable. Try again later."
)


def error_response(request: Request, error: GraphError) -> JSONResponse:
    inner = {
        "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
        "request-id": str(uuid.uuid4()),
        "client-request-id": request.headers.get("client-request-id", ""),
    }
    headers = {"Cache-Control": "no-store"}
    if error.status == 401:
        headers["WWW-Authenticate"] = CHALLENGE
    if error.status == 503:
        headers["Retry-After"] = RETRY_AFTER
    body = {"error": {"code": error.code, "message": error.message, "innerError": inner}}
    return JSONResponse(body, status_code=error.status, headers=headers)
