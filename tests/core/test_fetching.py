"""The fetch policy's address rules and the pinned fetcher against a loopback origin."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

import pytest

from tests.dialects.docspace.servers import OriginServer, body, endless, redirect
from userphoto.config import DEFAULT_BLOCKED_NETWORKS, Settings
from userphoto.core.fetching import FetchPolicy, FetchRefused, IPAddress
from userphoto.net.fetch import PinnedFetcher

SHIPPED = FetchPolicy.parse(",".join(DEFAULT_BLOCKED_NETWORKS))
LOOPBACK_ALLOWED = FetchPolicy.parse(
    ",".join(DEFAULT_BLOCKED_NETWORKS), "127.0.0.1/32", timeout=2, max_redirects=2
)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.20.30.40",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fd00:ec2::254",
        "fe80::1",
        "ff02::1",
        "::ffff:10.0.0.1",
        "::127.0.0.1",  # IPv4-compatible (deprecated) form
        "64:ff9b::a00:1",
        "2002:a00:1::",
    ],
)
def test_the_shipped_block_list_refuses_inner_addresses(address: str) -> None:
    assert not SHIPPED.permits(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:4700::1111", "8.8.8.8"])
def test_public_addresses_pass(address: str) -> None:
    assert SHIPPED.permits(ipaddress.ip_address(address))


def test_the_allow_list_opens_exactly_what_it_names() -> None:
    assert LOOPBACK_ALLOWED.permits(ipaddress.ip_address("127.0.0.1"))
    assert not LOOPBACK_ALLOWED.permits(ipaddress.ip_address("127.0.0.2"))


def test_the_default_settings_block_the_shipped_list() -> None:
    assert Settings().fetch_blocked_networks == ",".join(DEFAULT_BLOCKED_NETWORKS)
    assert Settings().fetch_allowed_networks == ""


@pytest.fixture
def origin() -> Iterator[OriginServer]:
    with OriginServer() as server:
        yield server


class CountingResolver:
    def __init__(self, answer: str) -> None:
        self.answer = answer
        self.calls: list[str] = []

    def __call__(self, host: str, port: int) -> list[IPAddress]:
        self.calls.append(host)
        return [ipaddress.ip_address(self.answer)]


def test_a_name_is_resolved_once_and_the_connection_pinned(origin: OriginServer) -> None:
    origin.replies["/a.png"] = body(b"picture")
    resolver = CountingResolver("127.0.0.1")
    port = origin.url.rsplit(":", 1)[1]
    fetched = PinnedFetcher(LOOPBACK_ALLOWED, resolver).fetch(
        f"http://photos.example:{port}/a.png", 100
    )
    assert fetched == b"picture"
    assert resolver.calls == ["photos.example"]
    assert origin.hosts == [f"photos.example:{port}"]


def test_a_name_with_any_blocked_address_is_refused(origin: OriginServer) -> None:
    def mixed(host: str, port: int) -> list[IPAddress]:
        return [ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("10.0.0.1")]

    with pytest.raises(FetchRefused) as refused:
        PinnedFetcher(LOOPBACK_ALLOWED, mixed).fetch(
            origin.url.replace("127.0.0.1", "x.example"), 10
        )
    assert refused.value.reason == "blocked-address"
    assert origin.hits == []


@pytest.mark.parametrize(
    ("path", "reason"),
    [("/big", "too-large"), ("/declared", "too-large"), ("/loop", "too-many-redirects")],
)
def test_limits(origin: OriginServer, path: str, reason: str) -> None:
    origin.replies["/big"] = endless()
    origin.replies["/declared"] = body(b"x" * 1000)
    origin.replies["/loop"] = redirect("/loop")
    with pytest.raises(FetchRefused) as refused:
        PinnedFetcher(LOOPBACK_ALLOWED).fetch(origin.url + path, 999)
    assert refused.value.reason == reason


def test_redirects_within_the_limit_are_followed(origin: OriginServer) -> None:
    origin.replies["/a"] = redirect("/b")
    origin.replies["/b"] = redirect(origin.url + "/c")
    origin.replies["/c"] = body(b"end")
    assert PinnedFetcher(LOOPBACK_ALLOWED).fetch(origin.url + "/a", 10) == b"end"


@pytest.mark.parametrize("url", ["gopher://x/", "http:///nohost", "http://[::1", "http://h:99999/"])
def test_malformed_urls(url: str) -> None:
    with pytest.raises(FetchRefused) as refused:
        PinnedFetcher(SHIPPED, CountingResolver("93.184.215.14")).fetch(url, 10)
    assert refused.value.reason in {"scheme", "bad-url"}
