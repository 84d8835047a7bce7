"""The request envelope (protocol notes §2): raw body bytes to typed actions.

Anything that breaks the envelope's structure fails the whole request with the
documented top-level code; what an action's fields mean is checked per action later.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from userphoto.dialects.onoffice.errors import Code, OnOfficeError

READ = "urn:onoffice-de-ns:smart:2.5:smartml:action:read"
# Every action runs a query and may carry up to 500 photos: a bound keeps one request
# from holding the server for minutes. Real clients batch a handful.
MAX_ACTIONS = 100
# Unix seconds; the bound keeps int() and the arithmetic on it cheap.
_TIMESTAMP = re.compile(r"[0-9]{1,20}")


@dataclass(frozen=True, slots=True)
class Action:
    actionid: str
    resourceid: str | int | None
    resourcetype: str
    identifier: str | None
    # The decimal digits as sent (HMACs sign the text), None when missing or not an integer.
    timestamp: str | None
    hmac: str | None
    hmac_version: int
    parameters: dict[str, Any]

    @property
    def is_list_read(self) -> bool:
        return self.resourceid is None or self.resourceid == ""


@dataclass(frozen=True, slots=True)
class ApiRequest:
    token: str
    actions: tuple[Action, ...]


def parse_request(body: bytes) -> ApiRequest:
    doc = _decode(body)
    if not isinstance(doc, dict):
        raise OnOfficeError(Code.TOKEN)
    token = doc.get("token")
    if not isinstance(token, str) or not token:
        raise OnOfficeError(Code.TOKEN)
    request = doc.get("request")
    if not isinstance(request, dict):
        raise OnOfficeError(Code.REQUEST)
    actions = request.get("actions")
    if not isinstance(actions, list) or not 0 < len(actions) <= MAX_ACTIONS:
        raise OnOfficeError(Code.ACTIONS)
    return ApiRequest(token, tuple(_action(a) for a in actions))


def _decode(body: bytes) -> Any:
    if not body.strip():
        raise OnOfficeError(Code.EMPTY_REQUEST)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise OnOfficeError(Code.MALFORMED_UTF8) from exc
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except RecursionError as exc:
        raise OnOfficeError(Code.STACK_DEPTH) from exc
    except json.JSONDecodeError as exc:
        control = exc.msg.startswith("Invalid control character")
        raise OnOfficeError(Code.CONTROL_CHARACTER if control else Code.SYNTAX_ERROR) from exc
    except ValueError as exc:  # NaN/Infinity, or an integer too long to convert
        raise OnOfficeError(Code.SYNTAX_ERROR) from exc


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _action(raw: Any) -> Action:
    if not isinstance(raw, dict):
        raise OnOfficeError(Code.ACTION)
    identifier = raw.get("identifier")
    if identifier is not None and not isinstance(identifier, str):
        raise OnOfficeError(Code.ACTION)
    return Action(
        actionid=_actionid(raw.get("actionid")),
        resourceid=_resourceid(raw),
        resourcetype=_resourcetype(raw.get("resourcetype")),
        identifier=identifier,
        timestamp=_timestamp(raw.get("timestamp")),
        hmac=raw["hmac"] if isinstance(raw.get("hmac"), str) else None,
        hmac_version=2 if _is_two(raw.get("hmac_version")) else 1,
        parameters=_parameters(raw.get("parameters")),
    )


def _actionid(value: Any) -> str:
    if not isinstance(value, str):
        raise OnOfficeError(Code.ACTIONID)
    if not value:
        raise OnOfficeError(Code.EMPTY_ACTIONID)
    return value


def _resourceid(raw: dict[str, Any]) -> str | int | None:
    # Mandatory but may be empty; clients send "", null, "21" or 21.
    if "resourceid" not in raw:
        raise OnOfficeError(Code.RESOURCEID)
    value = raw["resourceid"]
    if value is None or isinstance(value, str) or _is_int(value):
        return value
    raise OnOfficeError(Code.RESOURCEID)


def _resourcetype(value: Any) -> str:
    if not isinstance(value, str):
        raise OnOfficeError(Code.RESOURCETYPE)
    return value


def _parameters(value: Any) -> dict[str, Any]:
    # PHP clients encode an empty parameter array as [].
    if value == []:
        return {}
    if not isinstance(value, dict):
        raise OnOfficeError(Code.PARAMETERS)
    return value


def _timestamp(value: Any) -> str | None:
    if _is_int(value) and value >= 0:
        value = str(value)
    return value if isinstance(value, str) and _TIMESTAMP.fullmatch(value) else None


def _is_two(value: Any) -> bool:
    return value == "2" or (_is_int(value) and value == 2)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
