"""`api.php`: one request, its actions answered one result each, in order (§2.4)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from userphoto.config import Settings
from userphoto.core.errors import InvalidQuery, StoreUnavailable
from userphoto.core.model import ApiUser
from userphoto.core.services import Services
from userphoto.dialects.onoffice import envelope
from userphoto.dialects.onoffice.access import check_read
from userphoto.dialects.onoffice.errors import Code, OnOfficeError
from userphoto.dialects.onoffice.listing import from_core
from userphoto.dialects.onoffice.readcache import ReadCache
from userphoto.dialects.onoffice.resources import Reader
from userphoto.dialects.onoffice.resources.user import read_user
from userphoto.dialects.onoffice.resources.userphoto import read_userphoto
from userphoto.dialects.onoffice.signatures import signature_valid, timestamp_fresh
from userphoto.dialects.onoffice.wire import READ, Action, ApiRequest, parse_request

log = logging.getLogger("userphoto.onoffice")

READERS: dict[str, Reader] = {"user": read_user, "userphoto": read_userphoto}
# A read's encoded data, or None when it is not at hand (in memory, for `answer_from_memory`).
DataSource = Callable[[Action, Reader], bytes | None]


class ApiEndpoint:
    def __init__(self, services: Services, settings: Settings, clock: Callable[[], float]) -> None:
        self._services = services
        self._settings = settings
        self._clock = clock
        self._reads = ReadCache.of(services)

    def answer(self, body: bytes) -> bytes:
        """The whole response body. It may wait for the store: run it in a worker thread."""
        try:
            request = parse_request(body)
            api_user = self._services.api_users.by_token(request.token)
            if api_user is None:
                raise OnOfficeError(Code.NOT_AUTHENTICATED)
        except OnOfficeError as error:
            return envelope.request_failure(error)
        # Spent per request, not per action: a budget counts what reaches the server.
        self._services.auth.limits.check_api_user(api_user.id)
        results = self._results(request, api_user, self._read)
        assert results is not None  # `_read` always has the data
        return envelope.response(results)

    def answer_from_memory(self, body: bytes) -> bytes | None:
        """What `answer` answers, when all it needs is in memory: the API user and the data
        of every read. It never waits, so it needs no worker thread. None, with nothing
        spent, when something is missing: `answer` then finds it."""
        try:
            request = parse_request(body)
        except OnOfficeError as error:
            return envelope.request_failure(error)
        api_user = self._services.api_users.remembered(request.token)
        if api_user is None:
            return None
        results = self._results(request, api_user, self._kept)
        if results is None:
            return None
        self._services.auth.limits.check_api_user(api_user.id)
        return envelope.response(results)

    def _results(
        self, request: ApiRequest, api_user: ApiUser, data: DataSource
    ) -> list[envelope.Result] | None:
        """One result per action; None as soon as `data` has none for a read."""
        now = self._clock()
        results = []
        for action in request.actions:
            result = self._result(action, request.token, api_user, now, data)
            if result is None:
                return None
            results.append(result)
        return results

    def _result(
        self, action: Action, token: str, api_user: ApiUser, now: float, data: DataSource
    ) -> envelope.Result | None:
        try:
            self._authenticate(action, token, api_user, now)
            reader = _reader(action)
            # Before the data: a kept answer goes only to whom the read is allowed.
            check_read(api_user, action)
            encoded = data(action, reader)
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
        return None if encoded is None else envelope.success(action, encoded)

    def _read(self, action: Action, reader: Reader) -> bytes:
        return self._reads.data(action, lambda: reader(self._services, self._settings, action))

    def _kept(self, action: Action, _: Reader) -> bytes | None:
        return self._reads.kept(action)

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
