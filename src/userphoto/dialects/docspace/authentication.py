"""`POST /api/2.0/authentication`: a login token for a user name (or e-mail) and password.

The token is handed back in the body and as the `asc_auth_key` cookie; either one then
authenticates requests (see `auth`).
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from userphoto.core.auth import AuthService
from userphoto.core.errors import RateLimited
from userphoto.dialects.docspace.auth import COOKIE_NAME
from userphoto.dialects.docspace.envelope import (
    Reply,
    error,
    success,
    too_many_requests,
    validation_failure,
)
from userphoto.dialects.docspace.errors import ValidationFailed
from userphoto.dialects.docspace.requests import (
    MAX_JSON_BYTES,
    json_object,
    optional_bool,
    optional_string,
)
from userphoto.web.bodies import bounded_body
from userphoto.web.ratelimit import check_client, client_address

AUTHENTICATION_FAILED = "User authentication failed"
_FIELDS = {
    "userName": optional_string,
    "password": optional_string,
    "culture": optional_string,
    "session": optional_bool,
}


class Authentication:
    def __init__(self, auth: AuthService) -> None:
        self._auth = auth

    async def login(self, request: Request) -> Response:
        try:
            check_client(request, self._auth)
            values = json_object(await bounded_body(request, MAX_JSON_BYTES), _FIELDS)
            token = await run_in_threadpool(
                self._token,
                values.get("userName") or "",
                values.get("password") or "",
                client_address(request),
            )
        except ValidationFailed as exc:
            return validation_failure(request, exc.errors)
        except RateLimited as exc:
            return too_many_requests(exc)
        if token is None:
            return error(401, AUTHENTICATION_FAILED)
        response = success(request, Reply({"token": token, "sms": False, "tfa": False}))
        secure = request.url.scheme == "https"
        response.set_cookie(COOKIE_NAME, token, httponly=True, secure=secure, samesite="lax")
        return response

    def _token(self, login: str, password: str, client: str | None) -> str | None:
        principal = self._auth.login(login, password, client) if login and password else None
        return self._auth.open_session(principal) if principal else None
