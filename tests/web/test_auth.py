"""Basic and Bearer credentials resolve to a principal; anything else to None."""

from __future__ import annotations

import base64

import pytest
from starlette.requests import Request

from userphoto.core.model import AuthMethod
from userphoto.core.services import Services
from userphoto.web.auth import request_principal


def _request(authorization: str | None) -> Request:
    headers = [] if authorization is None else [(b"authorization", authorization.encode())]
    return Request({"type": "http", "method": "GET", "path": "/", "headers": headers})


def _basic(text: str) -> str:
    return "Basic " + base64.b64encode(text.encode()).decode()


@pytest.fixture
def known(services: Services) -> str:
    services.directory.save_user({"number": 5, "email": "eve@example.com", "username": "eve"}, "pw")
    return services.auth.create_key(5, "tool", [])[1]


@pytest.mark.parametrize("login", ["eve@example.com", "eve"])
def test_basic_with_email_or_user_name(services: Services, known: str, login: str) -> None:
    principal = request_principal(_request(_basic(f"{login}:pw")), services.auth)
    assert principal is not None
    assert principal.user.number == 5
    assert principal.method is AuthMethod.PASSWORD


@pytest.mark.parametrize("scheme", ["Bearer", "bearer"])
def test_bearer_with_an_api_key(services: Services, known: str, scheme: str) -> None:
    principal = request_principal(_request(f"{scheme} {known}"), services.auth)
    assert principal is not None
    assert principal.method is AuthMethod.API_KEY


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Basic",
        "Basic !!!not-base64",
        "Basic " + base64.b64encode(b"\xff\xfe:pw").decode(),
        _basic("eve@example.com"),
        _basic(":pw"),
        _basic("eve@example.com:wrong"),
        "Bearer ",
        "Bearer sk-unknown",
        "Digest username=eve",
    ],
)
def test_anything_else_is_no_one(services: Services, known: str, header: str | None) -> None:
    assert request_principal(_request(header), services.auth) is None
