"""Signed, expiring photo links that name no user.

A link token is the user number and an expiry time, encrypted and authenticated with keys
derived from the server key, so it neither reveals nor lets anyone guess a user. The
construction is SIV-like and uses HMAC-SHA256 alone: the 16-byte IV is a MAC of the
plaintext, the plaintext is XORed with an HMAC keystream of that IV. Equal inputs give equal
tokens, which keeps links stable (and cacheable) for a while; expiries are rounded up to a
step for that reason. Opening a token costs two HMACs: cheap enough for the photo hot path.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import math
import re
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass

# "~" is not in the base64url alphabet, so a token stands out wherever it appears in a path
# (and logs can blank it out, see redact_tokens).
MARKER = "~"
_IV_BYTES = 16
_PAYLOAD = struct.Struct(">qI")  # user number, expiry in Unix seconds
_TOKEN_BYTES = _IV_BYTES + _PAYLOAD.size
_ENCODED_LENGTH = math.ceil(_TOKEN_BYTES * 4 / 3)
TOKEN_PATTERN = MARKER + f"[A-Za-z0-9_-]{{{_ENCODED_LENGTH}}}"
TOKEN_LENGTH = len(MARKER) + _ENCODED_LENGTH
_TOKEN_IN_TEXT = re.compile(TOKEN_PATTERN)
REDACTED = MARKER + "[signed-link]"
# Links are reissued in steps of this fraction of the lifetime: a link lasts at least the
# lifetime and at most one step longer, and stays the same URL within a step.
_STEPS_PER_LIFETIME = 8


@dataclass(frozen=True, slots=True)
class LinkKeys:
    """The two keys of one purpose (one dialect's links): a token of one opens in no other."""

    mac: bytes
    stream: bytes

    @classmethod
    def derive(cls, master: bytes, purpose: str) -> LinkKeys:
        return cls(
            _prf(master, f"{purpose}/mac".encode()), _prf(master, f"{purpose}/stream".encode())
        )


def seal(keys: LinkKeys, number: int, expires: int) -> str:
    plain = _PAYLOAD.pack(number, expires)
    iv = _prf(keys.mac, plain)[:_IV_BYTES]
    return MARKER + _encode(iv + _xor(plain, _prf(keys.stream, iv)))


def unseal(keys: LinkKeys, token: str, now: float, horizon: int) -> int | None:
    """The user number a token names; None when it is malformed, forged, expired, or expires
    more than `horizon` seconds from now (issued under a longer lifetime than today's)."""
    raw = _decode(token)
    if raw is None:
        return None
    iv, sealed = raw[:_IV_BYTES], raw[_IV_BYTES:]
    plain = _xor(sealed, _prf(keys.stream, iv))
    if not hmac.compare_digest(iv, _prf(keys.mac, plain)[:_IV_BYTES]):
        return None
    number, expires = _PAYLOAD.unpack(plain)
    return number if now < expires <= now + horizon else None


def redact_tokens(text: str) -> str:
    """The text with every link token blanked out, for logs."""
    return _TOKEN_IN_TEXT.sub(REDACTED, text)


class LinkSigner:
    """Issues and opens link tokens on a clock, with keys per purpose."""

    def __init__(
        self, master: bytes, lifetime: int, clock: Callable[[], float] = time.time
    ) -> None:
        if lifetime < 1:
            raise ValueError("a signed link must live at least one second")
        self._master = master
        self._lifetime = lifetime
        self._step = max(1, lifetime // _STEPS_PER_LIFETIME)
        self._clock = clock
        self._keys: dict[str, LinkKeys] = {}

    def issue(self, purpose: str, number: int) -> str:
        expires = math.ceil((self._clock() + self._lifetime) / self._step) * self._step
        return seal(self._keys_for(purpose), number, expires)

    def owner(self, purpose: str, token: str) -> int | None:
        """The user number behind a token, or None for any token that does not open now."""
        return unseal(self._keys_for(purpose), token, self._clock(), self._lifetime + self._step)

    def _keys_for(self, purpose: str) -> LinkKeys:
        keys = self._keys.get(purpose)
        if keys is None:
            keys = self._keys[purpose] = LinkKeys.derive(self._master, purpose)
        return keys


def _prf(key: bytes, message: bytes) -> bytes:
    return hmac.digest(key, message, "sha256")


def _xor(data: bytes, stream: bytes) -> bytes:
    size = len(data)
    return (int.from_bytes(data) ^ int.from_bytes(stream[:size])).to_bytes(size)


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _decode(token: str) -> bytes | None:
    if len(token) != TOKEN_LENGTH or not token.startswith(MARKER):
        return None
    body = token[len(MARKER) :]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        return None
    # Only the canonical spelling opens: no second string for the same link.
    return raw if len(raw) == _TOKEN_BYTES and _encode(raw) == body else None
