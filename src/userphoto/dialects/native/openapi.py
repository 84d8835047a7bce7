"""The OpenAPI 3.1 document, generated from the same operation table that registers routes.

Built on the first request for it: its JSON Schemas come from the pydantic models.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from userphoto import __version__
from userphoto.dialects.native.api import (
    IMAGE_TYPES,
    PREFIX,
    SESSION_COOKIE,
    Body,
    Operation,
    Param,
    schema_model,
    schemas,
)
from userphoto.dialects.native.problems import MEDIA_TYPE, TITLES

if TYPE_CHECKING:
    from pydantic import BaseModel

REF = "#/components/schemas/{model}"
SECURITY = [{"bearer": []}, {"basic": []}, {"session": []}]
DESCRIPTION = (
    "The native API of userphoto. Authenticate with an API key (`Authorization: Bearer sk-...`),"
    " a password (Basic) or the admin UI's session cookie; requests that change something with"
    " the cookie must repeat the `userphoto_csrf` cookie in an `X-CSRF-Token` header."
    " Every error is an RFC 9457 problem document."
)


def document(operations: list[Operation]) -> dict[str, Any]:
    schemas = _component_schemas(operations)
    paths: dict[str, dict[str, Any]] = {}
    for op in operations:
        paths.setdefault(PREFIX + op.path, {})[op.method.lower()] = _operation(op)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "userphoto native API",
            "version": __version__,
            "description": DESCRIPTION,
        },
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": _security_schemes()},
        "security": SECURITY,
    }


def _component_schemas(operations: list[Operation]) -> dict[str, Any]:
    inputs = {schema_model(op.model) for op in operations if op.model is not None}
    outputs = {schema_model(op.returns) for op in operations if op.returns is not None}
    outputs.add(schema_model("ProblemOut"))
    keyed: list[tuple[type[BaseModel], Any]] = [(m, "validation") for m in inputs]
    keyed += [(m, "serialization") for m in outputs]
    _, schema = schemas().models_json_schema(keyed, ref_template=REF)
    return dict(sorted(schema.get("$defs", {}).items()))


def _operation(op: Operation) -> dict[str, Any]:
    described: dict[str, Any] = {
        "operationId": op.handler.__name__ + "_" + op.tag.replace("-", "_"),
        "summary": op.summary,
        "tags": [op.tag],
        "parameters": [_parameter(p) for p in op.params],
        "responses": {str(op.status): _success(op), **_problems(op)},
    }
    if op.body is not Body.NONE:
        described["requestBody"] = _request_body(op)
    return described


def _parameter(param: Param) -> dict[str, Any]:
    return {
        "name": param.name,
        "in": param.where,
        "required": param.where == "path",
        "description": param.description,
        "schema": param.schema,
    }


def _request_body(op: Operation) -> dict[str, Any]:
    if op.body is Body.JSON:
        assert op.model is not None
        content = {"application/json": {"schema": _ref(schema_model(op.model))}}
    else:
        binary = {"type": "string", "contentMediaType": "application/octet-stream"}
        form = {"type": "object", "properties": {"file": binary}, "required": ["file"]}
        content = {t: {"schema": binary} for t in (*IMAGE_TYPES, "application/octet-stream")}
        content["multipart/form-data"] = {"schema": form}
    return {"required": True, "content": content}


def _success(op: Operation) -> dict[str, Any]:
    if op.image_response:
        return {
            "description": "The image; 304 when If-None-Match names its ETag",
            "content": {t: {"schema": {"type": "string"}} for t in ("image/jpeg", "image/png")},
        }
    if op.returns is None:
        return {"description": "Done; no content"}
    return {
        "description": op.summary,
        "content": {"application/json": {"schema": _ref(schema_model(op.returns))}},
    }


def _problems(op: Operation) -> dict[str, Any]:
    problems = {
        str(status): {
            "description": TITLES[status],
            "content": {MEDIA_TYPE: {"schema": _ref(schema_model("ProblemOut"))}},
        }
        for status in op.errors
    }
    if op.image_response:
        problems["304"] = {"description": "Not Modified: the cached copy is current"}
    return problems


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": REF.format(model=model.__name__)}


def _security_schemes() -> dict[str, Any]:
    return {
        "bearer": {"type": "http", "scheme": "bearer", "description": "An API key, sk-..."},
        "basic": {"type": "http", "scheme": "basic"},
        "session": {"type": "apiKey", "in": "cookie", "name": SESSION_COOKIE},
    }
