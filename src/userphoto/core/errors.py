"""Errors the core raises; each dialect translates them into its own error shapes."""

from __future__ import annotations

import math


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


class RateLimited(UserPhotoError):
    """The caller spent its budget (requests or failed logins); it may retry after a pause."""

    def __init__(self, wait: float) -> None:
        # Whole seconds, as Retry-After carries them; never 0, which would invite a retry now.
        self.retry_after = max(1, math.ceil(wait))
        super().__init__(f"too many requests; retry after {self.retry_after} s")


class StoreWriteRefused(StoreUnavailable):
    """The store answers but takes no writes now; reads go on, a write may succeed later."""


class StorageFull(StoreWriteRefused):
    """No room is left for the data (the disk, a file size limit or the database is full)."""


class StoreReadOnly(StoreWriteRefused):
    """The data directory or the database accepts no writes (a read-only mount, say)."""
