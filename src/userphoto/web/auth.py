"""HTTP credentials any dialect accepts: Basic (e-mail or user name + password), Bearer API key."""

from __future__ import annotations

import base64
import binascii

from starlette.requests import Request

from userphoto.core.auth import AuthService
from userphoto.core.model import Principal
from userphoto.web.ratelimit import check_client, client_address

REALM = "userphoto"
# One header value listing both schemes: clients pick the first they support.
CHALLENGE = f'Basic realm="{REALM}", Bearer realm="{REALM}"'


def request_principal(request: Request, auth: AuthService) -> Principal | None:
    """The caller the Authorization header proves; None when it is absent or wrong.

    RateLimited when the client address, the key or (Basic) the account has no budget left.
    """
    check_client(request, auth)
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    credentials = credentials.strip()
    if scheme.lower() == "basic":
        return basic_principal(credentials, auth, client_address(request))
    if scheme.lower() == "bearer" and credentials:
        return auth.by_key(credentials)
    return None


def basic_principal(
    credentials: str, auth: AuthService, client: str | None = None
) -> Principal | None:
    """The user a Basic `base64(login:password)` value names, if the password matches."""
    try:
        decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    login, separator, password = decoded.partition(":")
    if not separator or not login:
        return None
    return auth.login(login, password, client)
