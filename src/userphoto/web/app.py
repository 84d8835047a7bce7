"""The ASGI application: the registered dialects' routes over one set of services."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from userphoto import __version__
from userphoto.bootstrap import open_services
from userphoto.config import Settings
from userphoto.core.errors import RateLimited, StoreUnavailable
from userphoto.core.services import Services
from userphoto.dialects import all_routes
from userphoto.web.imagecache import image_fast_path
from userphoto.web.logs import settings_summary
from userphoto.web.ratelimit import rate_limited
from userphoto.web.security import security_middleware
from userphoto.web.unavailable import store_unavailable

log = logging.getLogger("userphoto.web")


async def health(_: Request) -> JSONResponse:
    return JSONResponse({"status": "ok", "version": __version__})


def create_app(settings: Settings | None = None, services: Services | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    services = services or open_services(settings)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        log.debug("settings: %s", settings_summary(settings))
        yield
        services.close()

    app = Starlette(
        routes=[Route("/healthz", health), *all_routes(services, settings)],
        lifespan=lifespan,
        exception_handlers={StoreUnavailable: store_unavailable, RateLimited: rate_limited},
        middleware=[*security_middleware(settings), *image_fast_path(services)],
    )
    app.state.services = services
    app.state.settings = settings
    return app


def app_from_env() -> Starlette:
    """Factory for `uvicorn --factory`, used by `userphoto serve --workers N`."""
    return create_app(Settings.from_env())
