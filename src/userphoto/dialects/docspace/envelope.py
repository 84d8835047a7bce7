"""DocSpace's response envelopes (protocol notes §2): success, error and validation shapes.

Success is always HTTP 200 with `{response, count, total?, links, status, statusCode}` and
nulls left out at every level; errors carry `{error: {...}, status: 1, statusCode}` with the
real HTTP status. Statuses the real server answers outside its wrapper (401, scope 403,
415) have an empty body.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from userphoto.core.errors import RateLimited
from userphoto.web.ratelimit import retry_after
from userphoto.web.unavailable import RETRY_AFTER

JSON_TYPE = "application/json; charset=utf-8"
VALIDATION_TITLE = "One or more validation errors occurred."
VALIDATION_TYPE = "https://tools.ietf.org/html/rfc9110#section-15.5.1"


@dataclass(frozen=True, slots=True)
class Reply:
    """What an endpoint answers: the `response` value and, for lists, the paging numbers."""

    response: Any
    count: int | None = None
    total: int | None = None


def success(request: Request, reply: Reply) -> Response:
    count = reply.count if reply.count is not None else _default_count(reply.response)
    body = {
        "response": reply.response,
        "count": count,
        "total": reply.total,
        "links": _links(request),
        "status": 0,
        "statusCode": 200,
    }
    return _json(body, 200)


def error(status: int, message: str) -> Response:
    response = _json({"error": {"message": message}, "status": 1, "statusCode": status}, status)
    if status == 503:
        response.headers["Retry-After"] = RETRY_AFTER
    return response


def validation_failure(request: Request, errors: Mapping[str, list[str]]) -> Response:
    """ASP.NET's automatic 400, which DocSpace wraps in the success envelope with status 1."""
    problem = {
        "type": VALIDATION_TYPE,
        "title": VALIDATION_TITLE,
        "status": 400,
        "errors": dict(errors),
    }
    body = {
        "response": problem,
        "count": 1,
        "links": _links(request),
        "status": 1,
        "statusCode": 400,
    }
    return _json(body, 400)


def empty(status: int, headers: Mapping[str, str] | None = None) -> Response:
    return Response(status_code=status, headers=dict(headers or {}))


def too_many_requests(error: RateLimited) -> Response:
    """DocSpace's rate limiter answers outside the wrapper: 429, empty body (notes §2.3, §8)."""
    return empty(429, retry_after(error))


def without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


def _json(body: dict[str, Any], status: int) -> Response:
    return Response(
        orjson.dumps(without_nulls(body)),
        status_code=status,
        media_type=JSON_TYPE,
        headers={"Cache-Control": "no-store"},
    )


def _links(request: Request) -> list[dict[str, str]]:
    return [{"href": str(request.url), "action": request.method}]


def _default_count(response: Any) -> int:
    if response is None:
        return 0
    return len(response) if isinstance(response, list) else 1
