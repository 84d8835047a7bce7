"""Request and response bodies: pydantic models that validate input and document the schema.

The one module of the dialect that imports pydantic, loaded by `api.schemas()` when a native
operation first needs a model: an idle worker never loads it.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    create_model,
)

# Re-exported: the rest of the dialect reaches pydantic only through this module, loaded lazily.
from pydantic import ValidationError as ValidationError
from pydantic.json_schema import models_json_schema as models_json_schema

from userphoto.core.audit import ActorKind, AuditAction
from userphoto.core.model import USER_INT_FIELDS, Right, Scope, User
from userphoto.dialects.native.api import INT32_MAX


def _whole(value: Any) -> Any:
    """JSON Schema counts 7.0 as an integer; strict mode alone would refuse it."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


Id = Annotated[int, Field(ge=1, le=INT32_MAX), BeforeValidator(_whole)]
Count = Annotated[int, Field(ge=0, le=INT32_MAX), BeforeValidator(_whole)]
Reference = Count | None
# Text may hold anything a record does, except NUL, which PostgreSQL cannot store.
Text = Annotated[str, StringConstraints(max_length=1000, pattern=r"^[^\x00]*$")]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=r"^[^\x00]+$")]
Password = Annotated[str, StringConstraints(min_length=8, max_length=200, pattern=r"^[^\x00]+$")]


class Strict(BaseModel):
    """Input refuses unknown fields and never coerces types ("1" is no number)."""

    model_config = ConfigDict(extra="forbid", strict=True)


# The UUID is assigned once and the number names the record, so neither is patched.
_PATCHABLE = tuple(
    f.name for f in fields(User) if f.name not in {"password_hash", "uuid", "number"}
)
_SHOWN = tuple(f.name for f in fields(User) if f.name != "password_hash")


def _input_type(name: str) -> Any:
    if name in USER_INT_FIELDS:
        return Reference
    return bool if name == "is_admin" else Text


def _output_type(name: str) -> Any:
    if name == "number":
        return int
    if name in USER_INT_FIELDS:
        return int | None
    return bool if name == "is_admin" else str


# A field left out keeps its value; defaults are never validated, so `null` stays refused.
UserPatch: Any = create_model(
    "UserPatch",
    __base__=Strict,
    **{name: (_input_type(name), None) for name in _PATCHABLE},
    password=(Password, None),
)
UserCreate: Any = create_model("UserCreate", __base__=UserPatch, number=(Id, None))
UserOut: Any = create_model("User", **{name: (_output_type(name), ...) for name in _SHOWN})


class UserPage(BaseModel):
    items: list[UserOut]  # type: ignore[valid-type]
    total: int


class AddressPatch(Strict):
    first_name: Text = ""
    last_name: Text = ""
    company: Text = ""
    email: Text = ""


class AddressOut(BaseModel):
    id: int
    first_name: str
    last_name: str
    company: str
    email: str


class AddressPage(BaseModel):
    items: list[AddressOut]
    total: int


class CropIn(Strict):
    x: Count
    y: Count
    width: Id
    height: Id


class RenditionOut(BaseModel):
    size: int | None = Field(description="Side of the square; null for the original")
    width: int
    height: int
    media_type: str
    etag: str


class PhotoOut(BaseModel):
    id: int
    content_hash: str
    created_at: datetime
    current: bool
    renditions: list[RenditionOut]


class PhotoVersions(BaseModel):
    items: list[PhotoOut]


class ApiUserIn(Strict):
    name: Name
    user_number: Id | None = None
    rights: list[Right] = Field(default_factory=lambda: [Right.READ_USER_DATA])


class ApiUserOut(BaseModel):
    id: int
    name: str
    user_number: int | None
    rights: list[Right]
    created_at: datetime


class ApiUserCreated(ApiUserOut):
    token: str = Field(description="Shown this once")
    secret: str = Field(description="Shown this once")


class ApiUserList(BaseModel):
    items: list[ApiUserOut]


class ApiKeyIn(Strict):
    name: Name
    user_number: Id
    scopes: list[Scope] = Field(default_factory=lambda: [Scope.ALL])


class ApiKeyOut(BaseModel):
    id: int
    name: str
    user_number: int
    scopes: list[Scope]
    created_at: datetime


class ApiKeyCreated(ApiKeyOut):
    key: str = Field(description="The Bearer token, shown this once")


class ApiKeyList(BaseModel):
    items: list[ApiKeyOut]


class ActorOut(BaseModel):
    kind: ActorKind
    id: str
    channel: str


class AuditEntryOut(BaseModel):
    id: int
    at: datetime
    actor: ActorOut
    action: AuditAction
    owner_kind: str
    owner_id: int
    old_hash: str | None
    new_hash: str | None


class AuditPage(BaseModel):
    items: list[AuditEntryOut]
    total: int


class ProblemOut(BaseModel):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
