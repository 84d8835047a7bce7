"""The admin routes, its static assets, and `/` sending a browser to the admin pages."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from userphoto.config import Settings
from userphoto.core.services import Services
from userphoto.dialects.admin.api_users import ApiUserPages
from userphoto.dialects.admin.cookies import Cookies
from userphoto.dialects.admin.directory import DirectoryPages
from userphoto.dialects.admin.gate import Gate
from userphoto.dialects.admin.keys import KeyPages
from userphoto.dialects.admin.person import PersonPages
from userphoto.dialects.admin.rendering import Renderer
from userphoto.dialects.admin.session import SessionPages

PERSON = "/admin/people/{number:int}"


async def home(_: Request) -> Response:
    return RedirectResponse("/admin", status_code=307)


def routes(services: Services, settings: Settings) -> list[BaseRoute]:
    cookies = Cookies(settings)
    renderer = Renderer(cookies)
    gate = Gate(services, renderer)
    session = SessionPages(services, cookies, renderer, gate)
    directory = DirectoryPages(services, settings, renderer)
    person = PersonPages(services, settings, renderer)
    keys = KeyPages(services, renderer)
    api_users = ApiUserPages(services, renderer)
    upload_limit = settings.max_upload_bytes
    return [
        Route("/", home, methods=["GET"]),
        Route("/admin", gate.page(directory.grid), methods=["GET"]),
        Route("/admin/login", session.login_form, methods=["GET"]),
        Route("/admin/login", session.login, methods=["POST"]),
        Route("/admin/logout", session.logout, methods=["POST"]),
        Route(PERSON, gate.page(person.show), methods=["GET"]),
        Route(PERSON + "/photo", gate.page(person.upload, upload_limit), methods=["POST"]),
        Route(PERSON + "/crop", gate.page(person.crop), methods=["POST"]),
        Route(PERSON + "/delete-photo", gate.page(person.delete), methods=["POST"]),
        Route(PERSON + "/restore", gate.page(person.restore), methods=["POST"]),
        Route(PERSON + "/photo/{size}", gate.page(directory.photo), methods=["GET"]),
        Route(
            PERSON + "/versions/{photo_id:int}/{size}",
            gate.page(directory.version),
            methods=["GET"],
        ),
        Route("/admin/keys", gate.page(keys.show), methods=["GET"]),
        Route("/admin/keys", gate.page(keys.create), methods=["POST"]),
        Route("/admin/keys/{key_id:int}/revoke", gate.page(keys.revoke), methods=["POST"]),
        Route("/admin/api-users", gate.page(api_users.show), methods=["GET"]),
        Route("/admin/api-users", gate.page(api_users.create), methods=["POST"]),
        Route(
            "/admin/api-users/{api_user_id:int}/revoke",
            gate.page(api_users.revoke),
            methods=["POST"],
        ),
        Mount(
            "/admin/static",
            StaticFiles(packages=[("userphoto.dialects.admin", "static")]),
            name="admin-static",
        ),
    ]
