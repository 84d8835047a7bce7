"""RFC 9457 problem documents: the one error shape of the native API."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from userphoto.core.errors import (
    Conflict,
    ImageTooLarge,
    InvalidImage,
    InvalidQuery,
    NotFound,
    RateLimited,
    StorageFull,
    StoreReadOnly,
    StoreUnavailable,
    UserPhotoError,
)
from userphoto.web.auth import CHALLENGE
from userphoto.web.unavailable import RETRY_AFTER

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://userphoto.invalid/problems/"

# Each status the API answers with, and the title every problem of that status carries.
TITLES: dict[int, str] = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    429: "Too Many Requests",
    503: "Service Unavailable",
    507: "Insufficient Storage",
}


class Problem(Exception):
    """An answer other than success; `kind` is the last part of the problem type URI."""

    def __init__(self, status: int, kind: str, detail: str, retry_after: str = "") -> None:
        super().__init__(detail)
        self.status = status
        self.kind = kind
        self.detail = detail
        self.retry_after = retry_after


def from_core(error: UserPhotoError) -> Problem:
    """The problem a core error means to an API caller."""
    if isinstance(error, NotFound):
        return Problem(404, "not-found", str(error))
    if isinstance(error, Conflict):
        return Problem(409, "conflict", str(error))
    if isinstance(error, ImageTooLarge):
        return Problem(413, error.reason, str(error))
    if isinstance(error, InvalidImage):
        status = 415 if error.reason == "unknown-format" else 422
        return Problem(status, error.reason, str(error))
    if isinstance(error, InvalidQuery):
        return Problem(422, "invalid-value", str(error))
    if isinstance(error, StorageFull):
        return Problem(507, "storage-full", "the directory store has no room for the change")
    if isinstance(error, StoreReadOnly):
        detail = "the directory store takes no writes at the moment; reads go on"
        return Problem(503, "store-read-only", detail, RETRY_AFTER)
    if isinstance(error, StoreUnavailable):
        detail = "the directory store cannot be reached"
        return Problem(503, "store-unavailable", detail, RETRY_AFTER)
    if isinstance(error, RateLimited):
        return Problem(429, "rate-limited", str(error), str(error.retry_after))
    return Problem(422, "invalid-request", str(error))


def problem_response(request: Request, problem: Problem) -> JSONResponse:
    body: dict[str, Any] = {
        "type": TYPE_BASE + problem.kind,
        "title": TITLES[problem.status],
        "status": problem.status,
        "detail": problem.detail,
        "instance": request.url.path,
    }
    headers = {"Cache-Control": "no-store"}
    if problem.status == 401:
        headers["WWW-Authenticate"] = CHALLENGE
    if problem.retry_after:
        headers["Retry-After"] = problem.retry_after
    return JSONResponse(body, status_code=problem.status, headers=headers, media_type=MEDIA_TYPE)
