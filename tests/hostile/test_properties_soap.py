"""The EWS SOAP parser, property-based: whatever the bytes, it returns an operation or raises
its documented fault, never anything else."""

from __future__ import annotations

from encodings.aliases import aliases
from xml.sax.saxutils import escape, quoteattr

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.dialects.ews.soap import SEED_REQUEST, SOAP, M, T
from userphoto.dialects.ews.faults import EwsFault
from userphoto.dialects.ews.parsing import parse_request

MANY = settings(max_examples=400, deadline=None)
FAULT_CODES = frozenset(
    {"ErrorSchemaValidation", "ErrorInvalidRequest", "ErrorInvalidServerVersion"}
)


def parses_or_faults(body: bytes) -> None:
    try:
        request = parse_request(body)
    except EwsFault as fault:
        assert fault.code in FAULT_CODES
        assert fault.message
    else:
        assert request.operation.tag.startswith(f"{{{M}}}")


@MANY
@given(body=st.binary(max_size=2_000))
def test_any_bytes(body: bytes) -> None:
    parses_or_faults(body)


@MANY
@given(at=st.integers(min_value=0, max_value=len(SEED_REQUEST) - 1), data=st.data())
def test_the_seed_request_with_bytes_changed(at: int, data: st.DataObject) -> None:
    changed = data.draw(st.binary(min_size=0, max_size=8))
    cut = data.draw(st.integers(min_value=at, max_value=len(SEED_REQUEST)))
    parses_or_faults(SEED_REQUEST[:at] + changed + SEED_REQUEST[cut:])


@MANY
@given(encoding=st.text(max_size=20) | st.sampled_from(sorted(set(aliases.values()))))
def test_any_declared_encoding(encoding: str) -> None:
    declaration = f"<?xml version={quoteattr('1.0')} encoding={quoteattr(encoding)}?>"
    parses_or_faults(declaration.encode() + SEED_REQUEST.split(b"?>", 1)[1])


names = st.sampled_from(
    [
        "Envelope",
        "Header",
        "Body",
        "GetUserPhoto",
        "SetUserPhoto",
        "Email",
        "SizeRequested",
        "RequestServerVersion",
        "Content",
        "x",
    ]
)
namespaces = st.sampled_from([SOAP, M, T, "", "urn:other"])
attribute_values = st.text(max_size=12)
element_texts = st.text(max_size=20)


@st.composite
def elements(draw: st.DrawFn, depth: int = 0) -> str:
    """A well-formed element of SOAP, EWS or other names, attributes and children."""
    name, namespace = draw(names), draw(namespaces)
    declaration = f" xmlns={quoteattr(namespace)}" if namespace else ""
    attributes = "".join(
        f" {key}={quoteattr(value)}"
        for key, value in draw(
            st.dictionaries(st.sampled_from(["Version", "a", "b"]), attribute_values, max_size=2)
        ).items()
    )
    children = draw(st.lists(elements(depth + 1), max_size=3)) if depth < 4 else []
    text = escape(draw(element_texts))
    return f"<{name}{declaration}{attributes}>{text}{''.join(children)}</{name}>"


@MANY
@given(document=elements())
def test_any_well_formed_document(document: str) -> None:
    parses_or_faults(document.encode())


@MANY
@given(version=st.text(max_size=30), email=st.text(max_size=40), size=st.text(max_size=20))
def test_any_get_user_photo_fields(version: str, email: str, size: str) -> None:
    body = (
        f'<s:Envelope xmlns:s="{SOAP}" xmlns:t="{T}" xmlns:m="{M}"><s:Header>'
        f"<t:RequestServerVersion Version={quoteattr(version)}/></s:Header><s:Body>"
        f"<m:GetUserPhoto><m:Email>{escape(email)}</m:Email>"
        f"<m:SizeRequested>{escape(size)}</m:SizeRequested></m:GetUserPhoto></s:Body></s:Envelope>"
    )
    parses_or_faults(body.encode())
