"""SOAP requests as clients write them, and readers for our answers."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from xml.etree import ElementTree

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
T = "http://schemas.microsoft.com/exchange/services/2006/types"
M = "http://schemas.microsoft.com/exchange/services/2006/messages"
E = "http://schemas.microsoft.com/exchange/services/2006/errors"
PATH = "/EWS/Exchange.asmx"

# The request of the GetUserPhoto documentation, byte for byte.
SEED_REQUEST = b"""<?xml version="1.0" encoding="utf-8" ?>
<soap:Envelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
xmlns:xsd="http://www.w3.org/2001/XMLSchema"
xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"
xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"
xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages">
<soap:Header>
<t:RequestServerVersion Version="Exchange2013"/>
</soap:Header>
<soap:Body>
<m:GetUserPhoto>
<m:Email>user1@contoso.com</m:Email>
<m:SizeRequested>HR48x48</m:SizeRequested>
</m:GetUserPhoto>
</soap:Body>
</soap:Envelope>
"""


def get_user_photo(email: str, size: str, version: str = "Exchange2013", extra: str = "") -> bytes:
    return envelope(
        f"<m:GetUserPhoto><m:Email>{email}</m:Email>"
        f"<m:SizeRequested>{size}</m:SizeRequested>{extra}</m:GetUserPhoto>",
        version,
    )


def set_user_photo(email: str, content: str) -> bytes:
    return envelope(
        f"<m:SetUserPhoto><m:Email>{email}</m:Email><m:Content>{content}</m:Content>"
        "</m:SetUserPhoto>"
    )


def envelope(body: str, version: str = "Exchange2013") -> bytes:
    return (
        f'<s:Envelope xmlns:s="{SOAP}" xmlns:t="{T}" xmlns:m="{M}">'
        f'<s:Header><t:RequestServerVersion Version="{version}"/></s:Header>'
        f"<s:Body>{body}</s:Body></s:Envelope>"
    ).encode()


@dataclass(frozen=True)
class PhotoAnswer:
    response_class: str
    children: list[str]  # local names, in document order
    has_changed: bool
    picture: bytes
    content_type: str | None
    server_version: str | None


def read_photo_answer(xml: bytes) -> PhotoAnswer:
    root = ElementTree.fromstring(xml)
    assert root.tag == f"{{{SOAP}}}Envelope"
    info = root.find(f"{{{SOAP}}}Header/{{{T}}}ServerVersionInfo")
    response = root.find(f"{{{SOAP}}}Body/{{{M}}}GetUserPhotoResponse")
    assert response is not None
    assert all(child.tag.startswith(f"{{{M}}}") for child in response)
    content_type = response.find(f"{{{M}}}ContentType")
    return PhotoAnswer(
        response.get("ResponseClass", ""),
        [child.tag.split("}")[1] for child in response],
        response.findtext(f"{{{M}}}HasChanged") == "true",
        base64.b64decode(response.findtext(f"{{{M}}}PictureData") or ""),
        None if content_type is None else content_type.text,
        None if info is None else info.get("Version"),
    )


def fault_code(xml: bytes) -> str:
    """The EWS response code of a SOAP fault, checked to agree with its faultcode."""
    root = ElementTree.fromstring(xml)
    fault = root.find(f"{{{SOAP}}}Body/{{{SOAP}}}Fault")
    assert fault is not None
    code = fault.findtext(f"detail/{{{E}}}ResponseCode") or ""
    assert fault.findtext("faultcode") == f"a:{code}"
    assert fault.findtext("faultstring")
    return code
