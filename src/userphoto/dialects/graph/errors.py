"""Graph's error body: `{"error": {"code", "message", "innerError": {...}}}`."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import JSONResponse

from userphoto.core.errors import RateLimited, StorageFull, StoreUnavailable
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
TOO_MANY_REQUESTS = "TooManyRequests"


class GraphError(Exception):
    def __init__(self, status: int, code: str, message: str, retry_after: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.retry_after = retry_after


def throttled(error: RateLimited) -> GraphError:
    """Graph's throttling answer: 429 TooManyRequests with Retry-After (its throttling page)."""
    message = "Too many requests. Wait for the Retry-After seconds before trying again."
    return GraphError(429, TOO_MANY_REQUESTS, message, str(error.retry_after))


UNAVAILABLE = GraphError(
    503,
    SERVICE_NOT_AVAILABLE,
    "The service is temporarily unavailable. Try again later.",
    RETRY_AFTER,
)
QUOTA_REACHED = GraphError(
    507, "quotaLimitReached", "Insufficient storage: the photo cannot be saved right now."
)


def unavailable(error: StoreUnavailable) -> GraphError:
    """A full store is Graph's 507 quotaLimitReached; anything else its 503."""
    return QUOTA_REACHED if isinstance(error, StorageFull) else UNAVAILABLE


def error_response(request: Request, error: GraphError) -> JSONResponse:
    inner = {
        "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
        "request-id": str(uuid.uuid4()),
        "client-request-id": request.headers.get("client-request-id", ""),
    }
    headers = {"Cache-Control": "no-store"}
    if error.status == 401:
        headers["WWW-Authenticate"] = CHALLENGE
    if error.retry_after:
        headers["Retry-After"] = error.retry_after
    body = {"error": {"code": error.code, "message": error.message, "innerError": inner}}
    return JSONResponse(body, status_code=error.status, headers=headers)
