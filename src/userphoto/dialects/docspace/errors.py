"""What a DocSpace endpoint raises to answer with an error, and how core errors map onto it."""

from __future__ import annotations

from collections.abc import Mapping

from userphoto.core.errors import InvalidImage, NotFound, StoreUnavailable, UserPhotoError
from userphoto.core.fetching import FetchRefused

ACCESS_DENIED = "Access denied"
USER_NOT_FOUND = "The user could not be found"
FILE_NOT_FOUND = "The uploaded file could not be found"
UNKNOWN_IMAGE = "Unknown image file type"
IMAGE_TOO_LARGE = "Image size is too large"


class DocSpaceError(Exception):
    """An error envelope with this HTTP status and message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class ValidationFailed(Exception):
    """A request that fails model binding: the wrapped 400 with per-field messages."""

    def __init__(self, errors: Mapping[str, list[str]]) -> None:
        super().__init__(str(dict(errors)))
        self.errors = dict(errors)

    @classmethod
    def of(cls, field: str, message: str) -> ValidationFailed:
        return cls({field: [message]})


class NoBody(Exception):
    """An answer with an empty body: 401 challenge, missing scope, unsupported media type."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def denied() -> DocSpaceError:
    return DocSpaceError(403, ACCESS_DENIED)


def from_core(exc: UserPhotoError) -> DocSpaceError:
    """DocSpace's status for a core error (protocol notes §2.3, §3.4)."""
    if isinstance(exc, NotFound):
        message = USER_NOT_FOUND if exc.what == "user" else FILE_NOT_FOUND
        return DocSpaceError(404, message)
    if isinstance(exc, FetchRefused):
        if exc.reason in {"blocked-address", "scheme", "bad-url"}:
            return denied()
        return DocSpaceError(403, f"Failed to download photo: {exc}")
    if isinstance(exc, InvalidImage) and exc.reason == "crop-outside-image":
        return DocSpaceError(400, str(exc))
    if isinstance(exc, InvalidImage):
        too_large = exc.reason in {"too-many-bytes", "too-many-pixels"}
        return DocSpaceError(400, IMAGE_TOO_LARGE if too_large else UNKNOWN_IMAGE)
    if isinstance(exc, StoreUnavailable):
        return DocSpaceError(503, "The service is unavailable, try again later")
    return DocSpaceError(400, str(exc))
