"""Who gets what, on every route: the permission matrix of docs/permissions.md, run for real.

`docs/permissions.md` holds the documented answer of every request below to every kind of
caller (who the callers are and what a cell means is explained there). The test sends
each request as each caller to a fresh copy of one small directory and compares with the
document. A route of the app without a request here, a request without a line in the
document, or a line without a request fails the test: no route goes undocumented.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import httpx
import pytest
from starlette.routing import Mount, Route
from starlette.testclient import TestClient

from tests.core.fakes import FakeUrlFetcher
from tests.dialects.ews.soap import E, get_user_photo, set_user_photo
from tests.dialects.onoffice.support import OnOfficeClient
from tests.images import encode, solid
from userphoto.bootstrap import open_services
from userphoto.config import Settings
from userphoto.core.model import PhotoOwner, Right, Scope
from userphoto.web.app import create_app

DOCUMENT = Path(__file__).parents[2] / "docs" / "permissions.md"
CALLERS = (
    "anonymous",
    "own",
    "other",
    "admin",
    "own self:read",
    "own self:write",
    "other people:read",
    "other people:write",
    "admin people:read",
    "other self:read",
    "other self:write",
    "api user",
    "api user no right",
)
# Who each key-holding caller is, and the key's scopes.
KEYS: dict[str, tuple[int, list[Scope]]] = {
    "own": (2, [Scope.ALL]),
    "other": (3, [Scope.ALL]),
    "admin": (1, [Scope.ALL]),
    "own self:read": (2, [Scope.SELF_READ]),
    "own self:write": (2, [Scope.SELF_WRITE]),
    "other people:read": (3, [Scope.PEOPLE_READ]),
    "other people:write": (3, [Scope.PEOPLE_WRITE]),
    "admin people:read": (1, [Scope.PEOPLE_READ]),
    "other self:read": (3, [Scope.SELF_READ]),
    "other self:write": (3, [Scope.SELF_WRITE]),
}
SESSIONS = {"own": "pat", "other": "cy", "admin": "boss"}
PASSWORDS = {"boss": "boss-pass-1", "pat": "pat-pass-2", "cy": "cy-pass-3"}
CSRF = "c" * 32
FETCHED_URL = "https://photos.example.org/pat.jpg"
SAFE = frozenset({"GET", "HEAD"})


def jpeg(side: int = 240, colour: tuple[int, int, int] = (30, 90, 160)) -> bytes:
    return encode(solid((side, side), colour), "JPEG")


@dataclass(frozen=True)
class Row:
    """One request and the route it exercises."""

    method: str
    route: str  # the route's path as the app registers it
    url: str  # the request's URL; {names} are filled from the directory's ids
    note: str = ""  # tells apart requests of the same method and URL
    session: bool = False  # the admin pages: own/other/admin send their session cookie
    body: dict[str, Any] = field(default_factory=dict)  # httpx keywords: json, content, ...
    onoffice: dict[str, Any] | None = None  # an api.php action: resourcetype, resourceid

    @property
    def label(self) -> str:
        return f"`{self.method} {self.url}`" + (f" ({self.note})" if self.note else "")


def graph_rows() -> list[Row]:
    """Graph's photo routes under both versions, for a named user and for `/me`."""
    photo = {"content": jpeg(), "headers": {"Content-Type": "image/jpeg"}}
    requests: list[tuple[str, str, dict[str, Any]]] = [
        ("GET", "/photo", {}),
        ("GET", "/photo/$value", {}),
        ("PUT", "/photo/$value", photo),
        ("PATCH", "/photo/$value", photo),
        ("DELETE", "/photo/$value", {}),
        ("GET", "/photos", {}),
        ("GET", "/photos/{size}", {}),
        ("GET", "/photos/{size}/$value", {}),
    ]
    rows = []
    for version in ("v1.0", "beta"):
        for subject in ("/users/{ref}", "/me"):
            for method, path, body in requests:
                route = f"/{version}{subject}{path}"
                url = route.replace("{ref}", "pat@example.org").replace("{size}", "48x48")
                rows.append(Row(method, route, url, body=body))
    return rows


def onoffice(method: str, resourcetype: str, resourceid: int) -> Row:
    action = {"resourcetype": resourcetype, "resourceid": resourceid}
    note = f"{resourcetype} {resourceid}"
    return Row(method, "/api/{version}/api.php", "/api/stable/api.php", note, onoffice=action)


def admin(method: str, route: str, **body: Any) -> Row:
    url = route.replace("{number:int}", "2").replace("{key_id:int}", "{spare_key}")
    url = url.replace("{api_user_id:int}", "{spare_api_user}").replace("{size}", "96")
    url = url.replace("{photo_id:int}", "{version}")
    return Row(method, route, url, session=True, body=body)


def native(method: str, route: str, **body: Any) -> Row:
    url = route.replace("/api-users/{id}", "/api-users/{spare_api_user}")
    url = url.replace("/api-keys/{id}", "/api-keys/{spare_key}")
    url = url.replace("{number}", "2").replace("{size}", "48").replace("{id}", "10")
    return Row(method, "/api/v1" + route, "/api/v1" + url, body=body)


CROP = {"x": 0, "y": 0, "width": 100, "height": 100}
MATRIX: list[Row] = [
    Row("GET", "/healthz", "/healthz"),
    Row("GET", "/", "/"),
    onoffice("POST", "user", 2),
    onoffice("POST", "user", 3),
    onoffice("POST", "userphoto", 2),
    onoffice("GET", "user", 2),
    Row("GET", "/smart20/Dateien/{customer}/users/Userphoto_{number:int}.jpg",
        "/smart20/Dateien/userphoto/users/Userphoto_2.jpg"),
    Row("POST", "/ews/exchange.asmx", "/EWS/Exchange.asmx", "GetUserPhoto of pat",
        body={"content": get_user_photo("pat@example.org", "HR48x48")}),
    Row("POST", "/ews/exchange.asmx", "/EWS/Exchange.asmx", "SetUserPhoto of pat",
        body={"content": set_user_photo("pat@example.org", base64.b64encode(jpeg()).decode())}),
    Row("GET", "/ews/exchange.asmx/s/getuserphoto",
        "/EWS/Exchange.asmx/s/GetUserPhoto?email=pat@example.org&size=HR48x48"),
    Row("POST", "/api/2.0/authentication", "/api/2.0/authentication", "pat's password",
        body={"json": {"userName": "pat", "password": PASSWORDS["pat"]}}),
    Row("GET", "/api/2.0/people/@self", "/api/2.0/people/@self"),
    Row("GET", "/api/2.0/people/email", "/api/2.0/people/email?email=pat@example.org"),
    Row("GET", "/api/2.0/people", "/api/2.0/people"),
    Row("GET", "/api/2.0/people/{userid}", "/api/2.0/people/pat"),
    Row("GET", "/api/2.0/people/{userid}/photo", "/api/2.0/people/pat/photo"),
    Row("POST", "/api/2.0/people/{userid}/photo", "/api/2.0/people/pat/photo",
        body={"files": {"File": ("pat.jpg", jpeg(), "image/jpeg")}, "data": {"Autosave": "true"}}),
    Row("PUT", "/api/2.0/people/{userid}/photo", "/api/2.0/people/pat/photo",
        body={"json": {"files": FETCHED_URL}}),
    Row("DELETE", "/api/2.0/people/{userid}/photo", "/api/2.0/people/pat/photo"),
    Row("POST", "/api/2.0/people/{userid}/photo/thumbnails", "/api/2.0/people/pat/photo/thumbnails",
        body={"json": CROP}),
    Row("GET", "/storage/userPhotos/root/{name}", "/storage/userPhotos/root/{stored}"),
    Row("GET", "/storage/userPhotos/temp/{name}", "/storage/userPhotos/temp/{staged}"),
    Row("GET", "/static/images/{name}", "/static/images/default_user_photo_size_48-48.png"),
    *graph_rows(),
    Row("GET", "/avatar/{hash}", "/avatar/" + hashlib.md5(b"pat@example.org").hexdigest()),
    admin("GET", "/admin"),
    admin("GET", "/admin/login"),
    Row("POST", "/admin/login", "/admin/login", "pat's password", session=True,
        body={"data": {"login": "pat", "password": PASSWORDS["pat"]}}),
    Row("POST", "/admin/login", "/admin/login", "boss's password", session=True,
        body={"data": {"login": "boss", "password": PASSWORDS["boss"]}}),
    admin("POST", "/admin/logout"),
    admin("GET", "/admin/people/{number:int}"),
    admin("POST", "/admin/people/{number:int}/photo",
          files={"photo": ("pat.jpg", jpeg(), "image/jpeg")}),
    admin("POST", "/admin/people/{number:int}/crop", data={k: str(v) for k, v in CROP.items()}),
    admin("POST", "/admin/people/{number:int}/delete-photo"),
    admin("POST", "/admin/people/{number:int}/restore", data={"photo_id": "{version}"}),
    admin("GET", "/admin/people/{number:int}/photo/{size}"),
    admin("GET", "/admin/people/{number:int}/versions/{photo_id:int}/{size}"),
    admin("GET", "/admin/keys"),
    admin("POST", "/admin/keys", data={"name": "new", "owner": "2", "scopes": "self:read"}),
    admin("POST", "/admin/keys/{key_id:int}/revoke"),
    admin("GET", "/admin/api-users"),
    admin("POST", "/admin/api-users", data={"name": "new", "user": "2"}),
    admin("POST", "/admin/api-users/{api_user_id:int}/revoke"),
    Row("GET", "/admin/static", "/admin/static/admin.bundle.css"),
    native("GET", "/users"),
    native("POST", "/users", json={"number": 60, "email": "new@example.org"}),
    native("GET", "/users/{number}"),
    native("PATCH", "/users/{number}", json={"first_name": "Patricia"}),
    native("DELETE", "/users/{number}"),
    native("GET", "/addresses"),
    native("GET", "/addresses/{id}"),
    native("PUT", "/addresses/{id}", json={"company": "Home"}),
    native("DELETE", "/addresses/{id}"),
    native("GET", "/addresses/{id}/photo"),
    native("PUT", "/addresses/{id}/photo", content=jpeg(), headers={"Content-Type": "image/jpeg"}),
    native("DELETE", "/addresses/{id}/photo"),
    native("GET", "/addresses/{id}/photo/{size}"),
    native("GET", "/users/{number}/photo"),
    native("PUT", "/users/{number}/photo", content=jpeg(), headers={"Content-Type": "image/jpeg"}),
    native("DELETE", "/users/{number}/photo"),
    native("GET", "/users/{number}/photo/original"),
    native("POST", "/users/{number}/photo/crop", json=CROP),
    native("GET", "/users/{number}/photo/versions"),
    native("POST", "/users/{number}/photo/versions/{version}/restore"),
    native("GET", "/users/{number}/photo/{size}"),
    native("GET", "/api-users"),
    native("POST", "/api-users", json={"name": "new", "user_number": 2}),
    native("DELETE", "/api-users/{id}"),
    native("GET", "/api-keys"),
    native("POST", "/api-keys", json={"name": "new", "user_number": 2}),
    native("DELETE", "/api-keys/{id}"),
    native("GET", "/audit"),
    Row("GET", "/openapi.json", "/openapi.json"),
    Row("GET", "/docs", "/docs"),
    Row("GET", "/docs/init.js", "/docs/init.js"),
    Row("GET", "/docs/assets", "/docs/assets/swagger-ui.css"),
]  # fmt: skip


# ---- running a row -----------------------------------------------------------------------


@dataclass
class Directory:
    """The template directory's data dir and the ids and secrets requests refer to."""

    data_dir: Path
    keys: dict[str, str]
    sessions: dict[str, str]
    api_users: dict[str, tuple[str, str]]
    ids: dict[str, Any]


def settings_for(data_dir: Path) -> Settings:
    return Settings(data_dir=data_dir, public_url="http://testserver")


@pytest.fixture(scope="module")
def directory(tmp_path_factory: pytest.TempPathFactory) -> Directory:
    return build_directory(tmp_path_factory.mktemp("matrix") / "data")


def build_directory(data_dir: Path) -> Directory:
    services = open_services(settings_for(data_dir))
    save = services.directory.save_user
    services.directory.save_address({"id": 10, "first_name": "Pat", "last_name": "Home"})
    save({"number": 1, "username": "boss", "email": "boss@example.org", "is_admin": True},
         password=PASSWORDS["boss"])  # fmt: skip
    save({"number": 2, "username": "pat", "email": "pat@example.org", "address_id": 10},
         password=PASSWORDS["pat"])  # fmt: skip
    save({"number": 3, "username": "cy", "email": "cy@example.org"}, password=PASSWORDS["cy"])
    pat = PhotoOwner.user(2)
    first = services.photos.set_photo(pat, jpeg(colour=(200, 40, 40)))
    services.photos.set_photo(pat, jpeg())
    services.photos.set_photo(PhotoOwner.address(10), jpeg(colour=(40, 200, 40)))
    keys = {name: services.auth.create_key(n, name, s)[1] for name, (n, s) in KEYS.items()}
    spare_key = services.auth.create_key(2, "spare", [Scope.SELF_READ])[0]
    sessions = {
        caller: services.auth.open_session(services.auth.login(login, PASSWORDS[login]))
        for caller, login in SESSIONS.items()
    }
    with_right = services.api_users.create("crm", 3, [Right.READ_USER_DATA])
    without = services.api_users.create("site", 3, [])
    spare_api_user = services.api_users.create("spare", None, [])
    api_users = {
        "api user": (with_right.token, with_right.secret),
        "api user no right": (without.token, without.secret),
    }
    ids = {
        "version": first.id,
        "spare_key": spare_key.id,
        "spare_api_user": spare_api_user.api_user.id,
    }
    app = create_app(settings_for(data_dir), services)
    with TestClient(app) as client:
        auth = {"Authorization": f"Bearer {keys['own']}"}
        thumbnails = client.get("/api/2.0/people/2/photo", headers=auth).json()["response"]
        ids["stored"] = httpx.URL(thumbnails["max"]).path.rsplit("/", 1)[1]
        form = {"File": ("pat.jpg", jpeg(), "image/jpeg")}
        staged = client.post("/api/2.0/people/2/photo", headers=auth, files=form,
                             data={"Autosave": "false"}).json()["response"]["data"]  # fmt: skip
        ids["staged"] = staged.rsplit("/", 1)[1]
    services.close()
    return Directory(data_dir, keys, sessions, api_users, ids)


class World:
    """A fresh copy of the directory behind the app; renewed after a request changed it."""

    def __init__(self, directory: Directory, tmp_path: Path) -> None:
        self._directory = directory
        self._tmp_path = tmp_path
        self._copies = 0
        self.client = self._open()

    def renew(self) -> None:
        self.close()
        self.client = self._open()

    def close(self) -> None:
        self.client.__exit__(None, None, None)
        self._services.close()

    def _open(self) -> TestClient:
        self._copies += 1
        data_dir = self._tmp_path / f"copy-{self._copies}"
        shutil.copytree(self._directory.data_dir, data_dir)
        settings = settings_for(data_dir)
        fetcher = FakeUrlFetcher()
        fetcher.bodies[FETCHED_URL] = jpeg(colour=(90, 90, 90))
        self._services = replace(open_services(settings), fetcher=fetcher)
        client = TestClient(create_app(settings, self._services))
        client.__enter__()
        return client


@pytest.fixture
def world(directory: Directory, tmp_path: Path) -> Iterator[World]:
    world = World(directory, tmp_path)
    yield world
    world.close()


def send(world: World, directory: Directory, row: Row, caller: str) -> httpx.Response:
    client = world.client
    client.cookies.clear()
    headers: dict[str, str] = dict(row.body.get("headers", {}))
    kwargs = {k: v for k, v in row.body.items() if k != "headers"}
    if row.session and caller in directory.sessions:
        client.cookies.set("userphoto_session", directory.sessions[caller])
        client.cookies.set("userphoto_csrf", CSRF)
    elif caller in directory.keys:
        headers["Authorization"] = f"Bearer {directory.keys[caller]}"
    if row.session and row.method == "POST":
        client.cookies.set("userphoto_csrf", CSRF)
        kwargs["data"] = {"csrf_token": CSRF, **kwargs.get("data", {})}
    if "data" in kwargs:
        kwargs["data"] = {k: v.format(**directory.ids) for k, v in kwargs["data"].items()}
    if row.onoffice is not None:
        kwargs["content"] = onoffice_request(directory, caller, row.onoffice)
    url = row.url.format(**directory.ids)
    return client.request(row.method, url, headers=headers, follow_redirects=False, **kwargs)


def onoffice_request(directory: Directory, caller: str, action: dict[str, Any]) -> str:
    token, secret = directory.api_users.get(caller, ("0" * 32, "0" * 64))
    api = OnOfficeClient(None, token, secret)  # type: ignore[arg-type]
    signed = api.action(action["resourcetype"], {"data": ["Nr"]}, resourceid=action["resourceid"],
                        timestamp=int(time.time()))  # fmt: skip
    return json.dumps(api.envelope(signed))


def summary(row: Row, answer: httpx.Response) -> str:
    """The cell for `answer`: its status and the dialect's word for what went wrong."""
    status = answer.status_code
    path = httpx.URL(row.url).path.lower()
    if row.onoffice is not None:
        body = answer.json()
        results = body["response"]["results"]
        code = results[0]["status"]["errorcode"] if results else body["status"]["errorcode"]
        return f"{status} {code}"
    if status in {301, 302, 303, 307}:
        location = answer.headers["location"]
        return f"{status} login" if location.startswith("/admin/login") else f"{status} {location}"
    if path.startswith("/api/2.0/") and status == 200 and row.method != "GET":
        # DocSpace answers a refused upload with 200 and `success: false` (notes §3.2).
        outcome = answer.json()["response"]
        if isinstance(outcome, dict) and outcome.get("success") is False:
            return f"200 {outcome['message']}"
    if status < 400:
        return str(status)
    if path.startswith("/api/v1/"):
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["status"] == status
        return str(status)
    if path.startswith(("/v1.0/", "/beta/")):
        return f"{status} {answer.json()['error']['code']}"
    if path.startswith("/ews/"):
        if not answer.content:
            return str(status)
        code = ElementTree.fromstring(answer.content).find(f".//{{{E}}}ResponseCode")
        return f"{status} {code.text if code is not None else ''}".strip()
    if path.startswith("/api/2.0/"):
        if not answer.content:
            return f"{status} empty"
        return f"{status} {answer.json()['error']['message']}"
    return str(status)


def routes_of_the_app(app: Any) -> set[tuple[str, str]]:
    found = set()
    for route in app.routes:
        if isinstance(route, Route):
            found |= {(m, route.path) for m in route.methods or () if m != "HEAD"}
        elif isinstance(route, Mount):
            found.add(("GET", route.path))
    return found


def test_every_route_has_a_row(tmp_path: Path) -> None:
    settings = settings_for(tmp_path / "data")
    services = open_services(settings)
    try:
        routes = routes_of_the_app(create_app(settings, services))
    finally:
        services.close()
    tried = {(row.method, row.route) for row in MATRIX}
    assert not routes - tried, f"routes without a request here: {sorted(routes - tried)}"
    assert not tried - routes, f"requests for routes the app lacks: {sorted(tried - routes)}"


@pytest.mark.parametrize("row", MATRIX, ids=lambda row: row.label)
def test_each_caller_gets_the_documented_answer(
    row: Row, world: World, directory: Directory
) -> None:
    documented = documented_answers()
    assert row.label in documented, f"docs/permissions.md has no line for {row.label}"
    observed = dict(zip(CALLERS, observe(world, directory, row), strict=True))
    assert observed == documented[row.label]


def test_every_documented_request_is_tried() -> None:
    assert set(documented_answers()) == {row.label for row in MATRIX}


def observe(world: World, directory: Directory, row: Row) -> list[str]:
    observed = []
    for caller in CALLERS:
        answer = send(world, directory, row, caller)
        observed.append(summary(row, answer))
        if row.method not in SAFE and answer.status_code < 400:
            world.renew()  # the next caller meets the directory as it was
    return observed


def documented_answers() -> dict[str, dict[str, str]]:
    """The matrix of docs/permissions.md: request label -> caller -> cell."""
    lines = DOCUMENT.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| Request |"))
    callers = [cell.strip().strip("`") for cell in lines[start].strip("|").split("|")][1:]
    assert tuple(callers) == CALLERS, "docs/permissions.md names other callers"
    matrix = {}
    for line in lines[start + 2 :]:
        if line.startswith("| `"):
            label, *cells = (cell.strip() for cell in line.strip().strip("|").split(" | "))
            assert label not in matrix, f"docs/permissions.md has {label} twice"
            matrix[label] = dict(zip(CALLERS, cells, strict=True))
    return matrix
