"""Reading request bodies: bounded, and checked the way DocSpace's model binding checks them.

JSON bodies must be one object of known fields with the right types; anything else is the
wrapped validation 400. Multipart forms are parsed from a body already read in full, so an
oversized upload never reaches the parser.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request

from userphoto.dialects.docspace.errors import NoBody, ValidationFailed

# JSON requests here are a few hundred bytes; this leaves room and nothing more.
MAX_JSON_BYTES = 64 * 1024
# Multipart framing and the Autosave field around the file itself.
FORM_OVERHEAD_BYTES = 64 * 1024
_INT32 = (-(2**31), 2**31 - 1)
_UINT32 = (0, 2**32 - 1)

Check = Callable[[Any], Any]


def json_object(body: bytes | None, fields: Mapping[str, Check]) -> dict[str, Any]:
    """The body's fields, each passed through its check; absent fields are left out."""
    if body is None:
        raise ValidationFailed.of("$", "The request body is too large.")
    try:
        document = orjson.loads(body) if body.strip() else None
    except orjson.JSONDecodeError:
        raise ValidationFailed.of("$", "The JSON value could not be converted.") from None
    if not isinstance(document, dict):
        raise ValidationFailed.of("$", "A JSON object is required.")
    unknown = sorted(set(document) - set(fields))
    if unknown:
        raise ValidationFailed.of(unknown[0], "The field is not known.")
    values = {}
    for name, value in document.items():
        try:
            values[name] = fields[name](value)
        except (TypeError, ValueError) as exc:
            raise ValidationFailed.of(name, str(exc)) from None
    return values


def optional_string(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise TypeError("The JSON value could not be converted to System.String.")


def optional_bool(value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise TypeError("The JSON value could not be converted to System.Boolean.")


def int32(value: Any) -> int:
    return _bounded_int(value, _INT32, "System.Int32")


def uint32(value: Any) -> int:
    return _bounded_int(value, _UINT32, "System.UInt32")


def _bounded_int(value: Any, bounds: tuple[int, int], type_name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"The JSON value could not be converted to {type_name}.")
    if not bounds[0] <= value <= bounds[1]:
        raise ValueError(f"The JSON value is outside the range of {type_name}.")
    return value


@dataclass(frozen=True, slots=True)
class UploadForm:
    file: bytes | None
    autosave: bool


async def upload_form(request: Request, body: bytes) -> UploadForm:
    """`File` (any case) and `Autosave` (True/False in any case) of a multipart upload."""
    if not request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
        raise NoBody(415)
    try:
        form = await MultiPartParser(
            request.headers, _once(body), max_files=4, max_fields=16
        ).parse()
    except MultiPartException as exc:
        raise ValidationFailed.of("File", exc.message) from None
    fields = {name.lower(): value for name, value in form.multi_items()}
    file = fields.get("file")
    data = await file.read() if isinstance(file, UploadFile) else None
    await form.close()
    return UploadForm(data, _autosave(fields.get("autosave")))


def _autosave(value: str | UploadFile | None) -> bool:
    if value is None:
        return False
    if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
        return value.strip().lower() == "true"
    raise ValidationFailed.of("Autosave", "The value is not a valid boolean.")


async def _once(body: bytes) -> AsyncIterator[bytes]:
    yield body
