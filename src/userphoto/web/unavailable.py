"""While the store is unreachable every request gets 503 and a hint when to come back.

Dialects answer in their own error shape where they have one; this handler is the
fallback for any route that lets the core's StoreUnavailable escape.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

RETRY_AFTER = "5"


async def store_unavailable(_: Request, __: Exception) -> Response:
    return PlainTextResponse(
        "Service Unavailable: the directory store cannot be reached",
        status_code=503,
        headers={"Retry-After": RETRY_AFTER},
    )
