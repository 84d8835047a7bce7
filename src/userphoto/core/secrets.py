"""Secrets at rest: API secrets encrypted with the server key, passwords hashed, tokens random.

`cryptography` (about 9 MB mapped) is imported when a secret is first sealed or opened, not
when the server key is loaded: a worker that serves only photos never needs it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
import string
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cryptography.fernet import Fernet

TOKEN_LENGTH = 32
SECRET_LENGTH = 64
_ALPHABET = string.ascii_letters + string.digits
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def random_string(length: int) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def token_hash(token: str) -> str:
    """Tokens are looked up by this hash, so the store never holds a usable token."""
    return hashlib.sha256(token.encode()).hexdigest()


class SecretBox:
    """Encrypts secrets that must be usable again (HMAC keys), with the server key."""

    def __init__(self, key: bytes) -> None:
        if not _is_fernet_key(key):
            raise ValueError("the server key is not 32 url-safe base64-encoded bytes")
        self._key = key

    @cached_property
    def _fernet(self) -> Fernet:
        from cryptography.fernet import Fernet

        return Fernet(self._key)

    def derive(self, purpose: str) -> bytes:
        """A key of its own for another purpose (signing links): the server key signs nothing."""
        return hmac.new(self._key, f"userphoto/{purpose}".encode(), hashlib.sha256).digest()

    @classmethod
    def from_setting_or_file(cls, setting: str, key_file: Path) -> SecretBox:
        if setting:
            return cls(_fernet_key(setting))
        return cls(_load_or_create_key(key_file))

    def encrypt(self, plain: str) -> bytes:
        return self._fernet.encrypt(plain.encode())

    def decrypt(self, sealed: bytes) -> str:
        from cryptography.fernet import InvalidToken

        try:
            return self._fernet.decrypt(sealed).decode()
        except InvalidToken as exc:
            raise ValueError("secret was sealed with another server key") from exc


def _fernet_key(setting: str) -> bytes:
    """Accept a Fernet key as is; derive one from any other passphrase."""
    if _is_fernet_key(setting.encode()):
        return setting.encode()
    return base64.urlsafe_b64encode(hashlib.sha256(setting.encode()).digest())


def _is_fernet_key(key: bytes) -> bool:
    """Fernet's own test of a key, made without importing it."""
    try:
        return len(base64.urlsafe_b64decode(key)) == 32
    except binascii.Error:
        return False


def _load_or_create_key(path: Path) -> bytes:
    if path.exists():
        return path.read_bytes().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = base64.urlsafe_b64encode(os.urandom(32))  # as Fernet.generate_key() makes one
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key)
    return key


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str | None) -> bool:
    if not stored or not stored.startswith("scrypt$"):
        return False
    _, salt_hex, digest_hex = stored.split("$")
    digest = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt_hex), **_SCRYPT)
    return hmac.compare_digest(digest, bytes.fromhex(digest_hex))
