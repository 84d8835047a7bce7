"""The admin UI's cookies: the login session and the CSRF double-submit token.

Both are HttpOnly and SameSite=Strict, scoped to /admin, and Secure whenever the public
URL is https. The CSRF token is compared with the copy every form (or the X-CSRF-Token
header) sends back, so another site can neither read nor forge it.
"""

from __future__ import annotations

import hmac

from starlette.requests import Request
from starlette.responses import Response

from userphoto.config import Settings
from userphoto.core.secrets import random_string

SESSION_COOKIE = "userphoto_session"
CSRF_COOKIE = "userphoto_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
# Site-wide, so the native API (/api/v1) accepts the admin session too.
COOKIE_PATH = "/"
CSRF_TOKEN_LENGTH = 32


class Cookies:
    def __init__(self, settings: Settings) -> None:
        self._secure = settings.public_url.lower().startswith("https://")

    def set_session(self, response: Response, token: str) -> None:
        self._set(response, SESSION_COOKIE, token)

    def clear_session(self, response: Response) -> None:
        response.delete_cookie(
            SESSION_COOKIE,
            path=COOKIE_PATH,
            secure=self._secure,
            httponly=True,
            samesite="strict",
        )

    def set_csrf(self, response: Response, token: str) -> None:
        self._set(response, CSRF_COOKIE, token)

    def _set(self, response: Response, name: str, value: str) -> None:
        response.set_cookie(
            name, value, path=COOKIE_PATH, secure=self._secure, httponly=True, samesite="strict"
        )


def session_token(request: Request) -> str | None:
    return request.cookies.get(SESSION_COOKIE) or None


def csrf_token(request: Request) -> tuple[str, bool]:
    """The browser's CSRF token, and whether it is new (and so must be set as a cookie)."""
    existing = request.cookies.get(CSRF_COOKIE, "")
    if len(existing) == CSRF_TOKEN_LENGTH:
        return existing, False
    return random_string(CSRF_TOKEN_LENGTH), True


def csrf_matches(request: Request, sent: str | None) -> bool:
    """Whether the token a form or header sent equals the cookie's (compared in constant time)."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    sent = sent or request.headers.get(CSRF_HEADER, "")
    return len(cookie) == CSRF_TOKEN_LENGTH and hmac.compare_digest(cookie.encode(), sent.encode())
