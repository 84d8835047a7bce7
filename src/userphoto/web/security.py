"""Security headers on what browsers show, and CORS only for the origins the settings name.

The admin pages and Swagger UI get a Content-Security-Policy, framing denied, a referrer
policy and no powerful browser features; every response gets `nosniff`, and HSTS when the
service is reached over https. Without USERPHOTO_CORS_ALLOWED_ORIGINS no response carries
any Access-Control-* header, so browsers keep other sites' scripts out of the API.
"""

from __future__ import annotations

import re

from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from userphoto.config import Settings

_FRAMING_AND_BASE = "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
# Every admin script, style and image is served by userphoto; uploads preview as blob: URLs.
ADMIN_CSP = f"default-src 'self'; img-src 'self' data: blob:; {_FRAMING_AND_BASE}"
# Swagger UI draws its icons as data: images; it styles through the DOM, not inline code.
DOCS_CSP = f"default-src 'self'; img-src 'self' data:; {_FRAMING_AND_BASE}"
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
HSTS = "max-age=31536000"
# Paths of pages a person looks at in a browser; "/" only redirects to /admin.
_ADMIN_PREFIX = "/admin"
_DOCS_PREFIX = "/docs"
_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(:\d{1,5})?$")
# What a browser script may read of an answer beyond the CORS-safelisted headers.
_EXPOSED = ["ETag", "Retry-After", "WWW-Authenticate", "X-Avatar-Size", "Location"]
_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]

Headers = list[tuple[bytes, bytes]]


def _encoded(pairs: dict[str, str]) -> Headers:
    return [(name.lower().encode(), value.encode()) for name, value in pairs.items()]


def page_headers(csp: str) -> dict[str, str]:
    return {
        "Content-Security-Policy": csp,
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "same-origin",
        "Permissions-Policy": PERMISSIONS_POLICY,
    }


class ResponseHeaders:
    """The security headers a response to a request carries, built once per kind of page."""

    def __init__(self, https: bool) -> None:
        common = {"X-Content-Type-Options": "nosniff"}
        self._common = _encoded(common)
        self._common_https = _encoded({**common, "Strict-Transport-Security": HSTS})
        self._admin = _encoded(page_headers(ADMIN_CSP))
        self._docs = _encoded(page_headers(DOCS_CSP))
        self._https = https

    def for_scope(self, scope: Scope) -> Headers:
        https = self._https or scope.get("scheme") == "https"
        common = self._common_https if https else self._common
        path: str = scope["path"]
        if path == "/" or _under(path, _ADMIN_PREFIX):
            return common + self._admin
        if _under(path, _DOCS_PREFIX):
            return common + self._docs
        return common


class SecurityHeaders:
    """Pure ASGI middleware: adds headers to the response start, replacing same-named ones."""

    def __init__(self, app: ASGIApp, headers: ResponseHeaders) -> None:
        self._app = app
        self._headers = headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        extra = self._headers.for_scope(scope)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = _merged(message.get("headers", []), extra)
            await send(message)

        await self._app(scope, receive, send_with_headers)


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + "/")


def _merged(headers: Headers, extra: Headers) -> Headers:
    replaced = {name for name, _ in extra}
    return [(n, v) for n, v in headers if n.lower() not in replaced] + extra


def allowed_origins(setting: str) -> list[str]:
    origins = [origin.strip().rstrip("/") for origin in setting.split(",") if origin.strip()]
    for origin in origins:
        if origin != "*" and not _ORIGIN.match(origin):
            raise ValueError(
                f"USERPHOTO_CORS_ALLOWED_ORIGINS: {origin!r} is not an origin like "
                "https://app.example.org"
            )
    return origins


def response_headers(settings: Settings) -> ResponseHeaders:
    return ResponseHeaders(https=settings.public_url.lower().startswith("https://"))


def security_middleware(settings: Settings, headers: ResponseHeaders) -> list[Middleware]:
    """The headers middleware, and CORS outside it only when origins are configured."""
    middleware = [Middleware(SecurityHeaders, headers=headers)]
    origins = allowed_origins(settings.cors_allowed_origins)
    if origins:
        # No credentials mode: cookies stay same-site; scripts send Authorization themselves.
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=origins,
                allow_methods=_METHODS,
                allow_headers=["*"],
                expose_headers=_EXPOSED,
                max_age=600,
            )
        )
    return middleware
