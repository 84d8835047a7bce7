"""Request budgets per caller, and the brute-force guard on password logins.

Both live in the process: nodes share nothing but the store, so each node keeps its own
budgets and a cluster of N nodes admits up to N times a budget. A refused request changes
no state here, so waiting out `retry_after` is always enough to be let in again.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from userphoto.core.errors import RateLimited

Clock = Callable[[], float]
# Past this many remembered callers, the ones whose budget is whole again are forgotten.
PRUNE_AFTER_KEYS = 100_000


@dataclass(frozen=True, slots=True)
class Rate:
    """`per_second` requests sustained, `burst` at once; either 0 switches the limit off."""

    per_second: float
    burst: int

    @property
    def enabled(self) -> bool:
        return self.per_second > 0 and self.burst > 0


class RateLimiter:
    """GCRA (a token bucket kept as one number per key: when its budget is whole again).

    A check is one dict lookup and some arithmetic. Threads may race on one key and let a
    request or two more through; no lock is taken, as this runs on every request.
    """

    def __init__(self, rate: Rate, clock: Clock = time.monotonic) -> None:
        self._enabled = rate.enabled
        self._interval = 1 / rate.per_second if rate.enabled else 0.0
        # How far ahead of now a key's schedule may run: burst - 1 requests beyond this one,
        # and a nanosecond, as a schedule summed in floats drifts by a few ulps.
        self._tolerance = self._interval * (rate.burst - 1) + 1e-9
        self._clock = clock
        self._due: dict[Hashable, float] = {}
        self._prune_at = PRUNE_AFTER_KEYS

    def check(self, key: Hashable) -> None:
        """Spend one request of `key`'s budget; RateLimited, changing nothing, when it is gone."""
        if not self._enabled:
            return
        now = self._clock()
        due = self._due.get(key, now)
        if due < now:
            due = now
        wait = due - self._tolerance - now
        if wait > 0:
            raise RateLimited(wait)
        if len(self._due) >= self._prune_at:
            self._prune(now)
        self._due[key] = due + self._interval

    def _prune(self, now: float) -> None:
        self._due = {k: due for k, due in self._due.items() if due > now}
        # Pruning again only after the table doubled keeps the cost per request constant.
        self._prune_at = max(PRUNE_AFTER_KEYS, 2 * len(self._due))


@dataclass(frozen=True, slots=True)
class LoginPolicy:
    """Failed password logins allowed per account and per client address within `window`."""

    account_failures: int = 10
    client_failures: int = 100
    window: float = 900.0


class LoginGuard:
    """Refuses password logins for an account or address with too many recent failures.

    The refusal comes before the password is checked, so a locked account gives a guesser
    nothing to learn; a success forgets the account's failures. An address's failures are
    not forgotten on success, so a guesser's own account cannot buy more guesses elsewhere.
    """

    def __init__(self, policy: LoginPolicy, clock: Clock = time.monotonic) -> None:
        self._policy = policy
        self._clock = clock
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()
        self._prune_at = PRUNE_AFTER_KEYS

    def check(self, account: str, client: str | None) -> None:
        now = self._clock()
        with self._lock:
            waits = [
                self._wait(key, limit, now)
                for key, limit in self._keys(account, client)
                if limit > 0
            ]
        wait = max(waits, default=0.0)
        if wait > 0:
            raise RateLimited(wait)

    def failed(self, account: str, client: str | None) -> None:
        now = self._clock()
        with self._lock:
            if len(self._failures) >= self._prune_at:
                self._prune(now)
            for key, limit in self._keys(account, client):
                if limit > 0:
                    self._failures.setdefault(key, deque(maxlen=limit)).append(now)

    def succeeded(self, account: str) -> None:
        with self._lock:
            self._failures.pop(("account", account), None)

    def _keys(self, account: str, client: str | None) -> list[tuple[tuple[str, str], int]]:
        keys = [(("account", account), self._policy.account_failures)]
        if client is not None:
            keys.append((("client", client), self._policy.client_failures))
        return keys

    def _wait(self, key: tuple[str, str], limit: int, now: float) -> float:
        """Seconds until the oldest counted failure leaves the window; 0 below the limit."""
        failures = self._failures.get(key)
        if failures is None:
            return 0.0
        while failures and failures[0] <= now - self._policy.window:
            failures.popleft()
        if len(failures) < limit:
            return 0.0
        return failures[0] + self._policy.window - now

    def _prune(self, now: float) -> None:
        horizon = now - self._policy.window
        self._failures = {k: f for k, f in self._failures.items() if f and f[-1] > horizon}
        self._prune_at = max(PRUNE_AFTER_KEYS, 2 * len(self._failures))


class AccessLimits:
    """Every budget of one process: per onOffice API user, per API key, per client address."""

    def __init__(
        self,
        api_user: Rate,
        api_key: Rate,
        client: Rate,
        logins: LoginPolicy,
        *,
        limit_loopback: bool = False,
        clock: Clock = time.monotonic,
    ) -> None:
        self._api_users = RateLimiter(api_user, clock)
        self._api_keys = RateLimiter(api_key, clock)
        self._clients = RateLimiter(client, clock)
        self._limit_loopback = limit_loopback
        self.logins = LoginGuard(logins, clock)

    @classmethod
    def unlimited(cls) -> AccessLimits:
        off = Rate(0, 0)
        return cls(off, off, off, LoginPolicy(0, 0))

    def check_client(self, address: str | None) -> None:
        if address is None or (not self._limit_loopback and _is_loopback(address)):
            return
        self._clients.check(address)

    def check_api_user(self, api_user_id: int) -> None:
        self._api_users.check(api_user_id)

    def check_api_key(self, key_id: int) -> None:
        self._api_keys.check(key_id)


def _is_loopback(address: str) -> bool:
    # Text tests, not ipaddress: this runs on every request.
    return address.startswith("127.") or address == "::1"
