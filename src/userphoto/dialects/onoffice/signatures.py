"""Action signatures (protocol notes §3): HMAC v2, legacy v1, and the timestamp window."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

from userphoto.dialects.onoffice.phpjson import php_json
from userphoto.dialects.onoffice.wire import Action


def hmac_v2(secret: str, timestamp: str, token: str, resourcetype: str, actionid: str) -> str:
    message = f"{timestamp}{token}{resourcetype}{actionid}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def hmac_v1(secret: str, token: str, action: Action) -> str:
    # ksort is first-level only; the field values are joined in the order of their
    # (alphabetical) keys: accesstoken, actionid, identifier, resourceid, secret,
    # timestamp, type.
    parameters = dict(sorted(action.parameters.items()))
    fields = (
        token,
        action.actionid,
        action.identifier,
        action.resourceid,
        secret,
        action.timestamp,
        action.resourcetype,
    )
    bundled = php_json(parameters) + "," + ",".join(_php_string(f) for f in fields)
    inner = hashlib.md5(bundled.encode(), usedforsecurity=False).hexdigest()
    return hashlib.md5((secret + inner).encode(), usedforsecurity=False).hexdigest()


def signature_valid(action: Action, token: str, secret: str) -> bool:
    if action.hmac is None or action.timestamp is None:
        return False
    if action.hmac_version == 2:
        expected = hmac_v2(secret, action.timestamp, token, action.resourcetype, action.actionid)
    else:
        expected = hmac_v1(secret, token, action)
    # Bytes, because compare_digest refuses str with non-ASCII characters.
    return hmac.compare_digest(expected.encode(), action.hmac.encode())


def timestamp_fresh(action: Action, now: float, window: int) -> bool:
    # No single-use check: clients legitimately send the same signature twice (§2.4).
    return action.timestamp is not None and abs(int(now) - int(action.timestamp)) <= window


def _php_string(value: Any) -> str:
    """What PHP's implode makes of a scalar: null as the empty string."""
    return "" if value is None else str(value)
