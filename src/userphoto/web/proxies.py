"""The client and scheme a trusted reverse proxy forwards, put in the request's scope.

What granian's and uvicorn's proxy-header wrappers do, but with the trust in each peer
address decided once: both parse the peer address with `ipaddress` on every request, which
cost as much as the whole answer of a remembered photo.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from starlette.types import ASGIApp, Receive, Scope, Send

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
_SCHEMES = frozenset({"http", "https"})


class TrustedProxies:
    """Addresses and networks (and, for tests and Unix sockets, literal names) trusted to
    forward; `*` trusts every peer."""

    def __init__(self, setting: str) -> None:
        entries = [entry.strip() for entry in setting.split(",") if entry.strip()]
        self._any = "*" in entries
        self._networks: list[Network] = []
        self._names: set[str] = set()
        for entry in entries:
            try:
                self._networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                self._names.add(entry)
        # Per instance, so each setting has its own; a node sees a bounded set of peers.
        self.trusts = lru_cache(maxsize=4096)(self._trusts)

    def _trusts(self, host: str) -> bool:
        if self._any or host in self._names:
            return True
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return any(address in network for network in self._networks)

    def client(self, forwarded_for: str) -> str:
        """The nearest address in an X-Forwarded-For chain that is not a trusted proxy."""
        hops = [hop.strip() for hop in forwarded_for.split(",")]
        for hop in reversed(hops):
            if not self.trusts(hop):
                return hop
        return hops[0]


class ForwardedHeaders:
    """ASGI middleware: from a trusted peer, X-Forwarded-For names the client and
    X-Forwarded-Proto the scheme; from any other peer both are ignored."""

    def __init__(self, app: ASGIApp, proxies: TrustedProxies) -> None:
        self._app = app
        self._proxies = proxies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        peer = scope.get("client")
        if scope["type"] == "http" and peer and self._proxies.trusts(peer[0]):
            self._apply(scope)
        await self._app(scope, receive, send)

    def _apply(self, scope: Scope) -> None:
        chain: list[str] = []
        proto = None
        for name, value in scope["headers"]:
            if name == b"x-forwarded-for":
                chain.append(value.decode("latin-1"))
            elif name == b"x-forwarded-proto" and proto is None:
                proto = value.decode("latin-1").strip().lower()
        if not chain:
            return
        client = self._proxies.client(",".join(chain))
        if client:
            scope["client"] = (client, 0)
            if proto in _SCHEMES:
                scope["scheme"] = proto
