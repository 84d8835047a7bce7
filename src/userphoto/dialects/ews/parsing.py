"""Reading a SOAP request: hostile XML refused, elements found by namespace, never by prefix."""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from userphoto.dialects.ews.faults import (
    INVALID_REQUEST,
    INVALID_SERVER_VERSION,
    SCHEMA_VALIDATION,
    EwsFault,
)

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
TYPES = "http://schemas.microsoft.com/exchange/services/2006/types"
MESSAGES = "http://schemas.microsoft.com/exchange/services/2006/messages"
ERRORS = "http://schemas.microsoft.com/exchange/services/2006/errors"

# GetUserPhoto and SetUserPhoto came with Exchange 2013; older schema versions lack them.
_VERSIONS_BEFORE_2013 = frozenset(
    {
        "Exchange2007",
        "Exchange2007_SP1",
        "Exchange2009",
        "Exchange2010",
        "Exchange2010_SP1",
        "Exchange2010_SP2",
        "Exchange2012",
    }
)


@dataclass(frozen=True, slots=True)
class SoapRequest:
    operation: Element  # the body's root element, in the messages namespace

    @property
    def name(self) -> str:
        return self.operation.tag.removeprefix(f"{{{MESSAGES}}}")

    def text(self, local_name: str) -> str | None:
        """The stripped text of the operation's child `m:<local_name>`; None when absent."""
        child = self.operation.find(f"{{{MESSAGES}}}{local_name}")
        return None if child is None else (child.text or "").strip()


def parse_request(body: bytes) -> SoapRequest:
    """The operation a SOAP 1.1 envelope carries; EwsFault for anything else."""
    envelope = _parse(body)
    if envelope.tag != f"{{{SOAP}}}Envelope":
        raise EwsFault(SCHEMA_VALIDATION, "The request is not a SOAP 1.1 Envelope.", 400)
    _check_version(envelope.find(f"{{{SOAP}}}Header"))
    soap_body = envelope.find(f"{{{SOAP}}}Body")
    operation = None if soap_body is None else next(iter(soap_body), None)
    if operation is None:
        raise EwsFault(SCHEMA_VALIDATION, "The SOAP Body holds no operation.", 400)
    if not operation.tag.startswith(f"{{{MESSAGES}}}"):
        raise EwsFault(
            INVALID_REQUEST,
            f"The operation {operation.tag} is not in the namespace {MESSAGES}.",
            400,
        )
    return SoapRequest(operation)


def _parse(body: bytes) -> Element:
    try:
        return fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise EwsFault(
            SCHEMA_VALIDATION, "The request was refused: DTDs and entities are not accepted.", 400
        ) from None
    except (ParseError, LookupError, ValueError) as exc:
        # The declaration may name an encoding Python lacks (LookupError), one it cannot
        # stream (ValueError), or one whose decoder fails on the bytes (a UnicodeError).
        message = f"The request is not well-formed XML: {exc}."
        raise EwsFault(SCHEMA_VALIDATION, message, 400) from None


def _check_version(header: Element | None) -> None:
    found = None if header is None else header.find(f"{{{TYPES}}}RequestServerVersion")
    version = None if found is None else (found.get("Version") or "").strip()
    if version in _VERSIONS_BEFORE_2013:
        raise EwsFault(
            INVALID_SERVER_VERSION,
            f"The operation needs RequestServerVersion Exchange2013 or later, not {version}.",
        )
