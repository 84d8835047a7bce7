"""The client-address budget, spent once per request where a dialect first sees the caller.

Dialects answer a spent budget (the core's RateLimited) in their own error shape; the
handler here is the fallback for routes without one (photo links, avatars, image files):
a plain 429 with Retry-After.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from userphoto.core.auth import AuthService
from userphoto.core.errors import RateLimited


def client_address(request: Request) -> str | None:
    """The peer's address (web.app puts a trusted proxy's X-Forwarded-For client here)."""
    client = request.scope.get("client")
    return client[0] if client else None


def check_client(request: Request, auth: AuthService) -> None:
    auth.limits.check_client(client_address(request))


def retry_after(error: RateLimited) -> dict[str, str]:
    return {"Retry-After": str(error.retry_after)}


async def rate_limited(_: Request, error: Exception) -> Response:
    headers = retry_after(error) if isinstance(error, RateLimited) else {}
    return PlainTextResponse(
        "Too Many Requests", status_code=429, headers={"Cache-Control": "no-store", **headers}
    )
