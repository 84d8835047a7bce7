"""SOAP responses in the exact shape of Exchange's: envelope, ServerVersionInfo, faults."""

from __future__ import annotations

import base64
from xml.sax.saxutils import escape, quoteattr

from userphoto.dialects.ews.faults import EwsFault
from userphoto.dialects.ews.parsing import ERRORS, MESSAGES, SOAP, TYPES

XML_CONTENT_TYPE = "text/xml; charset=utf-8"
_XSD = "http://www.w3.org/2001/XMLSchema"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
# The build numbers of the documentation's example, for clients that log them.
_BUILD = 'MajorVersion="15" MinorVersion="0" MajorBuildNumber="556" MinorBuildNumber="8"'


def envelope(body: str, server_version: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<s:Envelope xmlns:s="{SOAP}">'
        "<s:Header>"
        f"<h:ServerVersionInfo {_BUILD} Version={quoteattr(server_version)}"
        f' xmlns:h="{TYPES}" xmlns="{TYPES}" xmlns:xsd="{_XSD}" xmlns:xsi="{_XSI}"/>'
        "</s:Header>"
        f'<s:Body xmlns:xsi="{_XSI}" xmlns:xsd="{_XSD}">{body}</s:Body>'
        "</s:Envelope>"
    ).encode()


def get_photo_response(has_changed: bool, data: bytes, content_type: str) -> str:
    """`PictureData` is always present; `ContentType` follows whenever it holds bytes."""
    picture = base64.b64encode(data).decode("ascii")
    content = f"<ContentType>{escape(content_type)}</ContentType>" if data else ""
    return (
        f'<GetUserPhotoResponse ResponseClass="Success" xmlns="{MESSAGES}">'
        "<ResponseCode>NoError</ResponseCode>"
        f"<HasChanged>{'true' if has_changed else 'false'}</HasChanged>"
        f"<PictureData>{picture}</PictureData>{content}"
        "</GetUserPhotoResponse>"
    )


def set_photo_response() -> str:
    return (
        f'<SetUserPhotoResponse ResponseClass="Success" xmlns="{MESSAGES}">'
        "<ResponseCode>NoError</ResponseCode>"
        "</SetUserPhotoResponse>"
    )


def fault(error: EwsFault) -> bytes:
    """The fault shape Exchange sends and exchangelib parses (faultcode, detail/e:*)."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<s:Envelope xmlns:s="{SOAP}"><s:Body><s:Fault>'
        f'<faultcode xmlns:a="{TYPES}">a:{error.code}</faultcode>'
        f'<faultstring xml:lang="en-US">{escape(error.message)}</faultstring>'
        "<detail>"
        f'<e:ResponseCode xmlns:e="{ERRORS}">{error.code}</e:ResponseCode>'
        f'<e:Message xmlns:e="{ERRORS}">{escape(error.message)}</e:Message>'
        f"{_back_off(error)}"
        "</detail>"
        "</s:Fault></s:Body></s:Envelope>"
    ).encode()


def _back_off(error: EwsFault) -> str:
    if error.back_off_ms is None:
        return ""
    return (
        f'<t:MessageXml xmlns:t="{TYPES}">'
        f'<t:Value Name="BackOffMilliseconds">{error.back_off_ms}</t:Value>'
        "</t:MessageXml>"
    )
