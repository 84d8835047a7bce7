"""One DocSpace API route: authenticate, read the body, run the handler, wrap the answer.

Handlers are plain functions of a `Call`, run in the thread pool (they touch the store and
the photo pipeline); they return a `Reply` or raise, and every error they may raise is
turned into DocSpace's shape for it here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from userphoto.core.auth import AuthService
from userphoto.core.errors import RateLimited, UserPhotoError
from userphoto.core.model import Principal
from userphoto.dialects.docspace.auth import authenticate, used_basic
from userphoto.dialects.docspace.envelope import (
    Reply,
    empty,
    error,
    success,
    too_many_requests,
    validation_failure,
)
from userphoto.dialects.docspace.errors import DocSpaceError, NoBody, ValidationFailed, from_core
from userphoto.dialects.docspace.requests import (
    FORM_OVERHEAD_BYTES,
    MAX_JSON_BYTES,
    UploadForm,
    upload_form,
)
from userphoto.web.bodies import bounded_body


@dataclass(frozen=True, slots=True)
class Call:
    request: Request
    principal: Principal
    body: bytes | None  # None: larger than the route accepts
    form: UploadForm | None = None


Handler = Callable[[Call], Reply]


def api_route(
    path: str,
    method: str,
    handler: Handler,
    auth: AuthService,
    *,
    upload_limit: int | None = None,
) -> Route:
    """A route running `handler`; with `upload_limit`, the body is a multipart upload."""

    async def endpoint(request: Request) -> Response:
        try:
            principal = await run_in_threadpool(authenticate, auth, request)
            if principal is None:
                raise NoBody(401)
            call = await _call(request, principal, upload_limit)
            return success(request, await run_in_threadpool(handler, call))
        except NoBody as exc:
            challenge = (
                {"WWW-Authenticate": "Basic"} if exc.status == 401 and used_basic(request) else {}
            )
            return empty(exc.status, challenge)
        except ValidationFailed as exc:
            return validation_failure(request, exc.errors)
        except DocSpaceError as exc:
            return error(exc.status, exc.message)
        except RateLimited as exc:
            return too_many_requests(exc)
        except UserPhotoError as exc:
            translated = from_core(exc)
            return error(translated.status, translated.message)

    return Route(path, endpoint, methods=[method])


async def _call(request: Request, principal: Principal, upload_limit: int | None) -> Call:
    if upload_limit is None:
        return Call(request, principal, await bounded_body(request, MAX_JSON_BYTES))
    body = await bounded_body(request, upload_limit + FORM_OVERHEAD_BYTES)
    if body is None:
        return Call(request, principal, None)
    return Call(request, principal, body, await upload_form(request, body))
