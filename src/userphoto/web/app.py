"""The ASGI application: the registered dialects' routes over one set of services."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import ASGIApp

from userphoto import __version__
from userphoto.bootstrap import open_services
from userphoto.config import Settings
from userphoto.core.errors import RateLimited, StoreUnavailable
from userphoto.core.services import Services
from userphoto.dialects import all_routes
from userphoto.web.imagecache import image_fast_path
from userphoto.web.logs import settings_summary
from userphoto.web.proxies import ForwardedHeaders, TrustedProxies
from userphoto.web.ratelimit import rate_limited
from userphoto.web.security import allowed_origins, response_headers, security_middleware
from userphoto.web.unavailable import store_unavailable

log = logging.getLogger("userphoto.web")


async def health(_: Request) -> JSONResponse:
    return JSONResponse({"status": "ok", "version": __version__})


class ServiceApp(Starlette):
    """Starlette with one ASGI layer, `front`, in front of its whole middleware stack."""

    def __init__(self, front: Callable[[ASGIApp], ASGIApp] | None, **options: Any) -> None:
        self._front = front
        super().__init__(**options)

    def build_middleware_stack(self) -> ASGIApp:
        stack = super().build_middleware_stack()
        return stack if self._front is None else self._front(stack)


def create_app(settings: Settings | None = None, services: Services | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    services = services or open_services(settings)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        log.debug("settings: %s", settings_summary(settings))
        log.info("worker ready to answer")
        yield
        services.close()
        log.info("worker shut down")

    headers = response_headers(settings)
    cors = bool(allowed_origins(settings.cors_allowed_origins))
    app = ServiceApp(
        front=image_fast_path(services, headers, cors),
        routes=[Route("/healthz", health), *all_routes(services, settings)],
        lifespan=lifespan,
        exception_handlers={StoreUnavailable: store_unavailable, RateLimited: rate_limited},
        middleware=security_middleware(settings, headers),
    )
    app.state.services = services
    app.state.settings = settings
    return app


def served_app(settings: Settings) -> ASGIApp:
    """What `userphoto serve` runs in each worker: the app, with the client address and scheme
    a trusted reverse proxy forwards (X-Forwarded-For, X-Forwarded-Proto) put in its scope."""
    return ForwardedHeaders(create_app(settings), TrustedProxies(settings.trusted_proxies))
