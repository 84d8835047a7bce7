"""The DocSpace routes: people records, the five photo endpoints, login, image files."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from userphoto.config import Settings
from userphoto.core.services import Services
from userphoto.dialects.docspace.access import Access
from userphoto.dialects.docspace.authentication import Authentication
from userphoto.dialects.docspace.avatars import ROOT, STATIC, TEMP
from userphoto.dialects.docspace.endpoint import api_route
from userphoto.dialects.docspace.files import PhotoFiles
from userphoto.dialects.docspace.people import PeopleEndpoints
from userphoto.dialects.docspace.photos import PhotoEndpoints

API = "/api/2.0"
PHOTO = API + "/people/{userid}/photo"
DEFAULT_AVATAR_STYLES = frozenset({"silhouette", "initials"})


def routes(services: Services, settings: Settings) -> list[BaseRoute]:
    if settings.docspace_default_avatar not in DEFAULT_AVATAR_STYLES:
        raise ValueError(f"docspace_default_avatar must be one of {sorted(DEFAULT_AVATAR_STYLES)}")
    access = Access(settings.docspace_view_rule)
    people = PeopleEndpoints(services, settings, access)
    photos = PhotoEndpoints(services, settings, access)
    files = PhotoFiles(services, settings, access)
    auth = services.auth
    return [
        Route(API + "/authentication", Authentication(auth).login, methods=["POST"]),
        # Literal segments first: they win over {userid}, as in DocSpace.
        api_route(API + "/people/@self", "GET", people.me, auth),
        api_route(API + "/people/email", "GET", people.by_email, auth),
        api_route(API + "/people", "GET", people.list, auth),
        api_route(API + "/people/{userid}", "GET", people.by_id, auth),
        api_route(PHOTO, "GET", photos.get, auth),
        api_route(
            PHOTO, "POST", photos.upload, auth, upload_limit=settings.docspace_max_upload_bytes
        ),
        api_route(PHOTO, "PUT", photos.update, auth),
        api_route(PHOTO, "DELETE", photos.delete, auth),
        api_route(PHOTO + "/thumbnails", "POST", photos.thumbnails, auth),
        Route(ROOT + "/{name}", files.stored, methods=["GET", "HEAD"]),
        Route(TEMP + "/{name}", files.staged, methods=["GET", "HEAD"]),
        Route(STATIC + "/{name}", files.default, methods=["GET", "HEAD"]),
    ]
