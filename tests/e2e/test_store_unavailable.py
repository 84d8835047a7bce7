"""While the store is unreachable, every dialect answers 503 with Retry-After, in its own
error shape where it has one, and never 500."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from userphoto.config import Settings
from userphoto.core.errors import StoreUnavailable
from userphoto.core.services import Services
from userphoto.web.app import create_app

BASIC = {"Authorization": "Basic " + base64.b64encode(b"ada@example.org:pw").decode()}
BEARER = {"Authorization": "Bearer sk-" + "x" * 40}
SOAP = """<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"
  xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"
  xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages">
  <soap:Header><t:RequestServerVersion Version="Exchange2013"/></soap:Header>
  <soap:Body><m:GetUserPhoto><m:Email>ada@example.org</m:Email>
  <m:SizeRequested>HR48x48</m:SizeRequested></m:GetUserPhoto></soap:Body>
</soap:Envelope>"""


ONOFFICE = (
    b'{"token":"' + b"t" * 32 + b'","request":{"actions":[{"actionid":'
    b'"urn:onoffice-de-ns:smart:2.5:smartml:action:read","resourceid":"","identifier":"",'
    b'"resourcetype":"user","timestamp":1,"hmac":"x","parameters":{}}]}}'
)


def unreachable(*_: object, **__: object) -> None:
    raise StoreUnavailable("the database cannot be reached")


@pytest.fixture
def client(
    settings: Settings, services: Services, monkeypatch: pytest.MonkeyPatch
) -> Iterator[TestClient]:
    store = services.store
    for port, methods in {
        store.users: ("get", "by_email", "by_uuid", "by_username", "by_email_hash", "query"),
        store.api_keys: ("by_hash",),
        store.api_users: ("by_token_hash",),
        store.sessions: ("get",),
        store.photos: ("current_many",),
    }.items():
        for method in methods:
            monkeypatch.setattr(port, method, unreachable)
    with TestClient(create_app(settings, services), raise_server_exceptions=False) as client:
        yield client


REQUESTS = {
    "onoffice api": ("POST", "/api/stable/api.php", {}, ONOFFICE),
    "onoffice link": ("GET", "/smart20/Dateien/userphoto/users/Userphoto_1.jpg", {}, b""),
    "docspace": ("GET", "/api/2.0/people/@self", BEARER, b""),
    "ews rest": (
        "GET",
        "/EWS/Exchange.asmx/s/GetUserPhoto?email=ada@example.org&size=HR48x48",
        BASIC,
        b"",
    ),
    "ews soap": (
        "POST",
        "/EWS/Exchange.asmx",
        {**BASIC, "Content-Type": "text/xml"},
        SOAP.encode(),
    ),
    "graph": ("GET", "/v1.0/users/1/photo/$value", BEARER, b""),
    "gravatar": ("GET", "/avatar/" + "0" * 32, {}, b""),
}


@pytest.mark.parametrize("route", sorted(REQUESTS))
def test_every_dialect_answers_503(client: TestClient, route: str) -> None:
    method, path, headers, body = REQUESTS[route]
    response = client.request(method, path, headers=headers, content=body)
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == "5"


def test_the_shapes(client: TestClient) -> None:
    docspace = client.get("/api/2.0/people/@self", headers=BEARER).json()
    assert docspace["status"] == 1 and docspace["statusCode"] == 503
    graph = client.get("/v1.0/users/1/photo/$value", headers=BEARER).json()
    assert graph["error"]["code"] == "serviceNotAvailable"
    soap = client.post("/EWS/Exchange.asmx", headers=BASIC, content=SOAP.encode()).text
    assert "ErrorServerBusy" in soap
