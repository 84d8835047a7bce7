"""HTML pages from the package's Jinja2 templates, with the headers every admin page carries.

Jinja2 is loaded with the first page, not at startup: a worker that serves only photos never
renders one.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from userphoto.core.model import Principal
from userphoto.dialects.admin.cookies import CSRF_FIELD, Cookies, csrf_token

if TYPE_CHECKING:
    from starlette.templating import Jinja2Templates

# The security headers (CSP, framing, referrer) come from web.security for all of /admin.
PAGE_HEADERS = {"Cache-Control": "no-store"}


class Renderer:
    def __init__(self, cookies: Cookies) -> None:
        self._cookies = cookies

    @cached_property
    def _templates(self) -> Jinja2Templates:
        from jinja2 import Environment, PackageLoader, select_autoescape
        from starlette.templating import Jinja2Templates

        environment = Environment(
            loader=PackageLoader("userphoto.dialects.admin", "templates"),
            autoescape=select_autoescape(default=True),
        )
        return Jinja2Templates(env=environment)

    def page(
        self,
        request: Request,
        name: str,
        context: dict[str, Any],
        principal: Principal | None = None,
        status_code: int = 200,
    ) -> Response:
        token, is_new = csrf_token(request)
        response = self._templates.TemplateResponse(
            request,
            name,
            {**context, "csrf_field": CSRF_FIELD, "csrf_token": token, "principal": principal},
            status_code=status_code,
            headers=PAGE_HEADERS,
        )
        if is_new:
            self._cookies.set_csrf(response, token)
        return response

    def problem(
        self, request: Request, status_code: int, title: str, principal: Principal | None = None
    ) -> Response:
        return self.page(request, "problem.html", {"title": title}, principal, status_code)
