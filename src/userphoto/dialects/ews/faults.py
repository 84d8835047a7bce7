"""The EWS errors this dialect answers with, as exceptions its handlers raise.

A fault about a well-formed request (a bad address, size or permission) goes out on SOAP
with HTTP 500, as Exchange sends it: exchangelib and the EWS Managed API read a fault's
detail only from a 500. A request that is not a readable SOAP envelope at all (hostile or
broken XML, an oversized body) has no EWS conversation to keep: its fault carries the
4xx `status` that says so, and a 500 never stands for a request the server could not read.
"""

from __future__ import annotations

SCHEMA_VALIDATION = "ErrorSchemaValidation"
INVALID_REQUEST = "ErrorInvalidRequest"
INVALID_SMTP_ADDRESS = "ErrorInvalidSmtpAddress"
INVALID_PHOTO_SIZE = "ErrorInvalidPhotoSize"
INVALID_SERVER_VERSION = "ErrorInvalidServerVersion"
INVALID_ARGUMENT = "ErrorInvalidArgument"
ACCESS_DENIED = "ErrorAccessDenied"
NON_EXISTENT_MAILBOX = "ErrorNonExistentMailbox"
# Exchange's answer when it asks the client to back off and come again.
SERVER_BUSY = "ErrorServerBusy"


class EwsFault(Exception):
    def __init__(
        self, code: str, message: str, status: int | None = None, back_off_ms: int | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        # Sent as MessageXml/Value Name="BackOffMilliseconds"; exchangelib waits that long.
        self.back_off_ms = back_off_ms


def throttled(retry_after: int) -> EwsFault:
    """Exchange's throttling fault (DOCS ews-throttling-in-exchange: ErrorServerBusy)."""
    message = "The server is busy; too many requests from this caller. Try again later."
    return EwsFault(SERVER_BUSY, message, back_off_ms=retry_after * 1000)


class NoPhoto(Exception):
    """The person has no photo, or is not in the directory: HTTP 404 on both transports."""
