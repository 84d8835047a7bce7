"""The response envelope (protocol notes §4), keys in the documented order, as PHP JSON.

A read's `data` arrives encoded (readcache keeps it so), and the envelope around it is
joined as bytes: every answer to a repeated read differs only in these few members. Each
level is one join, so a read of 500 records is copied twice on its way out, not once per
member as a chain of `+` would.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from userphoto.dialects.onoffice.errors import MESSAGES, Code, OnOfficeError
from userphoto.dialects.onoffice.phpjson import php_json
from userphoto.dialects.onoffice.wire import Action

RECORD_TYPE = "user"


class Result(NamedTuple):
    """One action's result object, encoded, and whether it reports an error."""

    failed: bool
    encoded: bytes


def record(number: int, elements: dict[str, Any]) -> dict[str, Any]:
    return {"id": number, "type": RECORD_TYPE, "elements": elements}


def data(records: list[dict[str, Any]], total: int | None) -> bytes:
    """The `data` member of a successful read."""
    return _encoded({"meta": {"cntabsolute": total}, "records": records})


def success(action: Action, encoded_data: bytes) -> Result:
    return Result(False, _result(action, True, encoded_data, _OK_STATUS))


def failure(action: Action, error: OnOfficeError) -> Result:
    # SDK caches need cacheable false on errors; data [] as in every known failed result.
    status = _encoded(_status(error.code, error.message))
    return Result(True, _result(action, False, b"[]", status))


def response(results: list[Result]) -> bytes:
    status = _FAILED_REQUEST_STATUS if any(r.failed for r in results) else _OK_REQUEST_STATUS
    listed = b",".join(r.encoded for r in results)  # one result: no copy
    return b"".join((b'{"status":', status, b',"response":{"results":[', listed, b"]}}"))


def request_failure(error: OnOfficeError) -> bytes:
    status = {"code": error.status_code, **_status(error.code, error.message)}
    return _encoded({"status": status, "response": {"results": []}})


def _result(action: Action, cacheable: bool, encoded_data: bytes, status: bytes) -> bytes:
    head = _encoded(
        {
            "actionid": action.actionid,
            "resourceid": action.resourceid,
            "resourcetype": action.resourcetype,
            "cacheable": cacheable,
            "identifier": action.identifier,
        }
    )
    # `head` is a non-empty object: its closing brace gives way to the encoded members.
    return b"".join((head[:-1], b',"data":', encoded_data, b',"status":', status, b"}"))


def _status(code: Code, message: str) -> dict[str, Any]:
    return {"errorcode": int(code), "message": message}


def _encoded(value: Any) -> bytes:
    return php_json(value).encode("ascii")


_OK_STATUS = _encoded(_status(Code.OK, MESSAGES[Code.OK]))
_OK_REQUEST_STATUS = _encoded({"code": 200, **_status(Code.OK, MESSAGES[Code.OK])})
_FAILED_REQUEST_STATUS = _encoded(
    {"code": 500, **_status(Code.ERROR_IN_ACTION, MESSAGES[Code.ERROR_IN_ACTION])}
)
