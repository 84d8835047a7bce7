"""A clock the test moves by hand, for code that takes `clock: Callable[[], float]`."""

from __future__ import annotations

# The characters of a signed-link token (URL-safe base64, in its index order).
TOKEN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now
