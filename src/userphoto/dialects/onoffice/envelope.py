"""The response envelope (protocol notes §4), keys in the documented order."""

from __future__ import annotations

from typing import Any

from userphoto.dialects.onoffice.errors import MESSAGES, Code, OnOfficeError
from userphoto.dialects.onoffice.wire import Action

RECORD_TYPE = "user"


def record(number: int, elements: dict[str, Any]) -> dict[str, Any]:
    return {"id": number, "type": RECORD_TYPE, "elements": elements}


def success(action: Action, records: list[dict[str, Any]], total: int | None) -> dict[str, Any]:
    data = {"meta": {"cntabsolute": total}, "records": records}
    return _result(action, True, data, _status(Code.OK, MESSAGES[Code.OK]))


def failure(action: Action, error: OnOfficeError) -> dict[str, Any]:
    # SDK caches need cacheable false on errors; data [] as in every known failed result.
    return _result(action, False, [], _status(error.code, error.message))


def response(results: list[dict[str, Any]]) -> dict[str, Any]:
    failed = any(r["status"]["errorcode"] != Code.OK for r in results)
    status = (
        {"code": 500, **_status(Code.ERROR_IN_ACTION, MESSAGES[Code.ERROR_IN_ACTION])}
        if failed
        else {"code": 200, **_status(Code.OK, MESSAGES[Code.OK])}
    )
    return {"status": status, "response": {"results": results}}


def request_failure(error: OnOfficeError) -> dict[str, Any]:
    status = {"code": error.status_code, **_status(error.code, error.message)}
    return {"status": status, "response": {"results": []}}


def _result(action: Action, cacheable: bool, data: Any, status: dict[str, Any]) -> dict[str, Any]:
    return {
        "actionid": action.actionid,
        "resourceid": action.resourceid,
        "resourcetype": action.resourcetype,
        "cacheable": cacheable,
        "identifier": action.identifier,
        "data": data,
        "status": status,
    }


def _status(code: Code, message: str) -> dict[str, Any]:
    return {"errorcode": int(code), "message": message}
