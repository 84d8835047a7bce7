"""An administrator, a plain user, and a test client logged in as the administrator."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from userphoto.core.model import User
from userphoto.core.services import Services

ADMIN_PASSWORD = "admin-pass-123"
USER_PASSWORD = "user-pass-456"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page has no CSRF field"
    return found.group(1)


@pytest.fixture
def admin(services: Services) -> User:
    values = {"username": "boss", "email": "boss@example.com", "last_name": "Boss"}
    return services.directory.save_user({**values, "is_admin": True}, password=ADMIN_PASSWORD)


@pytest.fixture
def plain_user(services: Services) -> User:
    values = {
        "username": "pat",
        "email": "pat@example.com",
        "first_name": "Pat",
        "last_name": "Lee",
    }
    return services.directory.save_user(values, password=USER_PASSWORD)


def log_in(client: TestClient, login: str, password: str) -> TestClient:
    token = csrf_of(client.get("/admin/login").text)
    answer = client.post(
        "/admin/login", data={"csrf_token": token, "login": login, "password": password}
    )
    assert answer.status_code == 200, answer.text
    return client


@pytest.fixture
def admin_client(client: TestClient, admin: User) -> TestClient:
    return log_in(client, "boss", ADMIN_PASSWORD)


def post_form(
    client: TestClient, page: str, action: str, data: dict[str, str], **kwargs: Any
) -> httpx.Response:
    """POST `data` to `action` with the CSRF token of `page`, as the browser's form would."""
    token = csrf_of(client.get(page).text)
    return client.post(action, data={"csrf_token": token, **data}, **kwargs)
