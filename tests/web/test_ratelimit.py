"""Spent budgets and locked logins, answered in each dialect's own shape, changing nothing.

The budgets are set tiny, on a clock the tests move, in the app's own AccessLimits. The
test client's address is "testclient", not loopback, so the address budget applies.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import time
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import httpx
import pytest
from starlette.testclient import TestClient

from tests.clocks import Clock
from tests.dialects.admin.conftest import csrf_of
from tests.dialects.ews.soap import SOAP, E, T, get_user_photo
from tests.dialects.onoffice.support import OnOfficeClient
from tests.images import encode, solid
from userphoto.config import Settings
from userphoto.core.model import PhotoOwner, Right, Scope
from userphoto.core.ratelimit import AccessLimits, LoginPolicy, Rate
from userphoto.core.services import Services

ADMIN_PASSWORD = "admin-pass-123"
USER_PASSWORD = "user-pass-456"
WRONG = "wrong-guess-789"
OFF = Rate(0, 0)
# One request, then the next is 1000 s away: every Retry-After below is 1000.
ONE = Rate(per_second=0.001, burst=1)
LOGINS = LoginPolicy(account_failures=3, client_failures=50, window=60)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """SQLite only: the budgets live in the process, whichever store is behind it."""
    return Settings(data_dir=tmp_path / "data", public_url="http://testserver")


@pytest.fixture
def clock() -> Clock:
    return Clock(5000.0)


@pytest.fixture
def people(services: Services) -> Services:
    save = services.directory.save_user
    save({"number": 1, "username": "boss", "email": "boss@example.com", "is_admin": True},
         password=ADMIN_PASSWORD)  # fmt: skip
    save({"number": 2, "username": "pat", "email": "pat@example.com"}, password=USER_PASSWORD)
    return services


def limit(services: Services, clock: Clock, **rates: Rate) -> None:
    services.auth.limits = AccessLimits(
        rates.get("api_user", OFF),
        rates.get("api_key", OFF),
        rates.get("client", OFF),
        LOGINS,
        clock=clock,
    )


def basic(login: str, password: str) -> dict[str, str]:
    encoded = base64.b64encode(f"{login}:{password}".encode()).decode()
    return {"Authorization": f"Basic {encoded}"}


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def jpeg() -> bytes:
    return encode(solid((200, 200), (20, 120, 40)), "JPEG")


def session_get(client: TestClient, path: str) -> httpx.Response:
    client.cookies.set("userphoto_session", "not-a-session")
    return client.get(path)


def onoffice_body(token: str, secret: str) -> str:
    api = OnOfficeClient(None, token, secret)  # type: ignore[arg-type]
    return json.dumps(api.envelope(api.action("user", timestamp=int(time.time()))))


# ---- the shapes ------------------------------------------------------------------------


def onoffice_shape(answer: httpx.Response) -> None:
    assert answer.status_code == 429
    assert answer.json() == {
        "status": {"code": 500, "errorcode": 1, "message": "Unknown error occurred"},
        "response": {"results": []},
    }


def empty_shape(answer: httpx.Response) -> None:
    assert answer.status_code == 429
    assert answer.content == b""


def ews_fault(answer: httpx.Response, status: int) -> None:
    assert answer.status_code == status
    fault = ElementTree.fromstring(answer.content).find(f"{{{SOAP}}}Body/{{{SOAP}}}Fault")
    assert fault is not None
    assert fault.findtext("faultcode") == "a:ErrorServerBusy"
    assert fault.findtext(f"detail/{{{E}}}ResponseCode") == "ErrorServerBusy"
    back_off = fault.find(f"detail/{{{T}}}MessageXml/{{{T}}}Value")
    assert back_off is not None
    assert back_off.get("Name") == "BackOffMilliseconds"
    assert back_off.text == str(int(answer.headers["retry-after"]) * 1000)


def graph_shape(answer: httpx.Response) -> None:
    assert answer.status_code == 429
    error = answer.json()["error"]
    assert error["code"] == "TooManyRequests"
    assert set(error["innerError"]) >= {"date", "request-id"}


def problem_shape(answer: httpx.Response) -> None:
    assert answer.status_code == 429
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["type"].endswith("/rate-limited")
    assert (problem["status"], problem["title"]) == (429, "Too Many Requests")


def plain_shape(answer: httpx.Response) -> None:
    assert answer.status_code == 429
    assert answer.headers["content-type"].startswith("text/plain")


def admin_shape(answer: httpx.Response) -> None:
    assert answer.status_code == 429
    assert answer.headers["content-type"].startswith("text/html")
    assert "Try again in 1000 seconds" in answer.text


MD5_OF_PAT = hashlib.md5(b"pat@example.com").hexdigest()
Request = Callable[[TestClient], httpx.Response]
CLIENT_CASES: dict[str, tuple[Request, Callable[[httpx.Response], None]]] = {
    "onoffice": (lambda c: c.post("/api/stable/api.php", content=b"{}"), onoffice_shape),
    "onoffice-link": (
        lambda c: c.get("/smart20/Dateien/userphoto/users/Userphoto_2.jpg"),
        plain_shape,
    ),
    "docspace": (lambda c: c.get("/api/2.0/people/@self"), empty_shape),
    "docspace-login": (
        lambda c: c.post("/api/2.0/authentication", json={"userName": "pat", "password": WRONG}),
        empty_shape,
    ),
    "docspace-default-image": (
        lambda c: c.get("/static/images/default_user_photo_size_48-48.png"),
        plain_shape,
    ),
    "ews-soap": (
        lambda c: c.post(
            "/EWS/Exchange.asmx", content=get_user_photo("pat@example.com", "HR48x48")
        ),
        lambda a: ews_fault(a, 500),
    ),
    "ews-rest": (
        lambda c: c.get("/EWS/Exchange.asmx/s/GetUserPhoto?email=pat@example.com&size=HR48x48"),
        lambda a: ews_fault(a, 429),
    ),
    "graph": (lambda c: c.get("/v1.0/me/photo"), graph_shape),
    "graph-put": (lambda c: c.put("/v1.0/me/photo/$value", content=jpeg()), graph_shape),
    "native": (lambda c: c.get("/api/v1/users"), problem_shape),
    "native-session": (lambda c: session_get(c, "/api/v1/users"), problem_shape),
    "gravatar": (lambda c: c.get(f"/avatar/{MD5_OF_PAT}"), plain_shape),
    "admin": (lambda c: c.get("/admin", follow_redirects=False), admin_shape),
    "admin-login": (lambda c: c.get("/admin/login"), admin_shape),
}


@pytest.mark.parametrize("case", CLIENT_CASES)
def test_a_spent_address_budget_is_answered_in_the_dialects_shape(
    case: str, people: Services, client: TestClient, clock: Clock
) -> None:
    send, shape = CLIENT_CASES[case]
    limit(people, clock, client=ONE)
    assert send(client).status_code != 429
    refused = send(client)
    shape(refused)
    assert refused.headers["retry-after"] == "1000"
    clock.now += 1000
    assert send(client).status_code != 429


def test_health_is_never_limited(people: Services, client: TestClient, clock: Clock) -> None:
    limit(people, clock, client=ONE)
    for _ in range(3):
        assert client.get("/healthz").status_code == 200


def test_each_api_key_has_its_own_budget(
    people: Services, client: TestClient, clock: Clock
) -> None:
    first = people.auth.create_key(2, "first", [Scope.SELF_READ])[1]
    second = people.auth.create_key(2, "second", [Scope.SELF_READ])[1]
    limit(people, clock, api_key=Rate(per_second=0.001, burst=2))
    for _ in range(2):
        assert client.get("/api/v1/users/2", headers=bearer(first)).status_code == 200
    problem_shape(client.get("/api/v1/users/2", headers=bearer(first)))
    graph_shape(client.get("/v1.0/me/photo", headers=bearer(first)))
    assert client.get("/api/v1/users/2", headers=bearer(second)).status_code == 200


def test_each_onoffice_api_user_has_its_own_budget(
    people: Services, client: TestClient, clock: Clock
) -> None:
    crm = people.api_users.create("crm", 2, [Right.READ_USER_DATA])
    web = people.api_users.create("web", 2, [Right.READ_USER_DATA])
    limit(people, clock, api_user=ONE)
    first = client.post("/api/stable/api.php", content=onoffice_body(crm.token, crm.secret))
    assert first.json()["status"]["errorcode"] == 0
    refused = client.post("/api/stable/api.php", content=onoffice_body(crm.token, crm.secret))
    onoffice_shape(refused)
    assert refused.headers["retry-after"] == "1000"
    other = client.post("/api/stable/api.php", content=onoffice_body(web.token, web.secret))
    assert other.json()["status"]["errorcode"] == 0


# ---- brute force -----------------------------------------------------------------------


def admin_login(client: TestClient, login: str, password: str) -> httpx.Response:
    token = csrf_of(client.get("/admin/login").text)
    data = {"csrf_token": token, "login": login, "password": password}
    return client.post("/admin/login", data=data, follow_redirects=False)


def test_the_admin_login_locks_after_failures_until_the_window_passes(
    people: Services, client: TestClient, clock: Clock
) -> None:
    limit(people, clock)
    for _ in range(LOGINS.account_failures):
        assert admin_login(client, "boss", WRONG).status_code == 401
        clock.now += 1
    locked = admin_login(client, "boss@example.com", ADMIN_PASSWORD)  # any name of the account
    assert locked.status_code == 429
    assert locked.headers["retry-after"] == "57"
    assert "userphoto_session" not in locked.headers.get("set-cookie", "")
    clock.now += 56.5
    assert admin_login(client, "boss", ADMIN_PASSWORD).status_code == 429
    clock.now += 0.5
    assert admin_login(client, "boss", ADMIN_PASSWORD).status_code == 303


def test_a_success_resets_the_accounts_count(
    people: Services, client: TestClient, clock: Clock
) -> None:
    limit(people, clock)
    for _ in range(2):
        admin_login(client, "boss", WRONG)
    assert admin_login(client, "boss", ADMIN_PASSWORD).status_code == 303
    for _ in range(2):
        assert admin_login(client, "boss", WRONG).status_code == 401
    assert admin_login(client, "boss", ADMIN_PASSWORD).status_code == 303


def test_a_locked_account_is_refused_without_a_password_check(
    people: Services, client: TestClient, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    limit(people, clock)
    for _ in range(LOGINS.account_failures):
        client.get("/v1.0/me/photo", headers=basic("pat", WRONG))
    checked: list[str] = []
    monkeypatch.setattr("userphoto.core.auth.verify_password", lambda p, h: checked.append(p))
    graph_shape(client.get("/v1.0/me/photo", headers=basic("pat", USER_PASSWORD)))
    assert checked == []


BASIC_CASES: dict[str, tuple[Request, Callable[[httpx.Response], None]]] = {
    "docspace-login": (
        lambda c: c.post(
            "/api/2.0/authentication", json={"userName": "pat", "password": USER_PASSWORD}
        ),
        empty_shape,
    ),
    "docspace-basic": (
        lambda c: c.get("/api/2.0/people/@self", headers=basic("pat@example.com", USER_PASSWORD)),
        empty_shape,
    ),
    "ews-soap": (
        lambda c: c.post(
            "/EWS/Exchange.asmx",
            content=get_user_photo("pat@example.com", "HR48x48"),
            headers=basic("pat", USER_PASSWORD),
        ),
        lambda a: ews_fault(a, 500),
    ),
    "graph": (lambda c: c.get("/v1.0/me/photo", headers=basic("pat", USER_PASSWORD)), graph_shape),
    "native": (
        lambda c: c.get("/api/v1/users/2", headers=basic("pat", USER_PASSWORD)),
        problem_shape,
    ),
}


@pytest.mark.parametrize("case", BASIC_CASES)
def test_a_locked_account_is_answered_in_the_dialects_shape(
    case: str, people: Services, client: TestClient, clock: Clock
) -> None:
    send, shape = BASIC_CASES[case]
    limit(people, clock)
    for _ in range(LOGINS.account_failures):
        assert client.get("/v1.0/me/photo", headers=basic("pat", WRONG)).status_code == 401
    shape(send(client))
    clock.now += LOGINS.window
    assert send(client).status_code != 429


def test_failed_logins_are_logged_without_the_password(
    people: Services, client: TestClient, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    limit(people, clock)
    with caplog.at_level(logging.WARNING, logger="userphoto.auth"):
        admin_login(client, "pat", WRONG)
        admin_login(client, WRONG, WRONG)
    messages = [r.getMessage() for r in caplog.records if r.name == "userphoto.auth"]
    assert messages == [
        "failed password login for user 2 from testclient",
        "failed password login for an unknown login from testclient",
    ]
    assert WRONG not in caplog.text


# ---- a refused request changes nothing -------------------------------------------------


def test_a_limited_upload_changes_nothing(
    people: Services, client: TestClient, clock: Clock
) -> None:
    key = people.auth.create_key(2, "own", [Scope.SELF_WRITE])[1]
    limit(people, clock, api_key=ONE)
    assert client.get("/api/v1/users/2/photo", headers=bearer(key)).status_code == 404
    refused = client.put(
        "/api/v1/users/2/photo",
        content=jpeg(),
        headers={**bearer(key), "Content-Type": "image/jpeg"},
    )
    problem_shape(refused)
    for _ in range(LOGINS.account_failures):
        client.get("/v1.0/me/photo", headers=basic("pat", WRONG))
    graph_shape(
        client.put("/v1.0/me/photo/$value", content=jpeg(), headers=basic("pat", USER_PASSWORD))
    )
    assert people.photos.current(PhotoOwner.user(2)) is None
    assert people.audit.trail().total == 0
