"""Resource `userphoto` (protocol notes §8): each user's photo as base64 JPEG or link."""

from __future__ import annotations

import base64
from typing import Any

from userphoto.config import Settings
from userphoto.core.model import Photo, User
from userphoto.core.query import Condition
from userphoto.core.services import Services
from userphoto.dialects.onoffice.envelope import record
from userphoto.dialects.onoffice.errors import Code, OnOfficeError
from userphoto.dialects.onoffice.listing import (
    filter_conditions,
    ids_condition,
    record_condition,
    user_query,
)
from userphoto.dialects.onoffice.photolinks import handed_out_link
from userphoto.dialects.onoffice.resources import Listing
from userphoto.dialects.onoffice.wire import Action


def read_userphoto(services: Services, settings: Settings, action: Action) -> Listing:
    parameters = action.parameters
    as_links = _flag(parameters, "photosAsLinks")
    messenger_uids = _messenger_uids(parameters)
    page = services.directory.find_users(user_query(parameters, _conditions(action)))
    photos = services.photos.effective_photos(page.items)
    records = []
    for user in page.items:
        photo = _photo_value(services, settings, user, photos[user.number], as_links)
        elements: dict[str, Any] = {"photo": photo}
        if messenger_uids is not None:
            elements["messengerUId"] = user.messenger_uid
        records.append(record(user.number, elements))
    # Every documented userphoto response carries a null count, whatever was asked.
    # Signed links carry an expiry, so a list of them is an answer for now only.
    return Listing(records, None, lasting=not (as_links and settings.signed_photo_links))


def _messenger_uids(parameters: dict[str, Any]) -> list[Any] | None:
    uids = parameters.get("messengerUIds")
    if uids is not None and not isinstance(uids, list):
        raise OnOfficeError(Code.EXPECTED_ARRAY)
    return uids


def _conditions(action: Action) -> list[Condition]:
    if not action.is_list_read:
        return [record_condition(action.resourceid)]
    uids = _messenger_uids(action.parameters)
    if uids is None:
        return filter_conditions(action.parameters.get("filter"))
    # Messenger ids replace the filter; an empty list still lists every user with its id.
    return [ids_condition("messenger_uid", uids, "messengerUIds")] if uids else []


def _photo_value(
    services: Services, settings: Settings, user: User, photo: Photo | None, as_links: bool
) -> str | None:
    if photo is None:
        return None
    if as_links:
        return handed_out_link(services, settings, user.number)
    data = services.photos.read(photo.rendition(settings.onoffice_photo_size))
    return base64.b64encode(data).decode("ascii")


def _flag(parameters: dict[str, Any], name: str) -> bool:
    value = parameters.get(name)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise OnOfficeError(Code.INVALID_PARAMETER, name)
    return value
