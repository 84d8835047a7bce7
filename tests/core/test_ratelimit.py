"""The request budgets (GCRA) and the login guard, on a clock the tests move by hand."""

from __future__ import annotations

import pytest

from tests.clocks import Clock
from userphoto.core import ratelimit
from userphoto.core.errors import RateLimited
from userphoto.core.ratelimit import AccessLimits, LoginGuard, LoginPolicy, Rate, RateLimiter


@pytest.fixture
def clock() -> Clock:
    return Clock(1000.0)


def spend(limiter: RateLimiter, key: object, times: int) -> None:
    for _ in range(times):
        limiter.check(key)


def refused_for(check: object, *args: object) -> int:
    with pytest.raises(RateLimited) as refused:
        check(*args)  # type: ignore[operator]
    return refused.value.retry_after


def test_a_burst_passes_and_the_next_request_waits_one_interval(clock: Clock) -> None:
    limiter = RateLimiter(Rate(per_second=2, burst=3), clock)
    spend(limiter, "a", 3)
    assert refused_for(limiter.check, "a") == 1  # 0.5 s, rounded up to whole seconds
    clock.now += 0.49
    refused_for(limiter.check, "a")
    clock.now += 0.01
    limiter.check("a")  # exactly one interval later: one request's budget is back
    refused_for(limiter.check, "a")


def test_a_refused_request_spends_nothing(clock: Clock) -> None:
    limiter = RateLimiter(Rate(per_second=1, burst=1), clock)
    limiter.check("a")
    for _ in range(50):
        refused_for(limiter.check, "a")
    clock.now += 1.0
    limiter.check("a")  # the 50 refusals did not push the schedule further out


def test_retry_after_counts_the_whole_wait(clock: Clock) -> None:
    limiter = RateLimiter(Rate(per_second=0.1, burst=2), clock)
    spend(limiter, "a", 2)
    assert refused_for(limiter.check, "a") == 10
    clock.now += 9.5
    assert refused_for(limiter.check, "a") == 1


def test_keys_have_budgets_of_their_own(clock: Clock) -> None:
    limiter = RateLimiter(Rate(per_second=1, burst=1), clock)
    limiter.check("a")
    refused_for(limiter.check, "a")
    limiter.check("b")


def test_a_full_budget_after_idling_is_the_burst_not_more(clock: Clock) -> None:
    limiter = RateLimiter(Rate(per_second=10, burst=5), clock)
    clock.now += 3600
    spend(limiter, "a", 5)
    refused_for(limiter.check, "a")


def test_a_zero_rate_or_burst_is_no_limit(clock: Clock) -> None:
    for rate in (Rate(0, 10), Rate(10, 0)):
        spend(RateLimiter(rate, clock), "a", 10_000)


def test_a_full_table_forgets_the_keys_whose_budget_is_whole(
    clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ratelimit, "PRUNE_AFTER_KEYS", 3)
    limiter = RateLimiter(Rate(per_second=1, burst=1), clock)
    spend(limiter, "a", 1)
    clock.now += 0.5
    spend(limiter, "b", 1)
    spend(limiter, "c", 1)
    clock.now += 0.7  # a's budget is whole again; b's and c's are not
    limiter.check("d")
    assert set(limiter._due) == {"b", "c", "d"}
    refused_for(limiter.check, "b")


POLICY = LoginPolicy(account_failures=3, client_failures=5, window=60)


def fail(guard: LoginGuard, account: str, client: str | None, times: int) -> None:
    for _ in range(times):
        guard.check(account, client)
        guard.failed(account, client)


def test_an_account_is_refused_after_its_failures_until_the_window_passes(clock: Clock) -> None:
    guard = LoginGuard(POLICY, clock)
    fail(guard, "user:1", "10.0.0.1", 1)
    clock.now += 10
    fail(guard, "user:1", "10.0.0.1", 2)
    assert refused_for(guard.check, "user:1", "10.0.0.1") == 50  # the first failure leaves at 60
    assert refused_for(guard.check, "user:1", "10.0.0.2") == 50  # from any address
    clock.now += 49.9
    refused_for(guard.check, "user:1", None)
    clock.now += 0.1
    guard.check("user:1", None)  # the first failure is exactly one window old: it no longer counts
    guard.failed("user:1", None)
    assert refused_for(guard.check, "user:1", None) == 10  # the second failure, 10 s later


def test_success_forgets_the_accounts_failures_but_not_the_addresses(clock: Clock) -> None:
    guard = LoginGuard(POLICY, clock)
    fail(guard, "user:1", "10.0.0.1", 2)
    guard.succeeded("user:1")
    fail(guard, "user:1", "10.0.0.1", 2)
    guard.check("user:1", "10.0.0.1")
    fail(guard, "user:2", "10.0.0.1", 1)
    # Five failures from the address in all: every account is refused from there.
    refused_for(guard.check, "user:3", "10.0.0.1")
    guard.check("user:3", "10.0.0.9")


def test_a_zero_policy_counts_nothing(clock: Clock) -> None:
    guard = LoginGuard(LoginPolicy(0, 0, 60), clock)
    fail(guard, "user:1", "10.0.0.1", 100)


def test_loopback_clients_are_exempt_unless_asked(clock: Clock) -> None:
    one = Rate(per_second=1, burst=1)
    off = Rate(0, 0)
    lenient = AccessLimits(off, off, one, POLICY, clock=clock)
    strict = AccessLimits(off, off, one, POLICY, limit_loopback=True, clock=clock)
    for address in ("127.0.0.1", "127.8.9.10", "::1", None):
        for _ in range(3):
            lenient.check_client(address)
    strict.check_client("::1")
    refused_for(strict.check_client, "::1")
    lenient.check_client("192.0.2.7")
    refused_for(lenient.check_client, "192.0.2.7")


def test_api_users_keys_and_addresses_have_separate_budgets(clock: Clock) -> None:
    one = Rate(per_second=1, burst=1)
    limits = AccessLimits(one, one, one, POLICY, clock=clock)
    limits.check_api_user(7)
    limits.check_api_key(7)
    limits.check_client("192.0.2.7")
    refused_for(limits.check_api_user, 7)
    refused_for(limits.check_api_key, 7)
    refused_for(limits.check_client, "192.0.2.7")


def test_retry_after_is_whole_seconds_and_never_zero() -> None:
    assert RateLimited(0.001).retry_after == 1
    assert RateLimited(1.0).retry_after == 1
    assert RateLimited(1.2).retry_after == 2
