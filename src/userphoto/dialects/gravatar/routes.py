"""The Gravatar/Libravatar route, public like theirs: the hash is the only key."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from userphoto.config import Settings
from userphoto.core.services import Services
from userphoto.dialects.gravatar.avatars import Avatars


def routes(services: Services, settings: Settings) -> list[BaseRoute]:
    return [Route("/avatar/{hash}", Avatars(services, settings).serve, methods=["GET"])]
