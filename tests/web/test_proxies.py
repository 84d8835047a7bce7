"""The served app trusts X-Forwarded-For and X-Forwarded-Proto from USERPHOTO_TRUSTED_PROXIES
only: the client address budgets and HSTS follow the forwarded client, never a forged one."""

from __future__ import annotations

import hashlib

import pytest
from starlette.testclient import TestClient

from userphoto.config import Settings
from userphoto.web.app import served_app
from userphoto.web.proxies import TrustedProxies

AVATAR = f"/avatar/{hashlib.md5(b'ada@example.org').hexdigest()}?s=96&d=404"
# Starlette's test client connects as the peer named "testclient".
PROXY = "testclient"


def _answers(settings: Settings, requests: list[dict[str, str]]) -> list[tuple[int, bool]]:
    """(status, HSTS sent) for each request, on a node allowing each client one request."""
    limited = settings.with_(rate_limit_client_per_second=1, rate_limit_client_burst=1)
    with TestClient(served_app(limited)) as client:
        answers = [client.get(AVATAR, headers=headers) for headers in requests]
    return [(a.status_code, "strict-transport-security" in a.headers) for a in answers]


def forwarded(client: str, proto: str = "http") -> dict[str, str]:
    return {"X-Forwarded-For": client, "X-Forwarded-Proto": proto}


def test_a_trusted_proxy_gives_each_forwarded_client_its_own_budget(settings: Settings):
    trusting = settings.with_(trusted_proxies=f"10.0.0.0/8, {PROXY}")
    answers = _answers(
        trusting,
        [forwarded("203.0.113.7"), forwarded("203.0.113.8"), forwarded("203.0.113.7")],
    )
    assert [status for status, _ in answers] == [404, 404, 429]


def test_the_nearest_untrusted_address_in_the_chain_is_the_client(settings: Settings):
    trusting = settings.with_(trusted_proxies=f"10.0.0.0/8, {PROXY}")
    # A client cannot pick its budget by writing its own X-Forwarded-For before the proxy's.
    chain = [forwarded(f"198.51.100.{n}, 203.0.113.7, 10.1.2.3") for n in range(2)]
    assert [status for status, _ in _answers(trusting, chain)] == [404, 429]


def test_forwarded_headers_from_an_untrusted_peer_are_ignored(settings: Settings) -> None:
    answers = _answers(settings, [forwarded("203.0.113.7", "https"), forwarded("203.0.113.8")])
    assert answers == [(404, False), (429, False)]


def test_a_trusted_proxy_forwards_the_https_scheme(settings: Settings) -> None:
    trusting = settings.with_(trusted_proxies=PROXY)
    answers = _answers(trusting, [forwarded("203.0.113.7", "https")])
    assert answers == [(404, True)]


@pytest.mark.parametrize(
    ("setting", "host", "trusted"),
    [
        ("127.0.0.1", "127.0.0.1", True),
        ("127.0.0.1", "127.0.0.2", False),
        ("10.0.0.0/8", "10.200.3.4", True),
        ("10.0.0.0/8", "11.0.0.1", False),
        ("fd00::/8, 127.0.0.1", "fd12::1", True),
        ("fd00::/8", "::1", False),
        ("*", "203.0.113.7", True),
        ("*", "not an address", True),
        ("10.0.0.0/8", "not an address", False),
        ("10.0.0.0/8", "", False),
        ("", "127.0.0.1", False),
        ("proxy.internal", "proxy.internal", True),
    ],
)
def test_trust_follows_the_setting(setting: str, host: str, trusted: bool) -> None:
    assert TrustedProxies(setting).trusts(host) is trusted
