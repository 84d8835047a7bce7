"""Photos behind credentials, remembered per credential by the lean path (web.imagecache).

The same credentials get the same answer without the route running again; any other
credential reaches the route; revoking the key, ending the session, changing the password
or the photo retires the answer at once here and within a second on another node; every
repetition still spends the key's budget.
"""

from __future__ import annotations

import base64
import io
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from httpx import Response
from PIL import Image
from starlette.testclient import TestClient

from tests.waiting import within_a_second
from tests.web.answers import assert_same_image
from userphoto.bootstrap import open_services
from userphoto.config import Settings
from userphoto.core.model import PhotoOwner, Scope
from userphoto.core.secrets import token_hash
from userphoto.core.services import Services
from userphoto.web.app import create_app
from userphoto.web.callers import Credentials

EMAIL = "ada@example.org"
PASSWORD = "correct horse battery staple"
ADA = PhotoOwner.user(1)
EWS = f"/EWS/Exchange.asmx/s/GetUserPhoto?email={EMAIL}&size=HR96x96"
GRAPH = "/v1.0/users/1/photos/96x96/$value"
# The status each route answers a caller it does not know, and one it may not show the photo.
UNKNOWN = {"ews": 401, "graph": 401, "docspace": 403}
DENIED = {"ews": 403, "graph": 403, "docspace": 403}


def jpeg(colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 300), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def basic(login: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{login}:{password}".encode()).decode()}


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@dataclass
class Directory:
    """Ada (1) with a photo, a password and a key; Bob (2) whose key reads only himself."""

    services: Services
    client: TestClient
    key_id: int
    key: dict[str, str]
    others_key: dict[str, str]
    runs: list[int]  # how often a photo route ran (looked up a photo)

    def path(self, route: str) -> str:
        if route == "ews":
            return EWS
        if route == "graph":
            return GRAPH
        person = self.client.get("/api/2.0/people/1", headers=self.key).json()
        return person["response"]["avatar"]


def seeded(services: Services, client: TestClient, monkeypatch: pytest.MonkeyPatch) -> Directory:
    services.directory.save_user({"number": 1, "email": EMAIL, "username": "ada"}, PASSWORD)
    services.directory.save_user({"number": 2, "email": "bob@example.org", "username": "bob"})
    services.photos.set_photo(ADA, jpeg((200, 30, 30)))
    key, secret = services.auth.create_key(1, "ada", [Scope.ALL])
    _, others = services.auth.create_key(2, "bob", [Scope.SELF_READ])
    runs = [0]
    effective_photo = services.photos.effective_photo

    def counted(*args: Any) -> Any:
        runs[0] += 1
        return effective_photo(*args)

    monkeypatch.setattr(services.photos, "effective_photo", counted)
    return Directory(services, client, key.id, bearer(secret), bearer(others), runs)


@pytest.fixture
def ada(services: Services, client: TestClient, monkeypatch: pytest.MonkeyPatch) -> Directory:
    return seeded(services, client, monkeypatch)


def from_memory(ada: Directory, path: str, headers: dict[str, str]) -> Response:
    """The first answer to the request that did not run the route.

    Any change retires what is remembered, and on PostgreSQL notifications come from the
    whole database (other tests' schemas too), so a few answers may need the route first.
    """
    deadline = time.monotonic() + 5
    while True:
        runs = ada.runs[0]
        answer = ada.client.get(path, headers=headers)
        if ada.runs[0] == runs:
            return answer
        assert time.monotonic() < deadline, "never answered from memory"


ROUTES = pytest.mark.parametrize("route", ["ews", "graph", "docspace"])


def credentials(ada: Directory, kind: str) -> dict[str, str]:
    return ada.key if kind == "key" else basic(EMAIL, PASSWORD)


@ROUTES
@pytest.mark.parametrize("kind", ["key", "password"])
def test_the_same_credentials_get_the_same_answer_from_memory(
    ada: Directory, route: str, kind: str
) -> None:
    path, headers = ada.path(route), credentials(ada, kind)
    first = ada.client.get(path, headers=headers)
    second = from_memory(ada, path, headers)
    assert assert_same_image(first, second) > datetime.now(UTC)


@ROUTES
def test_a_revalidation_is_answered_304_from_memory(ada: Directory, route: str) -> None:
    path = ada.path(route)
    etag = ada.client.get(path, headers=ada.key).headers["etag"]
    revalidated = from_memory(ada, path, {**ada.key, "If-None-Match": etag})
    assert revalidated.status_code == 304
    assert revalidated.content == b""
    assert revalidated.headers["etag"] == etag
    assert from_memory(ada, path, {**ada.key, "If-None-Match": '"other"'}).status_code == 200


@ROUTES
def test_a_first_revalidation_is_remembered_too(ada: Directory, route: str) -> None:
    path = ada.path(route)
    etag = ada.client.get(path, headers=ada.key).headers["etag"]
    ada.services.photos.set_photo(ADA, jpeg((200, 30, 30)))  # the same bytes: a new generation
    # Only revalidations since the change: what answers from memory was remembered by a 304.
    assert from_memory(ada, path, {**ada.key, "If-None-Match": etag}).status_code == 304
    assert from_memory(ada, path, ada.key).status_code == 200


@ROUTES
def test_other_credentials_never_get_the_remembered_answer(ada: Directory, route: str) -> None:
    path = ada.path(route)
    assert ada.client.get(path, headers=basic(EMAIL, PASSWORD)).status_code == 200
    assert ada.client.get(path, headers=basic(EMAIL, PASSWORD)).status_code == 200
    wrong = ada.client.get(path, headers=basic(EMAIL, PASSWORD + "!"))
    assert wrong.status_code == UNKNOWN[route]
    assert ada.client.get(path, headers=bearer("sk-" + "x" * 40)).status_code == UNKNOWN[route]
    assert ada.client.get(path, headers=ada.others_key).status_code == DENIED[route]
    assert ada.client.get(path).status_code == UNKNOWN[route]


def remembered(ada: Directory, path: str, headers: dict[str, str]) -> None:
    assert from_memory(ada, path, headers).status_code == 200


@ROUTES
def test_a_revoked_key_is_refused_at_once(ada: Directory, route: str) -> None:
    path = ada.path(route)
    remembered(ada, path, ada.key)
    ada.services.auth.revoke_key(ada.key_id)
    assert ada.client.get(path, headers=ada.key).status_code == UNKNOWN[route]


@ROUTES
def test_an_old_password_is_refused_at_once(ada: Directory, route: str) -> None:
    path = ada.path(route)
    remembered(ada, path, basic(EMAIL, PASSWORD))
    ada.services.auth.set_password(1, "a new password")
    assert ada.client.get(path, headers=basic(EMAIL, PASSWORD)).status_code == UNKNOWN[route]
    assert ada.client.get(path, headers=basic(EMAIL, "a new password")).status_code == 200


@ROUTES
def test_a_changed_or_deleted_photo_shows_at_once(ada: Directory, route: str) -> None:
    path = ada.path(route)
    before = ada.client.get(path, headers=ada.key)
    ada.client.get(path, headers=ada.key)
    ada.services.photos.set_photo(ADA, jpeg((30, 200, 30)))
    if route != "docspace":  # DocSpace names a photo by its size and hash: a new one, a new URL
        after = ada.client.get(path, headers=ada.key)
        assert after.headers["etag"] != before.headers["etag"]
        path = ada.path(route)
        ada.client.get(path, headers=ada.key)
    ada.services.photos.delete_photo(ADA)
    assert ada.client.get(path, headers=ada.key).status_code == 404


@pytest.fixture
def other_node(settings: Settings) -> Iterator[Services]:
    node = open_services(settings)
    yield node
    node.close()


@ROUTES
def test_a_key_revoked_on_another_node_is_refused_within_a_second(
    ada: Directory, other_node: Services, route: str
) -> None:
    path = ada.path(route)
    remembered(ada, path, ada.key)
    other_node.auth.revoke_key(ada.key_id)
    within_a_second(lambda: ada.client.get(path, headers=ada.key).status_code, UNKNOWN[route])


def docspace_login(client: TestClient) -> str:
    answer = client.post("/api/2.0/authentication", json={"userName": EMAIL, "password": PASSWORD})
    assert answer.status_code == 200
    return answer.json()["response"]["token"]


@pytest.mark.parametrize("carrier", ["cookie", "header"])
def test_a_session_ended_on_another_node_is_refused_within_a_second(
    ada: Directory, other_node: Services, carrier: str
) -> None:
    path = ada.path("docspace")
    token = docspace_login(ada.client)
    ada.client.cookies.clear()
    headers = (
        {"Cookie": f"asc_auth_key={token}"} if carrier == "cookie" else {"Authorization": token}
    )
    remembered(ada, path, headers)
    other_node.auth.close_session(token)
    within_a_second(lambda: ada.client.get(path, headers=headers).status_code, 403)


def test_a_remembered_answer_ends_with_its_session(ada: Directory) -> None:
    path = ada.path("docspace")
    token = "a-session-token-of-our-own"
    ends = datetime.now(UTC) + timedelta(seconds=1)
    ada.services.store.sessions.add(token_hash(token), 1, ends)
    headers = {"Authorization": token}
    remembered(ada, path, headers)
    time.sleep(max(0.0, (ends - datetime.now(UTC)).total_seconds()) + 0.05)
    assert ada.client.get(path, headers=headers).status_code == 403


@pytest.fixture
def limited(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[], Directory]]:
    budget = settings.with_(rate_limit_api_key_per_second=1, rate_limit_api_key_burst=2)
    services = open_services(budget)
    with TestClient(create_app(budget, services)) as client:
        yield lambda: seeded(services, client, monkeypatch)
    services.close()


@ROUTES
def test_a_remembered_answer_still_spends_the_keys_budget(
    limited: Callable[[], Directory], route: str
) -> None:
    ada = limited()
    path = ada.path(route) if route != "docspace" else _docspace_path(ada)
    answers = [ada.client.get(path, headers=ada.key).status_code for _ in range(10)]
    # A second refills one request of budget: a slow machine may see a 200 among the 429s.
    assert answers[:2] == [200, 200]
    assert 429 in answers


def _docspace_path(ada: Directory) -> str:
    """The avatar path, read with a key of its own so the measured key's budget stays whole."""
    _, secret = ada.services.auth.create_key(1, "reader", [Scope.ALL])
    person = ada.client.get("/api/2.0/people/1", headers=bearer(secret)).json()
    return person["response"]["avatar"]


def test_a_locked_account_is_refused_on_a_remembered_answer(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    guarded = settings.with_(login_max_account_failures=3)
    services = open_services(guarded)
    try:
        with TestClient(create_app(guarded, services)) as client:
            ada = seeded(services, client, monkeypatch)
            remembered(ada, EWS, basic(EMAIL, PASSWORD))
            for _ in range(3):
                services.auth.login(EMAIL, "a guess", "192.0.2.9")
            assert client.get(EWS, headers=basic(EMAIL, PASSWORD)).status_code == 429
    finally:
        services.close()


@pytest.mark.parametrize(
    ("authorization", "cookies", "tokens"),
    [
        ("Bearer sk-abc", (), ["sk-abc"]),
        ("bearer  tok ", ("asc_auth_key=c",), ["tok"]),
        ("sk-raw", (), ["sk-raw"]),
        (" ", ("asc_auth_key=c; other=d", "third=e"), ["c", "d", "e"]),
        (None, (), []),
    ],
)
def test_the_tokens_a_route_may_have_used(
    authorization: str | None, cookies: tuple[str, ...], tokens: list[str]
) -> None:
    assert Credentials(authorization, cookies).tokens() == tokens
