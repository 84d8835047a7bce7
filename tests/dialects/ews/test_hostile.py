"""Hostile and broken XML: each gets a SOAP fault with a 4xx status, never a 500, in flat memory."""

from __future__ import annotations

import asyncio
import tracemalloc

import pytest
from starlette.testclient import TestClient
from starlette.types import Message

from tests.dialects.ews.conftest import USER1, basic
from tests.dialects.ews.soap import PATH, SEED_REQUEST, fault_code
from userphoto.config import Settings
from userphoto.core.services import Services
from userphoto.web.app import create_app

pytestmark = pytest.mark.usefixtures("people")

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"
 xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages">
<soap:Body><m:GetUserPhoto><m:Email>&lol9;</m:Email>
<m:SizeRequested>HR48x48</m:SizeRequested></m:GetUserPhoto></soap:Body></soap:Envelope>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE e [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"
 xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages">
<soap:Body><m:GetUserPhoto><m:Email>&secret;</m:Email>
<m:SizeRequested>HR48x48</m:SizeRequested></m:GetUserPhoto></soap:Body></soap:Envelope>
"""

DTD_ONLY = SEED_REQUEST.replace(
    b"<soap:Envelope", b'<!DOCTYPE soap:Envelope SYSTEM "http://example.com/x.dtd">\n<soap:Envelope'
)
TRUNCATED = SEED_REQUEST[: len(SEED_REQUEST) // 2]
SOAP_12 = SEED_REQUEST.replace(
    b"http://schemas.xmlsoap.org/soap/envelope/", b"http://www.w3.org/2003/05/soap-envelope"
)
OPERATION_IN_TYPES = SEED_REQUEST.replace(b"<m:GetUserPhoto>", b"<t:GetUserPhoto>").replace(
    b"</m:GetUserPhoto>", b"</t:GetUserPhoto>"
)
EMPTY_BODY = SEED_REQUEST.split(b"<soap:Body>")[0] + b"<soap:Body/></soap:Envelope>"
TEN_MB = 10 * 1024 * 1024


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (BILLION_LAUGHS, "ErrorSchemaValidation"),
        (EXTERNAL_ENTITY, "ErrorSchemaValidation"),
        (DTD_ONLY, "ErrorSchemaValidation"),
        (TRUNCATED, "ErrorSchemaValidation"),
        (b"", "ErrorSchemaValidation"),
        (b"GetUserPhoto user1@contoso.com", "ErrorSchemaValidation"),
        (SOAP_12, "ErrorSchemaValidation"),
        (EMPTY_BODY, "ErrorSchemaValidation"),
        (OPERATION_IN_TYPES, "ErrorInvalidRequest"),
    ],
    ids=[
        "billion-laughs",
        "external-entity",
        "dtd",
        "truncated",
        "empty",
        "not-xml",
        "soap-1.2",
        "no-operation",
        "wrong-namespace",
    ],
)
def test_hostile_or_broken_xml_gets_a_fault(client: TestClient, body: bytes, code: str) -> None:
    tracemalloc.start()
    try:
        response = client.post(PATH, content=body, headers=basic(USER1))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 400
    assert fault_code(response.content) == code
    assert b"root:" not in response.content
    assert peak < 5 * 1024 * 1024


def test_a_10_mb_body_with_its_length_is_refused_unread(client: TestClient) -> None:
    body = SEED_REQUEST + b" " * TEN_MB
    response = client.post(PATH, content=body, headers=basic(USER1))
    assert response.status_code == 413
    assert fault_code(response.content) == "ErrorInvalidRequest"


def test_a_10_mb_streamed_body_is_cut_off_in_flat_memory(
    settings: Settings, services: Services
) -> None:
    """Driven at the ASGI level, so no client buffers the body: the server must stop reading."""
    limit = 1024 * 1024
    app = create_app(settings.with_(ews_max_body_bytes=limit), services)
    consumed = 0
    chunk = b" " * 65536

    async def receive() -> Message:
        nonlocal consumed
        consumed += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": consumed < TEN_MB}

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": PATH,
        "raw_path": PATH.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"authorization", basic(USER1)["Authorization"].encode())],
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
    }
    tracemalloc.start()
    try:
        asyncio.run(app(scope, receive, send))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sent[0]["status"] == 413
    assert fault_code(b"".join(m.get("body", b"") for m in sent[1:])) == "ErrorInvalidRequest"
    assert consumed <= limit + len(chunk)
    assert peak < 3 * limit
