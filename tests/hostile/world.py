"""The one populated store a hostile corpus runs against, and the checksum that proves it unchanged.

Every case is a request that must be refused, so the store after it must be byte for byte
the store before it: every table's rows in a stable order, and every blob file.
"""

from __future__ import annotations

import dataclasses
import hashlib
import ipaddress
import socket
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select
from starlette.testclient import TestClient

from tests.databases import postgres_schema
from tests.hostile.redirector import Redirector
from tests.images import encode, quadrants
from userphoto.bootstrap import fetch_policy, open_services
from userphoto.config import Settings
from userphoto.core.fetching import FetchRefused, IPAddress
from userphoto.core.model import PhotoOwner, Right, Scope, User
from userphoto.core.services import Services
from userphoto.net.fetch import PinnedFetcher
from userphoto.storage.schema import metadata
from userphoto.web.app import create_app

PASSWORD = "hostile-pass-123"
# The names the fake DNS answers, each resolving to an address inside the network.
INNER_NAMES: dict[str, tuple[str, ...]] = {
    "localhost": ("127.0.0.1", "::1"),
    "localhost.": ("127.0.0.1",),
    "intranet.example": ("10.0.0.7",),
    "metadata.example": ("169.254.169.254",),
    "six.example": ("::1",),
    "mapped.example": ("::ffff:10.0.0.1",),
    # One public and one private answer: the private one alone must refuse the URL.
    "rebind.example": ("93.184.215.14", "127.0.0.1"),
    "nip.example": ("192.168.1.1",),
}


@dataclass(frozen=True)
class Wire:
    """One HTTP request as the TestClient sends it."""

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes | None = None
    files: dict[str, Any] | None = None
    data: dict[str, str] | None = None


@dataclass(frozen=True)
class World:
    """The running app over the seeded store, with every credential a case may need."""

    client: TestClient
    services: Services
    settings: Settings
    admin: User  # number 1, is_admin
    ben: User  # number 2, with a photo
    cy: User  # number 3, without a photo
    admin_key: str
    ben_key: str
    token: str  # an onOffice API user with the read right
    secret: str
    session: str  # the admin pages' session cookie value
    csrf: str
    redirector: str  # base URL of a server that redirects wherever ?to= says

    def send(self, wire: Wire) -> httpx.Response:
        self.client.cookies.clear()
        return self.client.request(
            wire.method,
            wire.path,
            headers=wire.headers,
            content=wire.content,
            files=wire.files,
            data=wire.data,
            follow_redirects=False,
        )

    def checksum(self) -> str:
        return store_checksum(self.services, self.settings.data_dir / "blobs")


def store_checksum(services: Services, blob_dir: Path) -> str:
    """SHA-256 over every row of every table (in key order) and every blob file."""
    digest = hashlib.sha256()
    with services.store.engine.connect() as conn:
        for table in metadata.sorted_tables:
            digest.update(f"\0table:{table.name}\0".encode())
            for row in conn.execute(select(table).order_by(*table.columns)):
                digest.update(repr(tuple(row)).encode())
    if blob_dir.exists():
        for path in sorted(p for p in blob_dir.rglob("*") if p.is_file()):
            digest.update(f"\0blob:{path.relative_to(blob_dir)}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def fake_dns(host: str, port: int) -> list[IPAddress]:
    """What a resolver answers: numeric forms as inet_aton reads them, names from INNER_NAMES."""
    if host in INNER_NAMES:
        return [ipaddress.ip_address(a) for a in INNER_NAMES[host]]
    try:
        # The legacy forms getaddrinfo accepts too: 2130706433, 0x7f.1, 0177.0.0.1, 127.1.
        return [ipaddress.ip_address(socket.inet_aton(host))]
    except (OSError, UnicodeError, ValueError):
        raise FetchRefused("unresolvable", f"cannot resolve {host}") from None


def _photo(hue: int) -> bytes:
    return encode(quadrants(300 + hue, 300), "JPEG")


def _seed(services: Services) -> dict[str, Any]:
    save = services.directory.save_user
    admin = save(
        {
            "number": 1,
            "username": "ada",
            "email": "ada@example.org",
            "first_name": "Ada",
            "last_name": "Admin",
            "is_admin": True,
        },
        PASSWORD,
    )
    ben = save(
        {
            "number": 2,
            "username": "ben",
            "email": "ben@example.org",
            "first_name": "Ben",
            "last_name": "Brook",
        },
        PASSWORD,
    )
    cy = save({"number": 3, "username": "cy", "email": "cy@example.org", "first_name": "Cy"})
    services.photos.set_photo(PhotoOwner.user(1), _photo(20))
    services.photos.set_photo(PhotoOwner.user(2), _photo(0))
    _, admin_key = services.auth.create_key(1, "hostile-admin", [Scope.ALL])
    _, ben_key = services.auth.create_key(2, "hostile-ben", [Scope.ALL])
    api_user = services.api_users.create("hostile", 2, [Right.READ_USER_DATA])
    return {
        "admin": admin,
        "ben": ben,
        "cy": cy,
        "admin_key": admin_key,
        "ben_key": ben_key,
        "token": api_user.token,
        "secret": api_user.secret,
    }


def _admin_session(client: TestClient) -> tuple[str, str]:
    """Logs the admin in as a browser would; the session and CSRF cookie values."""
    client.get("/admin/login")
    csrf = client.cookies["userphoto_csrf"]
    answer = client.post(
        "/admin/login",
        data={"csrf_token": csrf, "login": "ada", "password": PASSWORD},
        follow_redirects=False,
    )
    assert answer.status_code in {200, 303}, answer.text
    return client.cookies["userphoto_session"], client.cookies["userphoto_csrf"]


@contextmanager
def world(data_dir: Path, database_url: str = "") -> Iterator[World]:
    with ExitStack() as stack:
        redirector = stack.enter_context(Redirector())
        settings = Settings(
            data_dir=data_dir,
            public_url="http://testserver",
            database_url=database_url,
            server_key="hostile-server-key",
            fetch_allowed_networks=f"{redirector.host}/32",
            fetch_timeout=2,
            gravatar_default_hosts="gravatar.com",
        )
        services = open_services(settings)
        stack.callback(services.close)
        services = dataclasses.replace(
            services, fetcher=PinnedFetcher(fetch_policy(settings), resolver=fake_dns)
        )
        seeded = _seed(services)
        client = stack.enter_context(TestClient(create_app(settings, services)))
        session, csrf = _admin_session(client)
        yield World(
            client,
            services,
            settings,
            session=session,
            csrf=csrf,
            redirector=redirector.url,
            **seeded,
        )


class Worlds:
    """One world per store kind, made when a case first needs it and closed with the module."""

    def __init__(self, base: Path) -> None:
        self._base = base
        self._stack = ExitStack()
        self._made: dict[str, World] = {}

    def get(self, kind: str) -> World:
        if kind not in self._made:
            self._made[kind] = self._stack.enter_context(self._open(kind))
        return self._made[kind]

    @contextmanager
    def _open(self, kind: str) -> Iterator[World]:
        if kind == "sqlite":
            with world(self._base / "sqlite") as made:
                yield made
            return
        with postgres_schema() as url, world(self._base / "postgresql", url) as made:
            yield made

    def close(self) -> None:
        self._stack.close()


Builder = Callable[[World], Wire]
