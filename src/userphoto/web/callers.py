"""Whom a remembered image answer was made for: what each repetition spends, and until when.

web.imagecache repeats an authenticated route's image answer to the same credentials without
running the route. A request that ran the route would have spent the client address's
budget and, by the kind of credential, the API key's budget or a look at the login guard,
and it would have been refused once its session expired; a `Caller` recorded when the answer
is remembered makes every repetition do the same.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from starlette.requests import cookie_parser

from userphoto.core.auth import API_KEY_PREFIX
from userphoto.core.errors import RateLimited
from userphoto.core.model import ApiKey, AuthMethod, Principal
from userphoto.core.ports import Store
from userphoto.core.ratelimit import AccessLimits
from userphoto.core.secrets import token_hash

# A request's Authorization and Cookie headers, raw and in order, as ASGI hands them over.
CredentialHeaders = tuple[tuple[bytes, bytes], ...]


@dataclass(frozen=True, slots=True)
class Caller:
    """The budgets a request with these credentials spends, and when the credentials end."""

    api_key: int | None = None
    # The login guard's name for a password caller's account (as core.auth counts failures).
    account: str | None = None
    until: float = math.inf  # Unix time

    def admit(self, limits: AccessLimits, client: str | None) -> bool:
        """Spends what the route would; False where it would refuse.

        The caller's own budget goes first: when it refuses, nothing was spent, so the route
        the request then falls through to spends exactly what a normal request spends. (When
        only the client address's refuses, the key's one request was spent on the way.)
        """
        if time.time() >= self.until:
            return False
        try:
            if self.api_key is not None:
                limits.check_api_key(self.api_key)
            if self.account is not None:
                limits.logins.check(self.account, client)
            limits.check_client(client)
        except RateLimited:
            return False
        return True


# Anyone: a public answer's repetition spends the client address's budget alone.
ANYONE = Caller()


@dataclass(frozen=True, slots=True)
class Credentials:
    """The credential headers a request presented, as the routes read them."""

    authorization: str | None  # the first Authorization header
    cookies: tuple[str, ...]  # every Cookie header

    @classmethod
    def of(cls, presented: CredentialHeaders) -> Credentials:
        authorization = next((v for n, v in presented if n == b"authorization"), None)
        return cls(
            None if authorization is None else authorization.decode("latin-1"),
            tuple(v.decode("latin-1") for n, v in presented if n == b"cookie"),
        )

    def tokens(self) -> list[str]:
        """The secrets a route may have taken a key or session from: the Authorization value
        without its Bearer word when there is one (it wins over cookies), else every cookie."""
        header = (self.authorization or "").strip()
        if header:
            scheme, _, rest = header.partition(" ")
            return [rest.strip() if scheme.lower() == "bearer" else header]
        return [value for header in self.cookies for value in cookie_parser(header).values()]


class Callers:
    """Finds, among the credentials a request presented, the one that proved its caller."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def of(self, principal: Principal, credentials: Credentials) -> Caller | None:
        """None when no presented credential is found to have proved `principal`."""
        if principal.method is AuthMethod.PASSWORD:
            return Caller(account=f"user:{principal.user.number}")
        tokens = credentials.tokens()
        if principal.method is AuthMethod.API_KEY:
            return self._key_holder(principal, tokens)
        return self._session_holder(principal, tokens)

    def _key_holder(self, principal: Principal, tokens: Iterable[str]) -> Caller | None:
        for token in tokens:
            if not token.startswith(API_KEY_PREFIX):
                continue
            key = self._store.api_keys.by_hash(token_hash(token))
            if key is not None and _is_key_of(key, principal):
                return Caller(api_key=key.id)
        return None

    def _session_holder(self, principal: Principal, tokens: Iterable[str]) -> Caller | None:
        # Several of the caller's sessions may be presented (cookies of two logins): the
        # answer lives no longer than the first of them to expire, whichever the route used.
        ends = [
            expires.timestamp()
            for number, expires in filter(None, map(self._session, tokens))
            if number == principal.user.number
        ]
        return Caller(until=min(ends)) if ends else None

    def _session(self, token: str) -> tuple[int, datetime] | None:
        return self._store.sessions.get(token_hash(token)) if token else None


def _is_key_of(key: ApiKey, principal: Principal) -> bool:
    return key.user_number == principal.user.number and key.scopes == principal.scopes
