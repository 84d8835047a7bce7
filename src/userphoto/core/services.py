"""The service layer: what every entrypoint (dialects, CLI, admin) calls on the core."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from userphoto.core.audit import CLI, Actor, AuditAction, AuditService
from userphoto.core.auth import AuthService
from userphoto.core.caching import Expiring
from userphoto.core.errors import Conflict, InvalidValue, NotFound
from userphoto.core.fetching import UrlFetcher
from userphoto.core.history import HistoryService
from userphoto.core.links import LinkSigner
from userphoto.core.model import (
    ADDRESS_WRITABLE_FIELDS,
    USER_WRITABLE_FIELDS,
    Address,
    ApiCredentials,
    ApiUser,
    CropBox,
    OwnerKind,
    Photo,
    PhotoOwner,
    Rendition,
    Right,
    User,
)
from userphoto.core.photos import PipelineLimits, RenderedPhoto, render_photo
from userphoto.core.ports import BLOB_GRACE, BlobStore, NewPhoto, Store
from userphoto.core.query import Page, UserQuery, check_paging
from userphoto.core.secrets import (
    SECRET_LENGTH,
    TOKEN_LENGTH,
    SecretBox,
    hash_password,
    random_string,
    token_hash,
)

if TYPE_CHECKING:
    from userphoto.core.staging import StagingService

# Every number of up to 18 digits fits a signed 64-bit column.
_MAX_NUMBER_DIGITS = 18
_UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}$")


class DirectoryService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def find_users(self, query: UserQuery) -> Page[User]:
        return self._store.users.query(query.validated())

    def user(self, number: int) -> User:
        user = self._store.users.get(number)
        if user is None:
            raise NotFound("user", number)
        return user

    def resolve_user(self, ref: str) -> User:
        """A user by number, e-mail, UUID or user name, in that order of guessing."""
        ref = ref.strip()
        found: User | None
        if "\0" in ref:
            # No stored name holds NUL, and PostgreSQL refuses it in a query parameter.
            found = None
        elif ref.isdigit():
            # int() fails on "²" and past 4300 digits, the store past 64 bits: none is a number.
            number = int(ref) if ref.isascii() and len(ref) <= _MAX_NUMBER_DIGITS else None
            found = None if number is None else self._store.users.get(number)
        elif "@" in ref:
            found = self._store.users.by_email(ref)
        elif _UUID_RE.match(ref):
            found = self._store.users.by_uuid(str(UUID(ref)))
        else:
            found = self._store.users.by_username(ref)
        if found is None:
            raise NotFound("user", ref)
        return found

    def by_email_hash(self, digest: str) -> User:
        """A user by the MD5 or SHA-256 hex of their trimmed, lower-cased e-mail (avatar URLs)."""
        found = self._store.users.by_email_hash(digest.lower())
        if found is None:
            raise NotFound("user", digest)
        return found

    def save_user(self, values: dict[str, Any], password: str | None = None) -> User:
        """Create or update the user `values["number"]` names (a new number when absent)."""
        _check_keys(values, USER_WRITABLE_FIELDS)
        number = values.get("number")
        existing = self._store.users.get(number) if number is not None else None
        if existing is None:
            number = number if number is not None else self._store.users.next_number()
            user = _build(User, {**values, "number": number})
        else:
            user = replace(existing, **values)
        if password is not None:
            user = replace(user, password_hash=hash_password(password))
        self._check_unique_email(user)
        self._store.users.upsert(user)
        return user

    def delete_user(self, number: int) -> None:
        if not self._store.users.delete(number):
            raise NotFound("user", number)

    def address(self, address_id: int) -> Address:
        address = self._store.addresses.get(address_id)
        if address is None:
            raise NotFound("address", address_id)
        return address

    def addresses(self, search: str = "", limit: int = 20, offset: int = 0) -> Page[Address]:
        """Address records by id; `search` keeps those with it in a name, company or e-mail."""
        check_paging(limit, offset)
        return self._store.addresses.list(search.strip(), limit, offset)

    def save_address(self, values: dict[str, Any]) -> Address:
        _check_keys(values, ADDRESS_WRITABLE_FIELDS)
        existing = self._store.addresses.get(values["id"])
        address = replace(existing, **values) if existing else _build(Address, values)
        self._store.addresses.upsert(address)
        return address

    def delete_address(self, address_id: int) -> None:
        if not self._store.addresses.delete(address_id):
            raise NotFound("address", address_id)

    def _check_unique_email(self, user: User) -> None:
        if not user.email:
            return
        other = self._store.users.by_email(user.email)
        if other is not None and other.number != user.number:
            raise Conflict(f"e-mail {user.email} belongs to user {other.number}")


class PhotoService:
    def __init__(self, store: Store, limits: PipelineLimits, history: int = 5) -> None:
        self._store = store
        self.limits = limits
        self._history = max(1, history)
        self._audit = AuditService(store)

    def set_photo(
        self,
        owner: PhotoOwner,
        data: bytes,
        crop: CropBox | None = None,
        actor: Actor = CLI,
    ) -> Photo:
        self._check_owner(owner)
        return self.store_rendered(owner, render_photo(data, self.limits, crop), actor)

    def recrop(self, owner: PhotoOwner, crop: CropBox | None, actor: Actor = CLI) -> Photo:
        """Render the current photo again from its stored original, with a new crop box."""
        photo = self.current(owner)
        if photo is None:
            raise NotFound("photo", owner)
        rendered = render_photo(self.read(photo.original), self.limits, crop)
        return self.store_rendered(owner, rendered, actor, AuditAction.CROP)

    def store_rendered(
        self,
        owner: PhotoOwner,
        rendered: RenderedPhoto,
        actor: Actor = CLI,
        action: AuditAction = AuditAction.SET,
    ) -> Photo:
        before = self.current(owner)
        photo = self._switch_to(owner, rendered)
        self._audit.record(actor, action, owner, before, photo)
        return photo

    def _switch_to(self, owner: PhotoOwner, rendered: RenderedPhoto) -> Photo:
        # Blobs first, then one transaction switches the owner: a crash in between leaves
        # only unreferenced blobs, never a photo with missing renditions.
        keys = self._store.blobs.put_many([r.data for r in rendered.renditions])
        renditions = tuple(
            Rendition(r.size, r.width, r.height, r.media_type, key, len(r.data))
            for r, key in zip(rendered.renditions, keys, strict=True)
        )
        photo = self._store.photos.make_current(owner, NewPhoto(rendered.content_hash, renditions))
        self._drop_blobs(self._store.photos.prune(owner, self._history))
        return photo

    def delete_photo(self, owner: PhotoOwner, actor: Actor = CLI) -> bool:
        before = self.current(owner)
        cleared = self._store.photos.clear(owner)
        if cleared:
            self._audit.record(actor, AuditAction.DELETE, owner, before, None)
        return cleared

    def current(self, owner: PhotoOwner) -> Photo | None:
        return self._store.photos.current(owner)

    def effective_photos(self, users: Iterable[User]) -> dict[int, Photo | None]:
        """Each user's own photo, else the photo of the linked address record, else None."""
        users = list(users)
        owners = [PhotoOwner.user(u.number) for u in users]
        owners += [PhotoOwner.address(u.address_id) for u in users if u.address_id is not None]
        found = self._store.photos.current_many(owners)
        result: dict[int, Photo | None] = {}
        for u in users:
            photo = found.get(PhotoOwner.user(u.number))
            if photo is None and u.address_id is not None:
                photo = found.get(PhotoOwner.address(u.address_id))
            result[u.number] = photo
        return result

    def effective_photo(self, user: User) -> Photo | None:
        return self.effective_photos([user])[user.number]

    def read(self, rendition: Rendition) -> bytes:
        return self._store.blobs.get(rendition.blob_key)

    def _check_owner(self, owner: PhotoOwner) -> None:
        exists = (
            self._store.users.get(owner.id)
            if owner.kind is OwnerKind.USER
            else self._store.addresses.get(owner.id)
        )
        if exists is None:
            raise NotFound(owner.kind.value, owner.id)

    def _drop_blobs(self, keys: set[str]) -> None:
        drop_blobs(self._store.blobs, keys)


def drop_blobs(blobs: BlobStore, keys: Iterable[str], now: datetime | None = None) -> None:
    """Delete blobs no record names now, except those a write in flight may name again: a
    blob is shared by content, and such a write has just stored (freshened) it."""
    written_before = (now or datetime.now(UTC)) - BLOB_GRACE
    for key in keys:
        blobs.delete(key, written_before)


class ApiUserService:
    def __init__(self, store: Store, box: SecretBox, ttl: float = 1.0) -> None:
        self._store = store
        self._box = box
        # Signed requests present the token every time: the API user (with its decrypted
        # secret, held in memory only) is kept for `ttl` and until the records change.
        # A store without the records cache (SqlStore.memo) has nothing to retire it by.
        memo = getattr(store, "memo", None)
        self._recent = None if memo is None else Expiring(memo.generation, ttl, 10_000)

    def create(self, name: str, user_number: int | None, rights: Iterable[Right]) -> ApiCredentials:
        if user_number is not None and self._store.users.get(user_number) is None:
            raise NotFound("user", user_number)
        token, secret = random_string(TOKEN_LENGTH), random_string(SECRET_LENGTH)
        draft = ApiUser(
            0, name, token_hash(token), user_number, frozenset(rights), datetime.now(UTC)
        )
        saved = self._store.api_users.add(draft, self._box.encrypt(secret))
        return ApiCredentials(replace(saved, secret=secret), token, secret)

    def by_token(self, token: str) -> ApiUser | None:
        """The API user with its secret decrypted, for checking a signature."""
        if len(token) != TOKEN_LENGTH:
            return None
        digest = token_hash(token)
        if self._recent is None:
            return self._load(digest)
        return self._recent.get(digest, lambda: self._load(digest))

    def remembered(self, token: str) -> ApiUser | None:
        """`by_token` if its answer is in memory and is an API user; else None, no query."""
        if self._recent is None or len(token) != TOKEN_LENGTH:
            return None
        return self._recent.peek(token_hash(token))

    def _load(self, digest: str) -> ApiUser | None:
        found = self._store.api_users.by_token_hash(digest)
        if found is None:
            return None
        api_user, sealed = found
        return replace(api_user, secret=self._box.decrypt(sealed))

    def list(self) -> list[ApiUser]:
        return self._store.api_users.list()

    def revoke(self, api_user_id: int) -> None:
        try:
            revoked = self._store.api_users.revoke(api_user_id)
        finally:
            if self._recent is not None:
                self._recent.clear()
        if not revoked:
            raise NotFound("api user", api_user_id)


@dataclass(frozen=True)
class Services:
    directory: DirectoryService
    photos: PhotoService
    api_users: ApiUserService
    auth: AuthService
    store: Store
    staging: StagingService
    fetcher: UrlFetcher
    history: HistoryService
    audit: AuditService
    links: LinkSigner

    def close(self) -> None:
        self.store.close()


def _check_keys(values: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = sorted(set(values) - allowed)
    if unknown:
        raise InvalidValue(unknown[0], "not a field that can be set")


def _build(cls: type, values: dict[str, Any]) -> Any:
    known = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in values.items() if k in known})
