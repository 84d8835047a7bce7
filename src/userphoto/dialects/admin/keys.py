"""API keys: create (the secret is shown once, on the answer to the create form), list, revoke."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from userphoto.core.errors import NotFound
from userphoto.core.model import Principal, Scope
from userphoto.core.services import Services
from userphoto.dialects.admin.gate import form_text
from userphoto.dialects.admin.rendering import Renderer

MAX_NAME_LENGTH = 100
SCOPE_VALUES = frozenset(s.value for s in Scope)


class KeyPages:
    def __init__(self, services: Services, renderer: Renderer) -> None:
        self._services = services
        self._renderer = renderer

    def show(self, request: Request, principal: Principal, _: FormData | None) -> Response:
        revoked = request.query_params.get("notice") == "revoked"
        return self._page(request, principal, notice="The key is revoked." if revoked else None)

    def create(self, request: Request, principal: Principal, form: FormData | None) -> Response:
        name = form_text(form, "name").strip()
        owner = form_text(form, "owner").strip() or principal.user.username
        chosen = form.getlist("scopes") if form else []
        scopes = {Scope(s) for s in chosen if s in SCOPE_VALUES}
        if not name or len(name) > MAX_NAME_LENGTH:
            return self._page(request, principal, error="Give the key a name (up to 100 chars).")
        try:
            user = self._services.directory.resolve_user(owner)
        except NotFound:
            return self._page(request, principal, error=f"No user {owner!r}.")
        key, secret = self._services.auth.create_key(user.number, name, scopes)
        return self._page(request, principal, created=key, secret=secret)

    def revoke(self, request: Request, _: Principal, __: FormData | None) -> Response:
        self._services.auth.revoke_key(request.path_params["key_id"])
        return RedirectResponse("/admin/keys?notice=revoked", status_code=303)

    def _page(self, request: Request, principal: Principal, **extra: Any) -> Response:
        keys = self._services.auth.keys()
        owners = {k.user_number for k in keys}
        names = {n: self._services.directory.user(n).username for n in owners if self._exists(n)}
        context = {
            "keys": keys,
            "owners": names,
            "scopes": list(Scope),
            "notice": None,
            "error": None,
            "created": None,
            "secret": None,
            **extra,
        }
        status = 400 if extra.get("error") else 200
        return self._renderer.page(request, "keys.html", context, principal, status)

    def _exists(self, number: int) -> bool:
        try:
            self._services.directory.user(number)
        except NotFound:
            return False
        return True
