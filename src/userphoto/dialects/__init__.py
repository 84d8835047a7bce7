"""Wire dialects. Each package exposes `routes(services, settings) -> list[BaseRoute]`.

Adding a dialect means adding a package and naming it here.
"""

from __future__ import annotations

import importlib

from starlette.routing import BaseRoute

from userphoto.config import Settings
from userphoto.core.services import Services
from userphoto.web import convertors

# Before any dialect compiles a route: `{n:int}` must not crash on a 5000-digit segment.
convertors.register()

REGISTERED: tuple[str, ...] = (
    "onoffice",
    "ews",
    "docspace",
    "graph",
    "gravatar",
    "admin",
    "native",
)


def all_routes(services: Services, settings: Settings) -> list[BaseRoute]:
    routes: list[BaseRoute] = []
    for name in REGISTERED:
        module = importlib.import_module(f"userphoto.dialects.{name}")
        routes.extend(module.routes(services, settings))
    return routes
