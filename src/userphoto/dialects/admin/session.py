"""Logging in and out of the admin pages."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from userphoto.core.errors import RateLimited
from userphoto.core.model import Principal
from userphoto.core.secrets import random_string
from userphoto.core.services import Services
from userphoto.dialects.admin.cookies import CSRF_TOKEN_LENGTH, Cookies, session_token
from userphoto.dialects.admin.gate import FORM_LIMIT, LOGIN_PATH, Gate, form_text, safe_next
from userphoto.dialects.admin.rendering import Renderer
from userphoto.web.ratelimit import check_client, client_address

MAX_CREDENTIAL_LENGTH = 1024


class SessionPages:
    def __init__(
        self, services: Services, cookies: Cookies, renderer: Renderer, gate: Gate
    ) -> None:
        self._services = services
        self._cookies = cookies
        self._renderer = renderer
        self._gate = gate

    async def login_form(self, request: Request) -> Response:
        try:
            principal = await run_in_threadpool(self._gate.principal, request)
        except RateLimited as error:
            return self._gate.too_many(request, error)
        target = safe_next(request.query_params.get("next"))
        if principal is not None and principal.user.is_admin:
            return RedirectResponse(target, status_code=303)
        return self._form(request, target)

    async def login(self, request: Request) -> Response:
        refusal = await self._gate.refused_form(request, FORM_LIMIT)
        if refusal is not None:
            return refusal
        form = await request.form()
        login, password = form_text(form, "login"), form_text(form, "password")
        target = safe_next(form_text(form, "next"))
        if len(login) > MAX_CREDENTIAL_LENGTH or len(password) > MAX_CREDENTIAL_LENGTH:
            return self._form(request, target, "Wrong user name or password.", login)
        try:
            principal = await run_in_threadpool(self._login, request, login, password)
        except RateLimited as error:
            return self._gate.too_many(request, error)
        if principal is None:
            return self._form(request, target, "Wrong user name or password.", login)
        if not principal.user.is_admin:
            return self._form(request, target, "This account is not an administrator.", login)
        token = await run_in_threadpool(self._services.auth.open_session, principal)
        response = RedirectResponse(target, status_code=303)
        self._cookies.set_session(response, token)
        # A fresh CSRF token with every login, so one planted before it is worthless after.
        self._cookies.set_csrf(response, random_string(CSRF_TOKEN_LENGTH))
        return response

    async def logout(self, request: Request) -> Response:
        refusal = await self._gate.refused_form(request, FORM_LIMIT)
        if refusal is not None:
            return refusal
        token = session_token(request)
        if token:
            await run_in_threadpool(self._services.auth.close_session, token)
        response = RedirectResponse(LOGIN_PATH, status_code=303)
        self._cookies.clear_session(response)
        return response

    def _login(self, request: Request, login: str, password: str) -> Principal | None:
        check_client(request, self._services.auth)
        return self._services.auth.login(login, password, client_address(request))

    def _form(
        self, request: Request, target: str, error: str | None = None, login: str = ""
    ) -> Response:
        context = {"next": target, "error": error, "login": login}
        return self._renderer.page(request, "login.html", context, None, 401 if error else 200)
