"""While the store is unreachable the API answers 503 with Retry-After, never a 500."""

from __future__ import annotations

import json

import pytest
from starlette.testclient import TestClient

from tests.dialects.onoffice.support import OnOfficeClient
from userphoto.config import Settings
from userphoto.core.errors import StoreUnavailable
from userphoto.core.services import Services
from userphoto.web.app import create_app


def unreachable(*_: object) -> None:
    raise StoreUnavailable("the database cannot be reached")


def test_api_answers_503_in_its_own_envelope(
    api: OnOfficeClient, directory: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    action = api.action("user", {"data": ["Vorname"]})
    monkeypatch.setattr(directory.store.users, "query", unreachable)
    response = api.raw(json.dumps(api.envelope(api.signed(action))))
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert response.json() == {
        "status": {"code": 500, "errorcode": 1, "message": "Unknown error occurred"},
        "response": {"results": []},
    }


def test_photo_links_answer_503(
    settings: Settings, directory: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(directory.store.users, "get", unreachable)
    with TestClient(create_app(settings, directory)) as client:
        response = client.get("/smart20/Dateien/userphoto/users/Userphoto_17.jpg")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
