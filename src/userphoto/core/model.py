"""The directory's records: users, their address records, API users, photos.

Names are the core's own; dialects map them to their wire vocabulary.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields
from datetime import datetime
from enum import StrEnum
from uuid import UUID, uuid4

# Square renditions rendered at upload: the union of every size a dialect asks for.
VARIANT_SIZES: tuple[int, ...] = (32, 48, 64, 82, 96, 120, 200, 240, 360, 432, 504, 648)


@dataclass(frozen=True, slots=True)
class User:
    number: int
    username: str = ""
    email: str = ""
    email_name: str = ""
    first_name: str = ""
    last_name: str = ""
    initials: str = ""
    salutation: str = ""
    title: str = ""
    company: str = ""
    postal_code: str = ""
    city: str = ""
    street: str = ""
    house_number: str = ""
    country: str = ""
    province: str = ""
    mobile: str = ""
    phone: str = ""
    fax: str = ""
    url: str = ""
    vat_id: str = ""
    tax_number: str = ""
    jurisdiction: str = ""
    imprint_more: str = ""
    company_suffix: str = ""
    position: str = ""
    name_suffix_1: str = ""
    name_suffix_2: str = ""
    bank: str = ""
    iban: str = ""
    bic: str = ""
    tax_office: str = ""
    note: str = ""
    other: str = ""
    provider: str = ""
    prefix: str = ""
    account_id: int | None = None
    language: str = ""
    meeting_url: str = ""
    status: str = "active"
    created_on: str = ""
    address_id: int | None = None
    messenger_uid: int | None = None
    uuid: UUID = field(default_factory=uuid4)
    is_admin: bool = False
    password_hash: str | None = field(default=None, repr=False)

    @property
    def display_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p) or self.username


def email_hashes(email: str) -> dict[str, str]:
    """The hashes avatar URLs use: of the trimmed, lower-cased address (Gravatar's rule)."""
    if not email.strip():
        return {"email_md5": "", "email_sha256": ""}
    normal = email.strip().lower().encode()
    return {
        "email_md5": hashlib.md5(normal, usedforsecurity=False).hexdigest(),
        "email_sha256": hashlib.sha256(normal).hexdigest(),
    }


# Fields a query may filter and sort on; the password hash is deliberately absent.
USER_QUERY_FIELDS: frozenset[str] = frozenset(
    f.name for f in fields(User) if f.name not in {"password_hash"}
)
USER_INT_FIELDS: frozenset[str] = frozenset({"number", "account_id", "address_id", "messenger_uid"})
# Fields a caller may set when creating or updating a user.
USER_WRITABLE_FIELDS: frozenset[str] = frozenset(
    f.name for f in fields(User) if f.name not in {"password_hash"}
)


@dataclass(frozen=True, slots=True)
class Address:
    id: int
    first_name: str = ""
    last_name: str = ""
    company: str = ""
    email: str = ""


ADDRESS_WRITABLE_FIELDS: frozenset[str] = frozenset(f.name for f in fields(Address))


class Right(StrEnum):
    READ_USER_DATA = "read-user-data"


@dataclass(frozen=True, slots=True)
class ApiUser:
    id: int
    name: str
    token_hash: str
    user_number: int | None
    rights: frozenset[Right]
    created_at: datetime
    secret: str = field(default="", repr=False)

    def may(self, right: Right) -> bool:
        return right in self.rights


@dataclass(frozen=True, slots=True)
class ApiCredentials:
    """The one moment a token and secret exist in the clear: right after creation."""

    api_user: ApiUser
    token: str
    secret: str = field(repr=False)


class OwnerKind(StrEnum):
    USER = "user"
    ADDRESS = "address"


@dataclass(frozen=True, slots=True)
class PhotoOwner:
    kind: OwnerKind
    id: int

    @classmethod
    def user(cls, number: int) -> PhotoOwner:
        return cls(OwnerKind.USER, number)

    @classmethod
    def address(cls, address_id: int) -> PhotoOwner:
        return cls(OwnerKind.ADDRESS, address_id)


@dataclass(frozen=True, slots=True)
class CropBox:
    """A rectangle in the pixel coordinates of the image it is applied to."""

    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class Rendition:
    """One stored encoding of a photo. `size` None is the normalised original."""

    size: int | None
    width: int
    height: int
    media_type: str
    blob_key: str
    length: int

    @property
    def extension(self) -> str:
        return "png" if self.media_type == "image/png" else "jpg"


@dataclass(frozen=True, slots=True)
class Photo:
    id: int
    owner: PhotoOwner
    content_hash: str
    created_at: datetime
    renditions: tuple[Rendition, ...]

    @property
    def original(self) -> Rendition:
        return self.rendition(None)

    def rendition(self, size: int | None) -> Rendition:
        """The stored rendition for `size`; the nearest larger one for a size not rendered."""
        for r in self.renditions:
            if r.size == size:
                return r
        if size is None:
            raise LookupError("photo has no original")
        squares = sorted((r for r in self.renditions if r.size is not None), key=lambda r: r.size)
        for r in squares:
            if r.size >= size:
                return r
        return squares[-1]


class Scope(StrEnum):
    """What an API key may do. Dialects map their own scope names onto these."""

    ALL = "*"
    PEOPLE_READ = "people:read"
    PEOPLE_WRITE = "people:write"
    SELF_READ = "self:read"
    SELF_WRITE = "self:write"


@dataclass(frozen=True, slots=True)
class ApiKey:
    id: int
    name: str
    key_hash: str
    user_number: int
    scopes: frozenset[Scope]
    created_at: datetime


class AuthMethod(StrEnum):
    PASSWORD = "password"  # noqa: S105 (a method name, not a password)
    API_KEY = "api-key"
    SESSION = "session"


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling, as established by a credential; every permission check starts here."""

    user: User
    scopes: frozenset[Scope]
    method: AuthMethod

    def has_scope(self, *wanted: Scope) -> bool:
        return Scope.ALL in self.scopes or any(s in self.scopes for s in wanted)

    def may_read(self, user: User) -> bool:
        if user.number == self.user.number:
            return self.has_scope(
                Scope.PEOPLE_READ, Scope.PEOPLE_WRITE, Scope.SELF_READ, Scope.SELF_WRITE
            )
        return self.has_scope(Scope.PEOPLE_READ, Scope.PEOPLE_WRITE)

    def may_edit(self, user: User) -> bool:
        """A user changes only their own record and photo; an admin changes anyone's."""
        if user.number == self.user.number:
            return self.has_scope(Scope.PEOPLE_WRITE, Scope.SELF_WRITE)
        return self.user.is_admin and self.has_scope(Scope.PEOPLE_WRITE)
