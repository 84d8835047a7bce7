"""Who may use an admin page: a logged-in administrator, with a valid CSRF token on every POST."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from userphoto.core.errors import NotFound, RateLimited
from userphoto.core.model import Principal
from userphoto.core.services import Services
from userphoto.dialects.admin.cookies import CSRF_FIELD, csrf_matches, session_token
from userphoto.dialects.admin.rendering import Renderer
from userphoto.web.ratelimit import check_client, retry_after

LOGIN_PATH = "/admin/login"
# Plain forms carry a few short fields; uploads get the photo limit plus room for the rest.
FORM_LIMIT = 64 * 1024
MULTIPART_OVERHEAD = 64 * 1024
MAX_LENGTH_DIGITS = 15

# A page handler runs in a worker thread (the store is synchronous); `form` is None on GET.
PageHandler = Callable[[Request, Principal, FormData | None], Response]
Endpoint = Callable[[Request], Awaitable[Response]]


class Gate:
    def __init__(self, services: Services, renderer: Renderer) -> None:
        self._services = services
        self._renderer = renderer

    def principal(self, request: Request) -> Principal | None:
        """The logged-in caller, or None; RateLimited when the address has no budget left."""
        check_client(request, self._services.auth)
        token = session_token(request)
        return self._services.auth.by_session(token) if token else None

    def page(self, handler: PageHandler, body_limit: int = FORM_LIMIT) -> Endpoint:
        async def endpoint(request: Request) -> Response:
            try:
                principal = await run_in_threadpool(self.principal, request)
            except RateLimited as error:
                return self.too_many(request, error)
            if principal is None:
                return RedirectResponse(login_url(request), status_code=303)
            if not principal.user.is_admin:
                return self._renderer.problem(request, 403, "Only administrators may do this.")
            form = None
            if request.method == "POST":
                refusal = await self.refused_form(request, body_limit)
                if refusal is not None:
                    return refusal
                form = await request.form(max_files=1, max_fields=32, max_part_size=FORM_LIMIT)
            try:
                return await run_in_threadpool(handler, request, principal, form)
            except NotFound as missing:
                return self._renderer.problem(request, 404, f"No {missing.what} {missing.key}.")

        return endpoint

    def too_many(self, request: Request, error: RateLimited) -> Response:
        message = f"Too many attempts. Try again in {error.retry_after} seconds."
        response = self._renderer.problem(request, 429, message)
        response.headers.update(retry_after(error))
        return response

    async def refused_form(self, request: Request, body_limit: int) -> Response | None:
        """The error page for an oversized body or a missing CSRF token; None when fine."""
        declared = request.headers.get("content-length", "")
        length = whole_number(declared, MAX_LENGTH_DIGITS)
        if length is not None and length > body_limit + MULTIPART_OVERHEAD:
            return self._renderer.problem(request, 413, "The upload is too large.")
        form = await request.form(max_files=1, max_fields=32, max_part_size=FORM_LIMIT)
        if not csrf_matches(request, form_text(form, CSRF_FIELD)):
            return self._renderer.problem(
                request, 403, "The form has expired. Reload the page and try again."
            )
        return None


def login_url(request: Request) -> str:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method != "GET":
        target = "/admin"
    return f"{LOGIN_PATH}?next={quote(target, safe='')}"


def safe_next(target: str | None) -> str:
    """Only a path inside the admin pages: never an open redirect to another site."""
    if target and target.startswith("/admin") and "//" not in target and "\\" not in target:
        return target
    return "/admin"


def whole_number(text: str, max_digits: int) -> int | None:
    """`text` as a non-negative integer of at most `max_digits` ASCII digits, else None."""
    text = text.strip()
    if text.isascii() and text.isdigit() and len(text) <= max_digits:
        return int(text)
    return None


def form_text(form: FormData | None, name: str) -> str:
    """A text field of a form; "" when absent or when a file was sent in its place."""
    value = form.get(name) if form else None
    return value if isinstance(value, str) else ""
