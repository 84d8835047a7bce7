"""The URL fetcher behind `core.fetching.UrlFetcher`: pinned, checked, bounded downloads.

Each host is resolved once; every address it resolves to must pass the policy, and the
connection goes to that checked address while Host and TLS SNI carry the name, so a DNS
answer cannot change between the check and the connection. Redirects are followed by hand
and checked the same way. The body is streamed and cut off at the byte limit and deadline.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.exceptions import HTTPError, TimeoutError
from urllib3.util import Timeout

from userphoto.core.fetching import FetchPolicy, FetchRefused, IPAddress

Resolver = Callable[[str, int], list[IPAddress]]

_CHUNK = 64 * 1024
_DEFAULT_PORTS = {"http": 80, "https": 443}
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


def system_resolver(host: str, port: int) -> list[IPAddress]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchRefused("unresolvable", f"cannot resolve {host}: {exc}") from None
    return list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in infos))


class PinnedFetcher:
    def __init__(self, policy: FetchPolicy, resolver: Resolver = system_resolver) -> None:
        self._policy = policy
        self._resolver = resolver

    def fetch(self, url: str, max_bytes: int) -> bytes:
        deadline = time.monotonic() + self._policy.timeout
        for _ in range(self._policy.max_redirects + 1):
            response = self._request(url, deadline)
            try:
                location = response.headers.get("location")
                if response.status in _REDIRECTS and location:
                    url = urljoin(url, location)
                    continue
                if not 200 <= response.status < 300:
                    raise FetchRefused("http-status", f"the server answered {response.status}")
                return _bounded_body(response, max_bytes, deadline)
            finally:
                response.release_conn()
        raise FetchRefused("too-many-redirects", "the URL redirects too often")

    def _request(self, url: str, deadline: float) -> urllib3.BaseHTTPResponse:
        target = _Target.parse(url)
        address = self._checked_address(target.host, target.port)
        pool = _pool(target.scheme, address, target.port, target.host, _remaining(deadline))
        headers = {"Host": target.host_header, "Accept-Encoding": "identity"}
        try:
            return pool.urlopen(
                "GET",
                target.path,
                headers=headers,
                redirect=False,
                retries=False,
                preload_content=False,
                decode_content=False,
            )
        except TimeoutError:
            raise FetchRefused("timeout", "the server did not answer in time") from None
        except HTTPError as exc:
            raise FetchRefused("unreachable", f"cannot fetch the URL: {exc}") from None

    def _checked_address(self, host: str, port: int) -> IPAddress:
        try:
            addresses = [ipaddress.ip_address(host)]
        except ValueError:
            addresses = self._resolver(host, port)
        if not addresses:
            raise FetchRefused("unresolvable", f"{host} has no address")
        refused = [a for a in addresses if not self._policy.permits(a)]
        if refused:
            raise FetchRefused("blocked-address", f"{host} resolves to a blocked address")
        return addresses[0]


@dataclass(frozen=True, slots=True)
class _Target:
    scheme: str
    host: str
    port: int
    path: str
    host_header: str

    @classmethod
    def parse(cls, url: str) -> _Target:
        try:
            parts = urlsplit(url)
            scheme = parts.scheme.lower()
            host, port = parts.hostname, parts.port
        except ValueError as exc:
            raise FetchRefused("bad-url", f"the URL is malformed: {exc}") from None
        if scheme not in _DEFAULT_PORTS:
            raise FetchRefused("scheme", "only http and https URLs can be fetched")
        if not host:
            raise FetchRefused("bad-url", "the URL has no host")
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        host_header = parts.netloc.rpartition("@")[2]
        return cls(scheme, host, port or _DEFAULT_PORTS[scheme], path, host_header)


def _pool(
    scheme: str, address: IPAddress, port: int, host: str, timeout: float
) -> urllib3.HTTPConnectionPool:
    limits = Timeout(connect=timeout, read=timeout)
    if scheme == "https":
        return urllib3.HTTPSConnectionPool(
            str(address),
            port,
            timeout=limits,
            maxsize=1,
            cert_reqs="CERT_REQUIRED",
            assert_hostname=host,
            server_hostname=host,
        )
    return urllib3.HTTPConnectionPool(str(address), port, timeout=limits, maxsize=1)


def _bounded_body(response: urllib3.BaseHTTPResponse, max_bytes: int, deadline: float) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchRefused("too-large", f"the body has {declared} bytes, more than {max_bytes}")
    chunks: list[bytes] = []
    received = 0
    try:
        while chunk := response.read1(_CHUNK):
            received += len(chunk)
            if received > max_bytes:
                raise FetchRefused("too-large", f"the body is longer than {max_bytes} bytes")
            _remaining(deadline)
            chunks.append(chunk)
    except TimeoutError:
        raise FetchRefused("timeout", "the server sent the body too slowly") from None
    except HTTPError as exc:
        raise FetchRefused("unreachable", f"the download broke off: {exc}") from None
    return b"".join(chunks)


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchRefused("timeout", "the download took too long")
    return left
