"""Who is calling (protocol notes §6): API key, Basic e-mail and password, or a login token.

A token comes from `POST /api/2.0/authentication`, as the `asc_auth_key` cookie or as the
raw `Authorization` value; `Bearer sk-…` is a personal API key, any other Bearer value is a
token too, as DocSpace's cookie handler strips the word.
"""

from __future__ import annotations

from starlette.requests import Request

from userphoto.core.auth import API_KEY_PREFIX, AuthService
from userphoto.core.model import Principal
from userphoto.web.auth import basic_principal
from userphoto.web.ratelimit import check_client, client_address

COOKIE_NAME = "asc_auth_key"


def authenticate(auth: AuthService, request: Request) -> Principal | None:
    """The caller, or None; RateLimited when the address, key or account has no budget left."""
    check_client(request, auth)
    header = request.headers.get("authorization", "").strip()
    if not header:
        token = request.cookies.get(COOKIE_NAME, "").strip()
        return auth.by_session(token) if token else None
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "basic":
        return basic_principal(value.strip(), auth, client_address(request))
    if scheme.lower() == "bearer":
        header = value.strip()
    if header.startswith(API_KEY_PREFIX):
        return auth.by_key(header)
    return auth.by_session(header) if header else None


def used_basic(request: Request) -> bool:
    return request.headers.get("authorization", "").lower().startswith("basic ")
