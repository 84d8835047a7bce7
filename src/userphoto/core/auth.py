"""Credentials: passwords, personal API keys and login sessions, all stored as hashes."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import cache

from userphoto.core.caching import VerifiedPasswords
from userphoto.core.errors import NotFound
from userphoto.core.model import ApiKey, AuthMethod, Principal, Scope, User
from userphoto.core.ports import Store
from userphoto.core.ratelimit import AccessLimits
from userphoto.core.secrets import hash_password, random_string, token_hash, verify_password

# The "sk-" prefix follows DocSpace's personal keys, so a key is recognisable in a header.
API_KEY_PREFIX = "sk-"
API_KEY_RANDOM_LENGTH = 40
SESSION_TOKEN_LENGTH = 48


# Verifying against this hash when no user matches keeps the answer time the same.
# Made on first use: the KDF costs a noticeable part of a second at start-up.
@cache
def _dummy_hash() -> str:
    return hash_password(random_string(16))


log = logging.getLogger("userphoto.auth")


class AuthService:
    def __init__(
        self,
        store: Store,
        session_lifetime: timedelta = timedelta(hours=12),
        limits: AccessLimits | None = None,
    ) -> None:
        self._store = store
        self._session_lifetime = session_lifetime
        self.limits = limits or AccessLimits.unlimited()
        self._passwords = VerifiedPasswords()

    def login(self, login: str, password: str, client: str | None = None) -> Principal | None:
        """A user by e-mail or user name and password; None for any mismatch.

        RateLimited, before the password is even checked, once the account or the client
        address has failed too often lately.
        """
        user = None
        # No stored name holds NUL, and PostgreSQL refuses it in a query parameter.
        if "\0" not in login:
            user = self._store.users.by_email(login) if "@" in login else None
            user = user or self._store.users.by_username(login)
        # One count per person, whichever name they are tried under.
        account = f"user:{user.number}" if user else "login:" + login.strip().lower()
        self.limits.logins.check(account, client)
        stored = (user.password_hash if user else None) or _dummy_hash()
        if not self._passwords.verify(password, stored, verify_password) or user is None:
            self.limits.logins.failed(account, client)
            # The login text is left out: people type their password into it by mistake.
            who = f"user {user.number}" if user else "an unknown login"
            log.warning("failed password login for %s from %s", who, client or "-")
            return None
        self.limits.logins.succeeded(account)
        return Principal(user, frozenset({Scope.ALL}), AuthMethod.PASSWORD)

    def set_password(self, number: int, password: str) -> None:
        user = self._user(number)
        self._store.users.upsert(replace(user, password_hash=hash_password(password)))

    def create_key(self, number: int, name: str, scopes: Iterable[Scope]) -> tuple[ApiKey, str]:
        """The new key and its secret text, which exists in the clear only now."""
        self._user(number)
        secret = API_KEY_PREFIX + random_string(API_KEY_RANDOM_LENGTH)
        draft = ApiKey(
            0,
            name,
            token_hash(secret),
            number,
            frozenset(scopes) or frozenset({Scope.ALL}),
            datetime.now(UTC),
        )
        return self._store.api_keys.add(draft), secret

    def by_key(self, secret: str) -> Principal | None:
        if not secret.startswith(API_KEY_PREFIX):
            return None
        key = self._store.api_keys.by_hash(token_hash(secret))
        user = self._store.users.get(key.user_number) if key else None
        if key is None or user is None:
            return None
        self.limits.check_api_key(key.id)
        return Principal(user, key.scopes, AuthMethod.API_KEY)

    def keys(self, number: int | None = None) -> list[ApiKey]:
        return self._store.api_keys.list(number)

    def revoke_key(self, key_id: int) -> None:
        if not self._store.api_keys.revoke(key_id):
            raise NotFound("api key", key_id)

    def open_session(self, principal: Principal) -> str:
        token = random_string(SESSION_TOKEN_LENGTH)
        expires = datetime.now(UTC) + self._session_lifetime
        self._store.sessions.add(token_hash(token), principal.user.number, expires)
        return token

    def by_session(self, token: str) -> Principal | None:
        found = self._store.sessions.get(token_hash(token))
        if found is None:
            return None
        number, expires = found
        user = self._store.users.get(number)
        if user is None or expires <= datetime.now(UTC):
            return None
        return Principal(user, frozenset({Scope.ALL}), AuthMethod.SESSION)

    def close_session(self, token: str) -> None:
        self._store.sessions.delete(token_hash(token))

    def _user(self, number: int) -> User:
        user = self._store.users.get(number)
        if user is None:
            raise NotFound("user", number)
        return user
