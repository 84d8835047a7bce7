"""Errors the core raises; each dialect translates them into its own error shapes."""

from __future__ import annotations


class UserPhotoError(Exception):
    """Base of every error the core raises on purpose."""


class NotFound(UserPhotoError):
    def __init__(self, what: str, key: object) -> None:
        super().__init__(f"{what} {key!r} not found")
        self.what = what
        self.key = key


class Conflict(UserPhotoError):
    """The change contradicts the stored state (a duplicate e-mail, say)."""


class InvalidQuery(UserPhotoError):
    """A filter, sort or paging value the directory cannot run."""


class UnknownField(InvalidQuery):
    def __init__(self, field: str) -> None:
        super().__init__(f"unknown field: {field}")
        self.field = field


class InvalidValue(InvalidQuery):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"invalid value for {field}: {reason}")
        self.field = field


class InvalidImage(UserPhotoError):
    """The upload is not a photo we accept. `reason` is a stable machine-readable word."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class ImageTooLarge(InvalidImage):
    """Too many bytes or too many pixels: refused before any full decode."""


class StoreUnavailable(UserPhotoError):
    """The store cannot be reached right now; the caller may retry later."""
