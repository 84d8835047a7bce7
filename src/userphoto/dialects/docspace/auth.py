"""Who is calling (protocol notes §6): API key, Basic e-mail and password, or a login token.

A token comes from `POST /api/2.0/authentication`, as the `asc_auth_key` cookie or as the
raw `Authorization` value; `Bearer sk-…` is a personal API key, any other Bearer value is a
token too, as DocSpace's cookie handler strips the word.
"""

from __future__ import annotations

import base64
import binascii

from starlette.requests import Request

from userphoto.core.auth import API_KEY_PREFIX, AuthService
from userphoto.core.model import Principal

COOKIE_NAME = "asc_auth_key"


def authenticate(auth: AuthService, request: Request) -> Principal | None:
    header = request.headers.get("authorization", "").strip()
    if not header:
        token = request.cookies.get(COOKIE_NAME, "").strip()
        return auth.by_session(token) if token else None
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "basic":
        return _basic(auth, value.strip())
    if scheme.lower() == "bearer":
        header = value.strip()
    if header.startswith(API_KEY_PREFIX):
        return auth.by_key(header)
    return auth.by_session(header) if header else None


def used_basic(request: Request) -> bool:
    return request.headers.get("authorization", "").lower().startswith("basic ")


def _basic(auth: AuthService, encoded: str) -> Principal | None:
    try:
        decoded = base64.b64decode(encoded, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    login, sep, password = decoded.partition(":")
    if not sep or not login:
        return None
    return auth.login(login, password)
