"""Photo changes through other dialects land in the trail with their channel and caller."""

from __future__ import annotations

import base64

from starlette.testclient import TestClient

from tests.dialects.ews.soap import PATH, set_user_photo
from tests.dialects.native.conftest import jpeg
from userphoto.core.audit import Actor, ActorKind, AuditAction
from userphoto.core.model import PhotoOwner
from userphoto.core.services import Services

BO = PhotoOwner.user(2)


def latest(people: Services) -> tuple[AuditAction, Actor]:
    entry = people.audit.trail(BO).items[0]
    return entry.action, entry.actor


def test_graph_writes_are_recorded(
    client: TestClient, user: dict[str, str], people: Services
) -> None:
    put = client.put("/v1.0/me/photo/$value", content=jpeg(90), headers=user)
    assert put.status_code == 200
    assert latest(people) == (AuditAction.SET, Actor(ActorKind.API_KEY, "2", "graph"))
    assert client.delete("/v1.0/me/photo/$value", headers=user).status_code == 200
    assert latest(people) == (AuditAction.DELETE, Actor(ActorKind.API_KEY, "2", "graph"))


def test_docspace_writes_are_recorded(
    client: TestClient, admin: dict[str, str], people: Services
) -> None:
    answer = client.delete("/api/2.0/people/2/photo", headers=admin)
    assert answer.status_code == 200
    assert latest(people) == (AuditAction.DELETE, Actor(ActorKind.API_KEY, "1", "docspace"))


def test_ews_set_user_photo_is_recorded(
    client: TestClient, user: dict[str, str], people: Services
) -> None:
    content = base64.b64encode(jpeg(70)).decode()
    body = set_user_photo("bo@example.org", content)
    headers = {**user, "Content-Type": "text/xml; charset=utf-8"}
    assert client.post(PATH, content=body, headers=headers).status_code == 200
    assert latest(people) == (AuditAction.SET, Actor(ActorKind.API_KEY, "2", "ews"))
