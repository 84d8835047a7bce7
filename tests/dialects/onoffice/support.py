"""What the onOffice tests share: a signing client, JPEG bytes, a fixed clock."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
from dataclasses import dataclass
from typing import Any

import httpx
from PIL import Image
from starlette.testclient import TestClient

from userphoto.core.services import Services

NOW = 1_767_225_600  # 2026-01-01T00:00:00Z
READ = "urn:onoffice-de-ns:smart:2.5:smartml:action:read"
API_PATH = "/api/stable/api.php"


def jpeg(color: tuple[int, int, int] = (200, 30, 30), size: tuple[int, int] = (300, 400)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG")
    return buffer.getvalue()


def sign_v2(secret: str, timestamp: Any, token: str, resourcetype: str, actionid: str) -> str:
    """The documented formula, written out independently of the dialect's code."""
    message = f"{timestamp}{token}{resourcetype}{actionid}".encode()
    return base64.b64encode(hmac.new(secret.encode(), message, hashlib.sha256).digest()).decode()


def sign_v1(secret: str, token: str, action: dict[str, Any]) -> str:
    """The legacy MD5 formula as the pre-2022 SDK computes it, from the action as sent."""
    parameters = dict(sorted(action["parameters"].items())) if action["parameters"] else []
    encoded = json.dumps(parameters, separators=(",", ":")).replace("/", "\\/")
    fields = [
        token,
        action["actionid"],
        action["identifier"],
        action["resourceid"],
        secret,
        action["timestamp"],
        action["resourcetype"],
    ]
    joined = ",".join("" if f is None else str(f) for f in fields)
    inner = hashlib.md5(f"{encoded},{joined}".encode()).hexdigest()
    return hashlib.md5((secret + inner).encode()).hexdigest()


@dataclass
class OnOfficeClient:
    http: TestClient
    token: str
    secret: str

    def action(
        self,
        resourcetype: str,
        parameters: Any = None,
        *,
        resourceid: Any = "",
        identifier: Any = "",
        actionid: str = READ,
        timestamp: Any = NOW,
        hmac_version: Any = 2,
    ) -> dict[str, Any]:
        """A v2-signed action, keys in the order the SDK sends them."""
        return {
            "actionid": actionid,
            "identifier": identifier,
            "parameters": {} if parameters is None else parameters,
            "resourceid": resourceid,
            "resourcetype": resourcetype,
            "timestamp": timestamp,
            "hmac_version": hmac_version,
            "hmac": sign_v2(self.secret, timestamp, self.token, resourcetype, actionid),
        }

    def signed(self, action: dict[str, Any], timestamp: Any = NOW) -> dict[str, Any]:
        """`action` (verbatim from the docs) with timestamp and v2 signature added."""
        return {
            **action,
            "timestamp": timestamp,
            "hmac_version": 2,
            "hmac": sign_v2(
                self.secret, timestamp, self.token, action["resourcetype"], action["actionid"]
            ),
        }

    def action_v1(self, resourcetype: str, parameters: Any = None, **fields: Any) -> dict[str, Any]:
        """An action signed the legacy way: no hmac_version, an MD5 hex HMAC."""
        action = self.action(resourcetype, parameters, **fields)
        del action["hmac_version"]
        action["hmac"] = sign_v1(self.secret, self.token, action)
        return action

    def envelope(self, *actions: dict[str, Any], token: str | None = None) -> dict[str, Any]:
        return {"token": self.token if token is None else token, "request": {"actions": actions}}

    def raw(
        self,
        body: bytes | str,
        *,
        method: str = "POST",
        path: str = API_PATH,
        content_type: str = "application/json",
    ) -> httpx.Response:
        return self.http.request(method, path, content=body, headers={"Content-Type": content_type})

    def send(self, *actions: dict[str, Any], token: str | None = None) -> dict[str, Any]:
        response = self.raw(json.dumps(self.envelope(*actions, token=token)))
        assert response.status_code == 200
        return response.json()

    def result(self, action: dict[str, Any]) -> dict[str, Any]:
        """The one result of a request holding only `action`."""
        (result,) = self.send(action)["response"]["results"]
        return result

    def records(self, action: dict[str, Any]) -> list[dict[str, Any]]:
        result = self.result(action)
        assert result["status"] == {"errorcode": 0, "message": "OK"}, result["status"]
        return result["data"]["records"]

    def error(self, action: dict[str, Any]) -> tuple[int, str]:
        result = self.result(action)
        assert result["cacheable"] is False
        assert result["data"] == []
        return result["status"]["errorcode"], result["status"]["message"]


def photo_base64(services: Services, number: int, size: int) -> str:
    photo = services.photos.effective_photo(services.directory.user(number))
    assert photo is not None
    return base64.b64encode(services.photos.read(photo.rendition(size))).decode()
