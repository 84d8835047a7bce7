"""The declarative operation table: each entry both registers a route and documents it.

An operation names its parameters, body and responses; `endpoint` authenticates the
caller, checks CSRF for cookie sessions, parses and validates everything the operation
declares, runs the handler in a thread and turns every failure into a problem document.

The table names its models rather than holding them: `schemas` (and with it pydantic, several
megabytes per worker) is imported when a native operation first needs one, not at startup.
"""

from __future__ import annotations

import hmac
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from enum import Enum
from functools import cache
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request
from starlette.responses import Response

from userphoto.core.errors import UserPhotoError
from userphoto.core.model import Principal, Scope
from userphoto.core.services import Services
from userphoto.dialects.native.problems import Problem, from_core, problem_response
from userphoto.web.auth import request_principal
from userphoto.web.bodies import bounded_body
from userphoto.web.ratelimit import check_client

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

PREFIX = "/api/v1"
SESSION_COOKIE = "userphoto_session"
CSRF_COOKIE = "userphoto_csrf"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_JSON_BYTES = 64 * 1024
IMAGE_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")
# PostgreSQL cannot hold NUL in text, so no text parameter may carry one.
TEXT_PATTERN = r"^[^\x00]*$"
# Integer columns are 32-bit on PostgreSQL; anything larger could not be stored.
INT32_MAX = 2**31 - 1


@cache
def schemas() -> ModuleType:
    """`userphoto.dialects.native.schemas`, imported (pydantic and all) on the first call."""
    return import_module("userphoto.dialects.native.schemas")


def schema_model(name: str) -> type[BaseModel]:
    """The model of `schemas` called `name`."""
    found: type[BaseModel] = getattr(schemas(), name)
    return found


class Access(Enum):
    """Who may call: any authenticated caller (the handler checks further) or admins only."""

    SIGNED_IN = "signed-in"
    ADMIN = "admin"


class Body(Enum):
    NONE = "none"
    JSON = "json"
    IMAGE = "image"  # raw image bytes or a multipart form with a `file` part


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    where: str  # "path" or "query"
    description: str
    minimum: int | None = None
    maximum: int | None = None
    max_length: int = 200
    enum: tuple[int, ...] = ()

    @property
    def is_int(self) -> bool:
        return self.minimum is not None

    @property
    def schema(self) -> dict[str, Any]:
        if not self.is_int:
            return {"type": "string", "maxLength": self.max_length, "pattern": TEXT_PATTERN}
        schema: dict[str, Any] = {"type": "integer", "minimum": self.minimum}
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        if self.enum:
            schema["enum"] = list(self.enum)
        return schema

    def parse(self, raw: str) -> int | str:
        if not self.is_int:
            if len(raw) > self.max_length or "\x00" in raw:
                raise Problem(422, "invalid-parameter", f"{self.name} is too long or holds NUL")
            return raw
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 12:
            raise Problem(422, "invalid-parameter", f"{self.name} must be a whole number")
        value = int(raw)
        within = value >= (self.minimum or 0) and (self.maximum is None or value <= self.maximum)
        if not within or (self.enum and value not in self.enum):
            raise Problem(422, "invalid-parameter", f"{self.name} is out of range")
        return value


@dataclass(frozen=True, slots=True)
class Call:
    """What a handler gets: the caller and the validated input."""

    request: Request
    principal: Principal
    params: dict[str, Any]
    body: Any = None
    upload: bytes = b""


@dataclass(frozen=True, slots=True)
class Reply:
    """A handler's success: a model or a ready response (images)."""

    status: int
    model: Any = None
    response: Response | None = None


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    summary: str
    tag: str
    handler: Callable[[Call], Reply]
    status: int = 200
    returns: str | None = None  # the name of the answer's model in `schemas`
    access: Access = Access.SIGNED_IN
    params: tuple[Param, ...] = ()
    body: Body = Body.NONE
    model: str | None = None  # the name of the JSON body's model in `schemas`
    conflicts: bool = False
    image_response: bool = False

    @property
    def errors(self) -> tuple[int, ...]:
        """Every problem status this operation can answer with."""
        statuses = {401, 403, 429, 503}
        if self.params or self.body is not Body.NONE:
            statuses.add(422)
        # A record named in the path or the body may not exist.
        if any(p.where == "path" for p in self.params):
            statuses.add(404)
        if self.body is Body.JSON:
            statuses |= {400, 404, 413, 415}
        if self.body is Body.IMAGE:
            statuses |= {413, 415}
        if self.method != "GET":
            statuses.add(507)  # a change the store has no room for
        if self.conflicts:
            statuses.add(409)
        return tuple(sorted(statuses))


def endpoint(
    operation: Operation, services: Services, upload_limit: int
) -> Callable[[Request], Awaitable[Response]]:
    async def run(request: Request) -> Response:
        try:
            principal = await run_in_threadpool(_principal, request, services)
            _check_access(operation, principal)
            params = _params(operation, request)
            body = await _json(operation, request) if operation.body is Body.JSON else None
            upload = await _image(request, upload_limit) if operation.body is Body.IMAGE else b""
            call = Call(request, principal, params, body, upload)
            reply = await run_in_threadpool(operation.handler, call)
        except Problem as problem:
            return problem_response(request, problem)
        except UserPhotoError as error:
            return problem_response(request, from_core(error))
        return _response(reply)

    return run


def _principal(request: Request, services: Services) -> Principal:
    if "authorization" in request.headers:
        principal = request_principal(request, services.auth)
    else:
        principal = _session_principal(request, services)
    if principal is None:
        raise Problem(401, "unauthenticated", "a valid API key or session is required")
    return principal


def _session_principal(request: Request, services: Services) -> Principal | None:
    check_client(request, services.auth)  # request_principal does it for the other path
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    principal = services.auth.by_session(token)
    if principal is not None and request.method not in SAFE_METHODS:
        _check_csrf(request)
    return principal


def _check_csrf(request: Request) -> None:
    """Double submit: a page of ours read the CSRF cookie and echoed it in a header."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    header = request.headers.get(CSRF_HEADER, "")
    if not cookie or not hmac.compare_digest(cookie.encode(), header.encode()):
        raise Problem(403, "csrf", f"the {CSRF_HEADER} header must match the {CSRF_COOKIE} cookie")


def _check_access(operation: Operation, principal: Principal) -> None:
    """Admin operations also need the key's scope: a read-only admin key only reads."""
    if operation.access is not Access.ADMIN:
        return
    reads = operation.method in SAFE_METHODS
    wanted = (Scope.PEOPLE_READ, Scope.PEOPLE_WRITE) if reads else (Scope.PEOPLE_WRITE,)
    if not principal.user.is_admin or not principal.has_scope(*wanted):
        raise Problem(403, "forbidden", "only administrators with a people:write key may do this")


def _params(operation: Operation, request: Request) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for param in operation.params:
        source = request.path_params if param.where == "path" else request.query_params
        raw = source.get(param.name)
        if raw is not None:
            values[param.name] = param.parse(str(raw))
    return values


async def _json(operation: Operation, request: Request) -> Any:
    assert operation.model is not None
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type != "application/json":
        raise Problem(415, "unsupported-media-type", "the body must be application/json")
    _refuse_encoded(request)
    raw = await bounded_body(request, MAX_JSON_BYTES)
    if raw is None:
        raise Problem(413, "too-large", f"the body is larger than {MAX_JSON_BYTES} bytes")
    body_model = schema_model(operation.model)
    try:
        return body_model.model_validate_json(raw)
    except schemas().ValidationError as error:
        raise _invalid(error) from None


def _invalid(error: ValidationError) -> Problem:
    first = error.errors(include_url=False)[0]
    if first["type"] == "json_invalid":
        return Problem(400, "malformed-json", "the body is not valid JSON")
    where = ".".join(str(part) for part in first["loc"]) or "body"
    return Problem(422, "invalid-body", f"{where}: {first['msg']}")


def _refuse_encoded(request: Request) -> None:
    """Compressed request bodies are refused outright: no decompression bomb can reach us."""
    encoding = request.headers.get("content-encoding", "identity").strip().lower()
    if encoding != "identity":
        raise Problem(415, "unsupported-encoding", "compressed request bodies are not accepted")


async def _image(request: Request, limit: int) -> bytes:
    _refuse_encoded(request)
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    # The form's own overhead is allowed on top of the image limit.
    raw = await bounded_body(request, limit + 16 * 1024)
    if raw is None:
        raise Problem(413, "too-large", f"the upload is larger than {limit} bytes")
    if media_type == "multipart/form-data":
        raw = await _form_file(request, raw)
    elif media_type not in (*IMAGE_TYPES, "application/octet-stream"):
        raise Problem(415, "unsupported-media-type", "send an image or a multipart form")
    if len(raw) > limit:
        raise Problem(413, "too-large", f"the upload is larger than {limit} bytes")
    return raw


async def _form_file(request: Request, raw: bytes) -> bytes:
    async def chunks() -> AsyncIterator[bytes]:
        yield raw

    parser = MultiPartParser(request.headers, chunks(), max_files=1, max_fields=10)
    try:
        form = await parser.parse()
    except MultiPartException as error:
        raise Problem(422, "invalid-form", str(error)) from None
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise Problem(422, "invalid-form", "the form needs a `file` part")
    data = await upload.read()
    await form.close()
    return data


def _response(reply: Reply) -> Response:
    if reply.response is not None:
        return reply.response
    if reply.model is None:
        return Response(status_code=reply.status, headers={"Cache-Control": "no-store"})
    body = reply.model.model_dump_json().encode()
    return Response(
        body,
        status_code=reply.status,
        media_type="application/json",
        headers={"Cache-Control": "no-store"},
    )
