"""onOffice API users: create (token and secret shown once, on the answer to the form), list,
revoke. An API user signs onOffice requests; its rights say what it may read beyond the
user it is linked to."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from userphoto.core.model import Principal, Right
from userphoto.core.services import Services
from userphoto.dialects.admin.accounts import MAX_NAME_LENGTH, named_user, usernames, valid_name
from userphoto.dialects.admin.gate import form_text
from userphoto.dialects.admin.rendering import Renderer

PATH = "/admin/api-users"
RIGHT_VALUES = frozenset(r.value for r in Right)


class ApiUserPages:
    def __init__(self, services: Services, renderer: Renderer) -> None:
        self._services = services
        self._renderer = renderer

    def show(self, request: Request, principal: Principal, _: FormData | None) -> Response:
        revoked = request.query_params.get("notice") == "revoked"
        notice = "The API user is revoked." if revoked else None
        return self._page(request, principal, notice=notice)

    def create(self, request: Request, principal: Principal, form: FormData | None) -> Response:
        name = form_text(form, "name").strip()
        linked = form_text(form, "user").strip()
        chosen = form.getlist("rights") if form else []
        rights = {Right(r) for r in chosen if r in RIGHT_VALUES}
        if not valid_name(name):
            return self._page(
                request,
                principal,
                error=f"Give the API user a name (up to {MAX_NAME_LENGTH} chars).",
            )
        user = named_user(self._services, linked) if linked else None
        if linked and user is None:
            return self._page(request, principal, error=f"No user {linked!r}.")
        created = self._services.api_users.create(name, user.number if user else None, rights)
        return self._page(request, principal, created=created)

    def revoke(self, request: Request, _: Principal, __: FormData | None) -> Response:
        self._services.api_users.revoke(request.path_params["api_user_id"])
        return RedirectResponse(f"{PATH}?notice=revoked", status_code=303)

    def _page(self, request: Request, principal: Principal, **extra: Any) -> Response:
        api_users = self._services.api_users.list()
        linked = (a.user_number for a in api_users if a.user_number is not None)
        context = {
            "api_users": api_users,
            "linked": usernames(self._services, linked),
            "rights": list(Right),
            "notice": None,
            "error": None,
            "created": None,
            **extra,
        }
        status = 400 if extra.get("error") else 200
        return self._renderer.page(request, "api_users.html", context, principal, status)
