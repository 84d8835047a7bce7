"""`userphoto demo`: a believable directory, safe to rerun, with credentials that work."""

from __future__ import annotations

import base64
import hashlib
import hmac
import stat
import time
from typing import Any

import orjson
from starlette.testclient import TestClient

from tests.e2e.conftest import Invoke
from userphoto.config import Settings
from userphoto.core.model import PhotoOwner, Right
from userphoto.core.query import UserQuery
from userphoto.core.secrets import verify_password
from userphoto.core.services import Services
from userphoto.demo import (
    CREDENTIALS_FILE,
    MAX_USERS,
    ONOFFICE_READ,
    READER_NAME,
    RESTRICTED_NAME,
    demo_person,
)
from userphoto.web.app import create_app

USERS = 14


def onoffice_read(token: str, secret: str, parameters: dict[str, Any]) -> dict[str, Any]:
    timestamp = int(time.time())
    message = f"{timestamp}{token}userphoto{ONOFFICE_READ}".encode()
    signature = base64.b64encode(hmac.new(secret.encode(), message, hashlib.sha256).digest())
    action = {
        "actionid": ONOFFICE_READ,
        "resourceid": "",
        "identifier": "",
        "resourcetype": "userphoto",
        "timestamp": timestamp,
        "hmac": signature.decode(),
        "hmac_version": 2,
        "parameters": parameters,
    }
    return {"token": token, "request": {"actions": [action]}}


def credentials(settings: Settings) -> dict[str, Any]:
    return orjson.loads((settings.data_dir / CREDENTIALS_FILE).read_bytes())


def test_demo_fills_every_field_links_addresses_and_draws_photos(
    invoke: Invoke, settings: Settings, services: Services
) -> None:
    result = invoke("demo", "--users", str(USERS))
    assert result.exit_code == 0, result.output
    assert f"{USERS} users" in result.stdout
    page = services.directory.find_users(UserQuery(limit=100))
    assert page.total == USERS
    emails = {u.email for u in page.items}
    assert len(emails) == USERS
    for user in page.items:
        assert user.first_name and user.last_name and user.phone and user.city
        assert user.messenger_uid is not None
        assert services.directory.address(user.address_id).last_name == user.last_name
    photos = services.photos.effective_photos(page.items)
    assert photos[1] is not None and photos[1].owner == PhotoOwner.user(1)
    assert photos[3] is not None and photos[3].owner.kind.value == "address"
    assert photos[7] is None
    assert sum(p is not None for p in photos.values()) == USERS - 1
    admin = services.directory.user(1)
    saved = credentials(settings)
    assert admin.is_admin and verify_password(saved["admin_password"], admin.password_hash)


def test_demo_twice_changes_nothing(invoke: Invoke, settings: Settings, services: Services) -> None:
    assert invoke("demo", "--users", str(USERS)).exit_code == 0
    first = credentials(settings)
    blobs = sorted(p.name for p in (settings.data_dir / "blobs").rglob("*") if p.is_file())
    photo_ids = {u: services.photos.current(PhotoOwner.user(u)) for u in range(1, USERS + 1)}

    again = invoke("demo", "--users", str(USERS))
    assert again.exit_code == 0, again.output
    assert "drew 0 user photos and 0 address photos" in again.stdout
    assert credentials(settings) == first
    assert first[READER_NAME]["secret"] in again.stdout
    assert services.directory.find_users(UserQuery()).total == USERS
    names = sorted(a.name for a in services.api_users.list())
    assert names == sorted([READER_NAME, RESTRICTED_NAME])
    assert sorted(p.name for p in (settings.data_dir / "blobs").rglob("*") if p.is_file()) == blobs
    assert {u: services.photos.current(PhotoOwner.user(u)) for u in photo_ids} == photo_ids


def test_credentials_file_is_private_and_replaced_when_revoked(
    invoke: Invoke, settings: Settings, services: Services
) -> None:
    assert invoke("demo", "--users", "3").exit_code == 0
    path = settings.data_dir / CREDENTIALS_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    old = credentials(settings)
    services.api_users.revoke(old[READER_NAME]["id"])
    assert invoke("demo", "--users", "3").exit_code == 0
    new = credentials(settings)
    assert new[READER_NAME]["token"] != old[READER_NAME]["token"]
    assert new[RESTRICTED_NAME] == old[RESTRICTED_NAME]
    reader = services.api_users.by_token(new[READER_NAME]["token"])
    assert reader is not None and reader.may(Right.READ_USER_DATA)
    assert len(services.api_users.list()) == 2


def test_printed_credentials_sign_onoffice_requests(
    invoke: Invoke, settings: Settings, services: Services
) -> None:
    result = invoke("demo", "--users", str(USERS))
    saved = credentials(settings)
    reader, restricted = saved[READER_NAME], saved[RESTRICTED_NAME]
    assert f"token {reader['token']} secret {reader['secret']}" in result.stdout
    with TestClient(create_app(settings, services)) as client:
        answer = client.post(
            "/api/stable/api.php",
            content=orjson.dumps(
                onoffice_read(
                    reader["token"], reader["secret"], {"photosAsLinks": True, "listlimit": 100}
                )
            ),
        ).json()
        refused = client.post(
            "/api/stable/api.php",
            content=orjson.dumps(onoffice_read(restricted["token"], restricted["secret"], {})),
        ).json()
    result_ = answer["response"]["results"][0]
    assert result_["status"]["errorcode"] == 0, answer
    photos = {r["id"]: r["elements"]["photo"] for r in result_["data"]["records"]}
    assert len(photos) == USERS
    assert photos[7] is None
    assert photos[3] is not None and photos[3].endswith("Userphoto_3.jpg")
    assert refused["response"]["results"][0]["status"]["errorcode"] == 170


def test_every_possible_demo_user_has_its_own_login() -> None:
    people = [demo_person(n) for n in range(1, MAX_USERS + 1)]
    assert len({p["email"] for p in people}) == MAX_USERS
    assert len({p["username"] for p in people}) == MAX_USERS
    assert all(p["email"].isascii() for p in people)
