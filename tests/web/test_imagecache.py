"""The lean path for images: remembered per request identity, retired by any change.

Answers behind credentials, kept per credential: tests/web/test_credentialed_imagecache.py.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from httpx import Response
from PIL import Image
from starlette.testclient import TestClient

from tests.core.fakes import fake_services
from tests.web.answers import assert_same_image
from userphoto.bootstrap import open_services
from userphoto.config import Settings
from userphoto.core.model import AuthMethod, PhotoOwner, Principal, Scope, User
from userphoto.core.ratelimit import AccessLimits, LoginPolicy, Rate
from userphoto.core.services import Services
from userphoto.web.app import create_app
from userphoto.web.callers import ANYONE, Caller, Callers
from userphoto.web.imagecache import CachedImage, ImageCache, ImageFastPath, pending_image
from userphoto.web.security import ResponseHeaders

LINK = "/smart20/Dateien/userphoto/users/Userphoto_1.jpg"
EMAIL = "ada@example.org"
AVATAR = f"/avatar/{hashlib.md5(EMAIL.encode()).hexdigest()}?s=96"


def jpeg(colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 300), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def seed_ada(services: Services) -> Services:
    services.directory.save_user({"number": 1, "email": EMAIL, "first_name": "Ada"})
    services.photos.set_photo(PhotoOwner.user(1), jpeg((200, 30, 30)))
    return services


@pytest.fixture
def ada(services: Services) -> Services:
    return seed_ada(services)


@pytest.mark.parametrize("path", [LINK, AVATAR])
def test_a_repeated_request_gets_the_same_answer(client: TestClient, ada: Services, path: str):
    first, second = client.get(path), client.get(path)
    ahead = assert_same_image(first, second) - datetime.now(UTC)
    assert timedelta(seconds=290) < ahead <= timedelta(seconds=300)


@pytest.mark.parametrize("path", [LINK, AVATAR])
def test_a_remembered_answer_revalidates(client: TestClient, ada: Services, path: str) -> None:
    etag = client.get(path).headers["etag"]
    not_modified = client.get(path, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified.headers["etag"] == etag
    assert "content-type" not in not_modified.headers
    later = format_datetime(datetime.now(UTC) + timedelta(minutes=1), usegmt=True)
    assert client.get(path, headers={"If-Modified-Since": later}).status_code == 304
    assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200


@pytest.mark.parametrize("path", [LINK, AVATAR])
def test_a_new_photo_shows_at_once(client: TestClient, ada: Services, path: str) -> None:
    before = client.get(path)
    client.get(path)
    ada.photos.set_photo(PhotoOwner.user(1), jpeg((30, 200, 30)))
    after = client.get(path)
    assert after.headers["etag"] != before.headers["etag"]
    assert after.content != before.content


def test_a_deleted_photo_is_gone_at_once(client: TestClient, ada: Services) -> None:
    client.get(LINK)
    client.get(LINK)
    ada.photos.delete_photo(PhotoOwner.user(1))
    assert client.get(LINK).status_code == 404


def test_a_change_by_another_process_retires_the_answer(
    client: TestClient, ada: Services, settings: Settings
) -> None:
    before = client.get(LINK).headers["etag"]
    client.get(LINK)
    other = open_services(settings)
    try:
        other.photos.set_photo(PhotoOwner.user(1), jpeg((30, 30, 200)))
    finally:
        other.close()
    # The change feed is read at most every 50 ms, and PostgreSQL notifies asynchronously.
    deadline = datetime.now(UTC) + timedelta(seconds=5)
    while client.get(LINK).headers["etag"] == before:
        assert datetime.now(UTC) < deadline, "the other process's change never showed"


def _served(settings: Settings, paths: list[tuple[str, dict[str, str]]]) -> list[Response]:
    services = seed_ada(open_services(settings))
    try:
        with TestClient(create_app(settings, services)) as client:
            return [client.get(path, headers=headers) for path, headers in paths]
    finally:
        services.close()


@pytest.mark.parametrize("path", [LINK, AVATAR])
def test_a_remembered_answer_carries_the_security_headers(settings: Settings, path: str):
    """A hit skips every middleware: it adds nosniff, and HSTS over https, itself."""
    https = settings.with_(public_url="https://photos.example.org")
    first, second, third = _served(https, [(path, {})] * 3)
    for answer in (first, second, third):
        assert answer.headers["strict-transport-security"] == "max-age=31536000"
        assert answer.headers["x-content-type-options"] == "nosniff"
    etag = first.headers["etag"]
    (not_modified,) = _served(https, [(path, {"If-None-Match": etag})])
    assert not_modified.headers["strict-transport-security"] == "max-age=31536000"


def test_a_cross_origin_request_for_a_remembered_answer_gets_cors(settings: Settings) -> None:
    cors = settings.with_(cors_allowed_origins="https://app.example.org")
    origin = {"Origin": "https://app.example.org"}
    answers = _served(cors, [(LINK, {}), (LINK, {}), (LINK, origin), (LINK, {})])
    assert [a.status_code for a in answers] == [200] * 4
    assert answers[2].headers["access-control-allow-origin"] == "https://app.example.org"
    assert "access-control-allow-origin" not in answers[3].headers


def test_a_remembered_answer_still_spends_the_client_budget(settings: Settings) -> None:
    limited = settings.with_(rate_limit_client_per_second=1, rate_limit_client_burst=2)
    services = open_services(limited)
    try:
        seed_ada(services)
        with TestClient(create_app(limited, services)) as client:
            answers = [client.get(LINK).status_code for _ in range(10)]
    finally:
        services.close()
    # A second refills one request of budget: a slow machine may see a 200 among the 429s.
    assert answers[:2] == [200, 200]
    assert 429 in answers


# The middleware on its own, around a route of our own that counts what reaches it.

PASSWORD_CALLER = Principal(User(1), frozenset({Scope.ALL}), AuthMethod.PASSWORD)


class CountingRoute:
    """An image route counting the requests it saw; it answers public images, or, with
    `caller`, images made for that authenticated caller."""

    def __init__(self, caller: Principal | None = None) -> None:
        self.seen = 0
        self.caller = caller

    async def __call__(self, scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        self.seen += 1
        pending = pending_image(scope)
        image = CachedImage.build(
            "k", datetime(2024, 1, 1, tzinfo=UTC), 60, {"ETag": '"k"'}, "image/png", b"png"
        )
        if pending is not None and pending.wants(self.caller, public=self.caller is None):
            pending.remember(image, self.caller)
        headers = [*image.ok_headers]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": image.body})


def counting_client(route: CountingRoute, generation: list[int]) -> TestClient:
    cache = ImageCache(lambda: generation[0])
    services = fake_services()
    # Without `with`: the route is no application, it has no lifespan to run.
    fast_path = ImageFastPath(
        route, cache, services.auth, Callers(services.store), ResponseHeaders(https=False), False
    )
    return TestClient(fast_path)


@pytest.fixture
def counted() -> Iterator[tuple[CountingRoute, list[int], TestClient]]:
    route, generation = CountingRoute(), [0]
    yield route, generation, counting_client(route, generation)


def test_only_the_first_request_reaches_the_route(counted) -> None:  # type: ignore[no-untyped-def]
    route, _, client = counted
    answers = [client.get("/image?s=1") for _ in range(3)]
    assert route.seen == 1
    assert {a.content for a in answers} == {b"png"}
    assert client.head("/image?s=1").status_code == 200
    client.get("/image?s=2")
    assert route.seen == 2


def test_a_new_generation_reaches_the_route_again(counted) -> None:  # type: ignore[no-untyped-def]
    route, generation, client = counted
    client.get("/image")
    generation[0] += 1
    client.get("/image")
    client.get("/image")
    assert route.seen == 2


@pytest.mark.parametrize(
    "headers", [{"Authorization": "Bearer sk-x"}, {"Cookie": "userphoto_session=s"}]
)
def test_requests_with_credentials_always_reach_the_route(counted, headers) -> None:  # type: ignore[no-untyped-def]
    route, _, client = counted
    client.get("/image", headers=headers)
    client.get("/image", headers=headers)
    assert route.seen == 2


def test_other_methods_always_reach_the_route(counted) -> None:  # type: ignore[no-untyped-def]
    route, _, client = counted
    client.post("/image")
    client.post("/image")
    assert route.seen == 2


def test_an_answer_read_before_a_change_is_not_kept() -> None:
    generation = [0]
    cache = ImageCache(lambda: generation[0])
    image = CachedImage.build("k", datetime(2024, 1, 1, tzinfo=UTC), 60, {}, "image/png", b"x")
    generation[0] += 1
    cache.put("id", image, ANYONE, 0)
    assert cache.get("id", 0) is None and cache.get("id", 1) is None


def test_an_answer_for_a_caller_is_kept_for_the_same_credentials_only() -> None:
    route = CountingRoute(PASSWORD_CALLER)
    client = counting_client(route, [0])
    basic = {"Authorization": "Basic YWRhOnNlY3JldA=="}
    assert [client.get("/image", headers=basic).content for _ in range(3)] == [b"png"] * 3
    assert route.seen == 1
    others = [
        {"Authorization": "Basic YWRhOm90aGVy"},
        {"Authorization": "basic YWRhOnNlY3JldA=="},
        {**basic, "Cookie": "asc_auth_key=t"},
        {"Cookie": "asc_auth_key=t"},
        {},
    ]
    for number, headers in enumerate(others, start=2):
        client.get("/image", headers=headers)
        assert route.seen == number, headers


def test_an_answer_for_a_caller_is_not_kept_for_a_request_without_credentials() -> None:
    route = CountingRoute(PASSWORD_CALLER)
    client = counting_client(route, [0])
    client.get("/image")
    client.get("/image")
    assert route.seen == 2


OFF = Rate(0, 0)


def limits(api_key: Rate, logins: LoginPolicy) -> AccessLimits:
    return AccessLimits(OFF, api_key, OFF, logins)


def test_a_caller_past_its_end_is_not_admitted() -> None:
    now = datetime.now(UTC).timestamp()
    assert Caller(until=now + 60).admit(AccessLimits.unlimited(), None)
    assert not Caller(until=now - 1).admit(AccessLimits.unlimited(), None)


def test_a_caller_spends_its_keys_budget_and_is_refused_when_it_is_gone() -> None:
    budget = limits(Rate(1, 2), LoginPolicy(0, 0))
    caller = Caller(api_key=7)
    assert [caller.admit(budget, None) for _ in range(3)] == [True, True, False]
    assert Caller(api_key=8).admit(budget, None)


def test_a_locked_account_is_not_admitted() -> None:
    guard = limits(OFF, LoginPolicy(account_failures=2, client_failures=0))
    caller = Caller(account="user:1")
    assert caller.admit(guard, "192.0.2.1")
    guard.logins.failed("user:1", "192.0.2.1")
    guard.logins.failed("user:1", "192.0.2.1")
    assert not caller.admit(guard, "192.0.2.1")
