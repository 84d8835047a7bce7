"""API keys: create (the secret is shown once, on the answer to the create form), list, revoke."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from userphoto.core.model import Principal, Scope
from userphoto.core.services import Services
from userphoto.dialects.admin.accounts import MAX_NAME_LENGTH, named_user, usernames, valid_name
from userphoto.dialects.admin.gate import form_text
from userphoto.dialects.admin.rendering import Renderer

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
        owner = form_text(form, "owner").strip() or str(principal.user.number)
        chosen = form.getlist("scopes") if form else []
        scopes = {Scope(s) for s in chosen if s in SCOPE_VALUES}
        if not valid_name(name):
            return self._page(
                request, principal, error=f"Give the key a name (up to {MAX_NAME_LENGTH} chars)."
            )
        user = named_user(self._services, owner)
        if user is None:
            return self._page(request, principal, error=f"No user {owner!r}.")
        key, secret = self._services.auth.create_key(user.number, name, scopes)
        return self._page(request, principal, created=key, secret=secret)

    def revoke(self, request: Request, _: Principal, __: FormData | None) -> Response:
        self._services.auth.revoke_key(request.path_params["key_id"])
        return RedirectResponse("/admin/keys?notice=revoked", status_code=303)

    def _page(self, request: Request, principal: Principal, **extra: Any) -> Response:
        keys = self._services.auth.keys()
        context = {
            "keys": keys,
            "owners": usernames(self._services, (k.user_number for k in keys)),
            "scopes": list(Scope),
            "notice": None,
            "error": None,
            "created": None,
            "secret": None,
            **extra,
        }
        status = 400 if extra.get("error") else 200
        return self._renderer.page(request, "keys.html", context, principal, status)
