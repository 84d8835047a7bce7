"""onOffice error codes and their message templates (protocol notes §11).

One exception type carries a code wherever it is raised; whether it fails the whole
request or one action depends only on where it is caught.
"""

from __future__ import annotations

from enum import IntEnum


class Code(IntEnum):
    OK = 0
    UNKNOWN_ERROR = 1
    STACK_DEPTH = 3
    MALFORMED_JSON = 4
    CONTROL_CHARACTER = 5
    SYNTAX_ERROR = 6
    MALFORMED_UTF8 = 7
    EMPTY_REQUEST = 9
    TOKEN = 13
    REQUEST = 14
    ACTIONS = 15
    ACTIONID = 16
    EMPTY_ACTIONID = 17
    RESOURCEID = 18
    RESOURCETYPE = 19
    PARAMETERS = 20
    NOT_AUTHENTICATED = 22
    UNKNOWN_ACTIONID = 23
    UNKNOWN_RESOURCETYPE = 25
    EXPECTED_ARRAY = 74
    ERROR_IN_ACTION = 97
    TIMESTAMP = 136
    HMAC = 137
    UNKNOWN_FIELD = 141
    UNKNOWN_OPERATOR = 142
    NO_READ_PERMISSION = 170
    UNKNOWN_SORT_FIELD = 212
    EXPECTED_STRING = 227
    EXPECTED_INTEGER = 228
    ACTION = 247
    INVALID_PARAMETER = 255
    INVALID_FILTER = 257


MESSAGES: dict[Code, str] = {
    Code.OK: "OK",
    Code.UNKNOWN_ERROR: "Unknown error occurred",
    Code.STACK_DEPTH: "The maximum stack depth has been exceeded",
    Code.MALFORMED_JSON: "Invalid or malformed JSON",
    Code.CONTROL_CHARACTER: "Control character error, possibly incorrectly encoded",
    Code.SYNTAX_ERROR: "Syntax error",
    Code.MALFORMED_UTF8: "Malformed UTF-8 characters, possibly incorrectly encoded",
    Code.EMPTY_REQUEST: "Empty request",
    Code.TOKEN: "Missing or invalid element: token",
    Code.REQUEST: "Missing or invalid element: request",
    Code.ACTIONS: "Missing or invalid element: actions",
    Code.ACTIONID: "Missing or invalid attribute: actionid",
    Code.EMPTY_ACTIONID: "Empty attribute: actionid",
    Code.RESOURCEID: "Missing or invalid attribute: resourceid",
    Code.RESOURCETYPE: "Missing or invalid attribute: resourcetype",
    Code.PARAMETERS: "Missing or invalid element: parameters",
    Code.NOT_AUTHENTICATED: "Not authenticated",
    Code.UNKNOWN_ACTIONID: 'Missing configuration for actionId "%s"',
    Code.UNKNOWN_RESOURCETYPE: 'Missing configuration for resourceType "%s"',
    Code.EXPECTED_ARRAY: "Given element or parameter was expected to be an array",
    Code.ERROR_IN_ACTION: "Error in action",
    Code.TIMESTAMP: "Your timestamp is too old or your server time is wrong.",
    Code.HMAC: "The HMAC is invalid.",
    Code.UNKNOWN_FIELD: "Unknown field: %s",
    Code.UNKNOWN_OPERATOR: "Unknown operator: %s",
    Code.NO_READ_PERMISSION: "No read permission for this user",
    Code.UNKNOWN_SORT_FIELD: "Unknown sort field.",
    Code.EXPECTED_STRING: "Given element or parameter was expected to be a string: %s",
    Code.EXPECTED_INTEGER: "Given element or parameter was expected to be an integer: %s",
    Code.ACTION: "Missing or invalid element: action",
    Code.INVALID_PARAMETER: 'Invalid value for parameter "%s"',
    Code.INVALID_FILTER: "An error occurred while validating the filter: %s",
}


class OnOfficeError(Exception):
    def __init__(self, code: Code, *details: str) -> None:
        self.code = code
        self.message = MESSAGES[code] % details if details else MESSAGES[code]
        super().__init__(self.message)

    @property
    def status_code(self) -> int:
        """The top-level `status.code`: 400 "not authenticated", else 500 "server error"."""
        return 400 if self.code is Code.NOT_AUTHENTICATED else 500
