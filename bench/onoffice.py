"""Signed onOffice API requests, made with the dialect's own HMAC v2 helper.

A signature carries its timestamp and is valid for USERPHOTO_ONOFFICE_TIMESTAMP_WINDOW
(120 s), so a body is signed anew for every round rather than once per run.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import orjson

from userphoto.dialects.onoffice.signatures import hmac_v2
from userphoto.dialects.onoffice.wire import READ

API_PATH = "/api/stable/api.php"


@dataclass(frozen=True)
class ApiUser:
    token: str
    secret: str


def read_body(api_user: ApiUser, resourcetype: str, parameters: dict[str, Any]) -> bytes:
    """One list read as the onOffice SDK sends it, signed now."""
    timestamp = str(int(time.time()))
    action = {
        "actionid": READ,
        "identifier": "",
        "parameters": parameters,
        "resourceid": "",
        "resourcetype": resourcetype,
        "timestamp": timestamp,
        "hmac_version": 2,
        "hmac": hmac_v2(api_user.secret, timestamp, api_user.token, resourcetype, READ),
    }
    return orjson.dumps({"token": api_user.token, "request": {"actions": [action]}})


def records(response: dict[str, Any]) -> list[dict[str, Any]]:
    """The records of a one-action response; an error status is a broken benchmark."""
    (result,) = response["response"]["results"]
    if result["status"]["errorcode"] != 0:
        raise ValueError(f"onOffice read failed: {result['status']}")
    return result["data"]["records"]
