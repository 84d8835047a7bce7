"""`api.php`: one request, its actions answered one result each, in order (§2.4)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from userphoto.config import Settings
from userphoto.core.errors import InvalidQuery, StoreUnavailable
from userphoto.core.model import ApiUser
from userphoto.core.services import Services
from userphoto.dialects.onoffice import envelope
from userphoto.dialects.onoffice.access import check_read
from userphoto.dialects.onoffice.errors import Code, OnOfficeError
from userphoto.dialects.onoffice.listing import from_core
from userphoto.dialects.onoffice.resources import Reader
from userphoto.dialects.onoffice.resources.user import read_user
from userphoto.dialects.onoffice.resources.userphoto import read_userphoto
from userphoto.dialects.onoffice.signatures import signature_valid, timestamp_fresh
from userphoto.dialects.onoffice.wire import READ, Action, parse_request

log = logging.getLogger("userphoto.onoffice")

READERS: dict[str, Reader] = {"user": read_user, "userphoto": read_userphoto}


class ApiEndpoint:
    def __init__(self, services: Services, settings: Settings, clock: Callable[[], float]) -> None:
        self._services = services
        self._settings = settings
        self._clock = clock

    def answer(self, body: bytes) -> dict[str, Any]:
        try:
            request = parse_request(body)
            api_user = self._services.api_users.by_token(request.token)
            if api_user is None:
                raise OnOfficeError(Code.NOT_AUTHENTICATED)
        except OnOfficeError as error:
            return envelope.request_failure(error)
        # Spent per request, not per action: a budget counts what reaches the server.
        self._services.auth.limits.check_api_user(api_user.id)
        now = self._clock()
        return envelope.response(
            [self._result(action, request.token, api_user, now) for action in request.actions]
        )

    def _result(self, action: Action, token: str, api_user: ApiUser, now: float) -> dict[str, Any]:
        try:
            self._authenticate(action, token, api_user, now)
            reader = _reader(action)
            check_read(api_user, action)
            listing = reader(self._services, self._settings, action)
        except OnOfficeError as error:
            return envelope.failure(action, error)
        except InvalidQuery as error:
            return envelope.failure(action, from_core(error))
        except StoreUnavailable:
            raise  # the whole request waits for the store, see routes.api_php
        except Exception:
            # One failing action must not cost the others their results.
            log.exception("onOffice action %s on %s failed", action.actionid, action.resourcetype)
            return envelope.failure(action, OnOfficeError(Code.UNKNOWN_ERROR))
        return envelope.success(action, listing.records, listing.total)

    def _authenticate(self, action: Action, token: str, api_user: ApiUser, now: float) -> None:
        # The signature first: until it holds, the timestamp is just a claim.
        if action.timestamp is None:
            raise OnOfficeError(Code.TIMESTAMP)
        if not signature_valid(action, token, api_user.secret):
            raise OnOfficeError(Code.HMAC)
        if not timestamp_fresh(action, now, self._settings.onoffice_timestamp_window):
            raise OnOfficeError(Code.TIMESTAMP)


def _reader(action: Action) -> Reader:
    reader = READERS.get(action.resourcetype)
    # 25 names the resource without configuration; for a known resource, an action
    # other than read is the missing configuration, so 23 names the actionid.
    if reader is None:
        raise OnOfficeError(Code.UNKNOWN_RESOURCETYPE, action.resourcetype)
    if action.actionid != READ:
        raise OnOfficeError(Code.UNKNOWN_ACTIONID, action.actionid)
    return reader
