"""HTTP routes of the EWS dialect, matched case-insensitively as IIS does."""

from __future__ import annotations

from starlette.routing import BaseRoute, Match, Route
from starlette.types import Scope

from userphoto.config import Settings
from userphoto.core.services import Services
from userphoto.dialects.ews.rest import RestEndpoint
from userphoto.dialects.ews.soap import SoapEndpoint

SOAP_PATH = "/ews/exchange.asmx"
REST_PATH = "/ews/exchange.asmx/s/getuserphoto"


class CaselessRoute(Route):
    """A route whose (lower-case) path matches a request path in any letter case."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http":
            return super().matches(scope)
        lowered = {**scope, "path": scope["path"].lower()}
        lowered["root_path"] = scope.get("root_path", "").lower()
        return super().matches(lowered)


def routes(services: Services, settings: Settings) -> list[BaseRoute]:
    return [
        CaselessRoute(SOAP_PATH, SoapEndpoint(services, settings).handle, methods=["POST"]),
        CaselessRoute(REST_PATH, RestEndpoint(services, settings).handle, methods=["GET"]),
    ]
