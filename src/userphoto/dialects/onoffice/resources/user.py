"""Resource `user` (protocol notes §7): the requested fields of user records."""

from __future__ import annotations

from typing import Any

from userphoto.config import Settings
from userphoto.core.model import User
from userphoto.core.services import Services
from userphoto.dialects.onoffice.envelope import record
from userphoto.dialects.onoffice.errors import Code, OnOfficeError
from userphoto.dialects.onoffice.fields import WIRE_TO_CORE
from userphoto.dialects.onoffice.listing import filter_conditions, record_condition, user_query
from userphoto.dialects.onoffice.resources import Listing
from userphoto.dialects.onoffice.wire import Action


def read_user(services: Services, settings: Settings, action: Action) -> Listing:
    names = requested_fields(action.parameters.get("data"))
    # With a resourceid the filter is ignored, as the docs say for estates (§6).
    conditions = (
        filter_conditions(action.parameters.get("filter"))
        if action.is_list_read
        else [record_condition(action.resourceid)]
    )
    page = services.directory.find_users(user_query(action.parameters, conditions))
    return Listing([record(u.number, _elements(u, names)) for u in page.items], page.total)


def requested_fields(value: Any) -> list[str]:
    """The known names of `data`, in request order; unknown ones are dropped, not refused."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise OnOfficeError(Code.EXPECTED_ARRAY)
    if not all(isinstance(name, str) for name in value):
        raise OnOfficeError(Code.EXPECTED_STRING, "data")
    return [name for name in dict.fromkeys(value) if name in WIRE_TO_CORE]


def _elements(user: User, names: list[str]) -> dict[str, Any]:
    return {name: getattr(user, WIRE_TO_CORE[name]) for name in names}
