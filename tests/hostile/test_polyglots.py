"""Polyglots that are also real photos: accepted, but nothing of the other file is kept.

A JPEG with a ZIP or a script after its end, or a comment holding HTML, decodes as the
photo it is; every stored rendition is re-encoded from pixels, so the payload is gone.
"""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.hostile.payloads import jpeg_photo, zip_of
from tests.images import RED, encode, solid
from userphoto.core.model import PhotoOwner, Scope
from userphoto.core.services import Services

MARKER = b"POLYGLOT-PAYLOAD"
POLYGLOTS = {
    "jpeg-then-zip": jpeg_photo() + zip_of("evil.html", MARKER),
    "jpeg-then-html": jpeg_photo() + b"<html><script>" + MARKER + b"</script></html>",
    "jpeg-comment-html": encode(solid((64, 64), RED), "JPEG", comment=b"<svg onload=" + MARKER),
    "png-then-js": encode(solid((64, 64), RED), "PNG") + b";alert('" + MARKER + b"')",
}


@pytest.fixture
def database_url() -> str:
    """SQLite only: what is checked is the pipeline's output, the same on every store."""
    return ""


@pytest.mark.parametrize("name", sorted(POLYGLOTS))
def test_a_polyglot_is_stored_without_its_payload(
    name: str, services: Services, client: TestClient
) -> None:
    services.directory.save_user({"number": 7, "email": "p@example.org", "is_admin": True})
    _, key = services.auth.create_key(7, "polyglot", [Scope.ALL])
    answer = client.put(
        "/api/v1/users/7/photo",
        content=POLYGLOTS[name],
        headers={"Authorization": f"Bearer {key}", "Content-Type": "image/jpeg"},
    )
    assert answer.status_code == 200, answer.text
    photo = services.photos.current(PhotoOwner.user(7))
    assert photo is not None
    for rendition in photo.renditions:
        stored = services.photos.read(rendition)
        assert MARKER not in stored
        assert stored[:2] == b"\xff\xd8" or stored[:8] == b"\x89PNG\r\n\x1a\n"
