"""exchangelib, unchanged, calls GetUserPhoto on a live server and parses our answers.

exchangelib has no GetUserPhoto service, so this is the small EWSService subclass any
exchangelib user would write; everything below it (envelope, transport, response and
fault parsing) is exchangelib's own.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from exchangelib import BASIC, Build, Configuration, Credentials, Version
from exchangelib.errors import ErrorInvalidSmtpAddress, MalformedResponseError
from exchangelib.protocol import BaseProtocol, Protocol
from exchangelib.services.common import EWSService
from exchangelib.util import MNS, add_xml_child, create_element
from PIL import Image
from starlette.applications import Starlette

from tests.dialects.ews.conftest import NO_PHOTO, PASSWORD, USER1, jpeg
from tests.web.liveserver import serving
from userphoto.core.model import PhotoOwner
from userphoto.core.services import Services

pytestmark = pytest.mark.usefixtures("people")


@dataclass(frozen=True)
class UserPhoto:
    has_changed: bool
    picture: bytes
    content_type: str | None


class GetUserPhoto(EWSService):
    SERVICE_NAME = "GetUserPhoto"

    def call(self, email: str, size: str) -> Iterator[UserPhoto]:
        return self._elems_to_objs(self._get_elements(payload=self.get_payload(email, size)))

    def get_payload(self, email: str, size: str):  # type: ignore[no-untyped-def]
        payload = create_element(f"m:{self.SERVICE_NAME}")
        add_xml_child(payload, "m:Email", email)
        add_xml_child(payload, "m:SizeRequested", size)
        return payload

    @classmethod
    def _get_elements_in_container(cls, container):  # type: ignore[no-untyped-def]
        # The answer is the response message itself, not a list inside it.
        return [container]

    def _elem_to_obj(self, elem) -> UserPhoto:  # type: ignore[no-untyped-def]
        return UserPhoto(
            elem.findtext(f"{{{MNS}}}HasChanged") == "true",
            base64.b64decode(elem.findtext(f"{{{MNS}}}PictureData") or ""),
            elem.findtext(f"{{{MNS}}}ContentType"),
        )


class SetUserPhoto(EWSService):
    SERVICE_NAME = "SetUserPhoto"
    returns_elements = False

    def call(self, email: str, content: bytes) -> Iterator[object]:
        return self._get_elements(payload=self.get_payload(email, content))

    def get_payload(self, email: str, content: bytes):  # type: ignore[no-untyped-def]
        payload = create_element(f"m:{self.SERVICE_NAME}")
        add_xml_child(payload, "m:Email", email)
        add_xml_child(payload, "m:Content", base64.b64encode(content).decode())
        return payload


@pytest.fixture
def protocol(app: Starlette) -> Iterator[Protocol]:
    with serving(app) as base_url:
        config = Configuration(
            service_endpoint=f"{base_url}/EWS/Exchange.asmx",
            credentials=Credentials(USER1, PASSWORD),
            auth_type=BASIC,
            version=Version(build=Build(15, 0)),
        )
        protocol = Protocol(config=config)
        yield protocol
        protocol.close()
    BaseProtocol.USERAGENT = None


def test_exchangelib_gets_a_photo(protocol: Protocol, people: Services) -> None:
    (answer,) = GetUserPhoto(protocol=protocol).call(USER1, "HR96x96")
    photo = people.photos.current(PhotoOwner.user(1))
    assert photo is not None
    assert answer == UserPhoto(True, people.photos.read(photo.rendition(96)), "image/jpeg")


def test_exchangelib_sets_the_callers_own_photo(protocol: Protocol, people: Services) -> None:
    assert list(SetUserPhoto(protocol=protocol).call(USER1, jpeg(120))) == [True]
    (answer,) = GetUserPhoto(protocol=protocol).call(USER1, "HR648x648")
    assert answer.has_changed
    assert Image.open(io.BytesIO(answer.picture)).size == (120, 120)


def test_exchangelib_raises_our_fault_as_its_own_error(protocol: Protocol) -> None:
    with pytest.raises(ErrorInvalidSmtpAddress):
        list(GetUserPhoto(protocol=protocol).call("not an address", "HR48x48"))


def test_exchangelib_sees_no_photo_as_a_404(protocol: Protocol) -> None:
    # The protocol notes: exchangelib turns any 404 into MalformedResponseError.
    with pytest.raises(MalformedResponseError):
        list(GetUserPhoto(protocol=protocol).call(NO_PHOTO, "HR48x48"))
