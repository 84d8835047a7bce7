"""The avatar URLs DocSpace hands out (protocol notes §4) and the file names behind them.

Stored sizes live under `/storage/userPhotos/root/{uuid}_orig_{w}-{h}.{ext}` and
`…/{uuid}_size_{N}-{N}.{ext}`, staged uploads under `/storage/userPhotos/temp/{id}.{ext}`,
defaults under `/static/images/default_user_photo_size_{N}-{N}.png`. Every URL but a staged
one carries `?hash=`, a non-negative 31-bit number that changes whenever the photo does.
With USERPHOTO_SIGNED_PHOTO_LINKS a signed, expiring token (core.links) takes the UUID's
place in stored names, and names by UUID are no longer served.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import quote

from userphoto.config import Settings
from userphoto.core.links import TOKEN_PATTERN, LinkSigner
from userphoto.core.model import Photo, User
from userphoto.core.photos.defaults import initials_of
from userphoto.core.ports import StagedUpload
from userphoto.core.services import Services

ROOT = "/storage/userPhotos/root"
TEMP = "/storage/userPhotos/temp"
STATIC = "/static/images"
# ThumbnailsDataDto's keys, in order, with their square size; None is the original.
THUMBNAIL_SIZES: tuple[tuple[str, int | None], ...] = (
    ("original", None),
    ("retina", 360),
    ("max", 200),
    ("big", 82),
    ("medium", 48),
    ("small", 32),
)
DEFAULT_SIZES = frozenset(size for _, size in THUMBNAIL_SIZES if size is not None)
# The original falls back to the 200 default, as DocSpace does.
DEFAULT_ORIGINAL_SIZE = 200
_RENDITION_PART = r"_(?P<kind>orig|size)_(?P<width>\d{1,5})-(?P<height>\d{1,5})\.(?P<ext>png|jpg)$"
STORED_NAME = re.compile(
    r"^(?P<uuid>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})" + _RENDITION_PART
)
SIGNED_NAME = re.compile(f"^(?P<token>{TOKEN_PATTERN})" + _RENDITION_PART)
LINK_PURPOSE = "docspace"
TEMP_NAME = re.compile(r"^(?P<id>[0-9a-f]{32})\.(?P<ext>png|jpg)$")
DEFAULT_NAME = re.compile(r"^default_user_photo_size_(?P<size>\d{1,4})-(?P=size)\.png$")


@dataclass(frozen=True, slots=True)
class Avatars:
    """Every avatar URL of one user, keyed as ThumbnailsDataDto keys them."""

    urls: dict[str, str]
    has_avatar: bool

    def upload_data(self) -> dict[str, str]:
        """The object an Autosave upload answers with: `main` instead of `original`."""
        return {("main" if key == "original" else key): url for key, url in self.urls.items()}


def link_signer(services: Services, settings: Settings) -> LinkSigner | None:
    """The signer of stored names when links are signed; None when names carry the UUID."""
    return services.links if settings.signed_photo_links else None


class AvatarUrls:
    """The avatar URLs of users, in the form the settings ask for."""

    def __init__(self, services: Services, settings: Settings) -> None:
        self._initials = settings.docspace_default_avatar == "initials"
        self._links = link_signer(services, settings)

    def of(self, user: User, photo: Photo | None) -> Avatars:
        if photo is None:
            return _default_avatars(user, self._initials)
        if self._links is None:
            owner = str(user.uuid)
        else:
            owner = self._links.issue(LINK_PURPOSE, user.number)
        suffix = f"?hash={_hash(f'{photo.id}:{photo.content_hash}:{photo.created_at.isoformat()}')}"
        return Avatars(
            {key: stored_path(owner, photo, size) + suffix for key, size in THUMBNAIL_SIZES}, True
        )


def _default_avatars(user: User, initials_style: bool) -> Avatars:
    initials = initials_of(user.first_name, user.last_name) or initials_of(user.username)
    extra = f"&initials={quote(initials)}" if initials_style and initials else ""
    suffix = f"?hash={_hash(f'{user.uuid}:default')}{extra}"
    return Avatars({key: default_path(size) + suffix for key, size in THUMBNAIL_SIZES}, False)


def stored_path(owner: str, photo: Photo, size: int | None) -> str:
    """The file of one size; `owner` is the user's UUID or a link token naming the user."""
    rendition = photo.rendition(size)
    if size is None:
        name = f"{owner}_orig_{rendition.width}-{rendition.height}.{rendition.extension}"
    else:
        name = f"{owner}_size_{size}-{size}.{rendition.extension}"
    return f"{ROOT}/{name}"


def default_path(size: int | None) -> str:
    side = DEFAULT_ORIGINAL_SIZE if size is None else size
    return f"{STATIC}/default_user_photo_size_{side}-{side}.png"


def temp_path(upload: StagedUpload) -> str:
    extension = "png" if upload.media_type == "image/png" else "jpg"
    return f"{TEMP}/{upload.id}.{extension}"


def temp_id(reference: str) -> str | None:
    """The staged upload a `tmpFile` names: only its file name counts, as in DocSpace."""
    name = reference.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    found = TEMP_NAME.match(name)
    return found["id"] if found else None


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big") & 0x7FFFFFFF
