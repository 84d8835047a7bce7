"""Downloading a photo a client names by URL, without letting the URL reach inside the network.

The core states the policy (which addresses are off limits, how much and how long) and the
port; `userphoto.net.fetch` is the HTTP adapter that enforces it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from userphoto.core.errors import UserPhotoError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class FetchRefused(UserPhotoError):
    """The URL was not fetched, or not completely. `reason` is a stable word:

    "bad-url", "scheme", "unresolvable", "blocked-address", "too-many-redirects",
    "http-status", "too-large", "timeout", "unreachable".
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class UrlFetcher(Protocol):
    def fetch(self, url: str, max_bytes: int) -> bytes:
        """The body of `url`, at most `max_bytes` long; FetchRefused for anything else."""
        ...


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    blocked: tuple[IPNetwork, ...]
    allowed: tuple[IPNetwork, ...] = ()
    timeout: float = 10.0
    max_redirects: int = 3

    @classmethod
    def parse(
        cls, blocked: str, allowed: str = "", timeout: float = 10.0, max_redirects: int = 3
    ) -> FetchPolicy:
        """From comma-separated network lists, as the settings hold them."""
        return cls(_networks(blocked), _networks(allowed), timeout, max_redirects)

    def permits(self, address: IPAddress) -> bool:
        # An IPv4 address written as IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address.
        mapped = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None
        candidates = [address] if mapped is None else [address, mapped]
        if any(_inside(a, self.allowed) for a in candidates):
            return True
        return not any(_inside(a, self.blocked) for a in candidates)


def _inside(address: IPAddress, networks: Iterable[IPNetwork]) -> bool:
    return any(address.version == n.version and address in n for n in networks)


def _networks(text: str) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(part.strip()) for part in text.split(",") if part.strip())
