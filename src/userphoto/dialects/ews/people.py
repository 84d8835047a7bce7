"""Finding whose photo an EWS request means, and checking the caller may read or write it."""

from __future__ import annotations

import base64
import binascii
import re

from userphoto.core.audit import Actor
from userphoto.core.errors import InvalidImage, NotFound
from userphoto.core.model import Photo, PhotoOwner, Principal, Rendition, User
from userphoto.core.services import Services
from userphoto.dialects.ews.faults import (
    ACCESS_DENIED,
    INVALID_ARGUMENT,
    INVALID_SMTP_ADDRESS,
    NON_EXISTENT_MAILBOX,
    EwsFault,
    NoPhoto,
)

# One local part, one domain, nothing an address list, display name or control code adds.
_ADDRESS_PART = r"[^@\s<>()\[\],;:\"\x00-\x1f\x7f]+"
_SMTP_ADDRESS = re.compile(f"{_ADDRESS_PART}@{_ADDRESS_PART}")


class People:
    def __init__(self, services: Services) -> None:
        self._services = services

    def photo(self, principal: Principal, email: str | None, side: int) -> tuple[Photo, Rendition]:
        """The caller's own photo when `email` is None; NoPhoto for no photo or no such user."""
        try:
            user = principal.user if email is None else self._user(email)
        except NotFound:
            raise NoPhoto from None
        if not principal.may_read(user):
            raise EwsFault(ACCESS_DENIED, f"You may not read the photo of {email}.")
        photo = self._services.photos.effective_photo(user)
        if photo is None:
            raise NoPhoto
        return photo, photo.rendition(side)

    def set_photo(self, principal: Principal, email: str, content: str) -> None:
        try:
            user = self._user(email)
        except NotFound:
            raise EwsFault(NON_EXISTENT_MAILBOX, f"No mailbox has the address {email}.") from None
        if not principal.may_edit(user):
            raise EwsFault(ACCESS_DENIED, f"You may not change the photo of {email}.")
        try:
            owner, actor = PhotoOwner.user(user.number), Actor.of(principal, "ews")
            self._services.photos.set_photo(owner, _decoded(content), None, actor)
        except InvalidImage as exc:
            raise EwsFault(
                INVALID_ARGUMENT, f"The photo was refused ({exc.reason}): {exc}"
            ) from None

    def _user(self, email: str) -> User:
        if not _SMTP_ADDRESS.fullmatch(email):
            raise EwsFault(INVALID_SMTP_ADDRESS, f"The SMTP address {email!r} cannot be parsed.")
        return self._services.directory.resolve_user(email)


def _decoded(content: str) -> bytes:
    try:
        return base64.b64decode("".join(content.split()), validate=True)
    except binascii.Error:
        raise EwsFault(INVALID_ARGUMENT, "Content is not valid base64.") from None
