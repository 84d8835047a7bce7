"""People records (protocol notes §5): EmployeeFullDto for one user, by id, e-mail or self,
and the paged list of active users, their avatar fields taken from the same photo."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from userphoto.config import Settings
from userphoto.core.model import Photo, User
from userphoto.core.query import Condition, Operator, SortKey, UserQuery
from userphoto.core.services import Services
from userphoto.dialects.docspace.access import Access
from userphoto.dialects.docspace.avatars import AvatarUrls
from userphoto.dialects.docspace.endpoint import Call
from userphoto.dialects.docspace.envelope import Reply
from userphoto.dialects.docspace.errors import DocSpaceError, ValidationFailed

MAX_COUNT = 100  # ApiContext.MaxCount; the SDK checks 1..100 too
_ACTIVE, _TERMINATED = 1, 2
_ACTIVATED = 1


class PeopleEndpoints:
    def __init__(self, services: Services, settings: Settings, access: Access) -> None:
        self._services = services
        self._access = access
        self._public_url = settings.public_url.rstrip("/")
        self._avatars = AvatarUrls(services, settings)

    def me(self, call: Call) -> Reply:
        user = call.principal.user
        self._access.check_view(call.principal, user)
        record = self._record(user, self._services.photos.effective_photo(user))
        return Reply({**record, "theme": "System", "hasPersonalFolder": False})

    def by_id(self, call: Call) -> Reply:
        user = self._services.directory.resolve_user(call.request.path_params["userid"])
        return self._viewed(call, user)

    def by_email(self, call: Call) -> Reply:
        email = call.request.query_params.get("email", "").strip()
        if not email:
            raise DocSpaceError(400, "Value cannot be null. (Parameter 'email')")
        if "@" not in email or len(email) > 255:
            raise ValidationFailed.of("email", "The email field is not a valid e-mail address.")
        user = self._services.directory.resolve_user(email)
        return self._viewed(call, user)

    def list(self, call: Call) -> Reply:
        self._access.check_list(call.principal)
        count = _query_int(call, "count", MAX_COUNT, 1, MAX_COUNT)
        start = _query_int(call, "startIndex", 0, 0, 2**31 - 1)
        query = UserQuery(
            conditions=(Condition("status", Operator.EQ, "active"),),
            sort=(SortKey("number"),),
            limit=count,
            offset=start,
        )
        page = self._services.directory.find_users(query)
        photos = self._services.photos.effective_photos(page.items)
        records = [self._record(u, photos[u.number]) for u in page.items]
        return Reply(records, count=len(records), total=page.total)

    def _viewed(self, call: Call, user: User) -> Reply:
        self._access.check_view(call.principal, user)
        return Reply(self._record(user, self._services.photos.effective_photo(user)))

    def _record(self, user: User, photo: Photo | None) -> dict[str, Any]:
        urls = self._avatars.of(user, photo)
        # Derived EmployeeFullDto fields first, then the EmployeeDto ones, as DocSpace does.
        return {
            "firstName": user.first_name,
            "lastName": user.last_name,
            "userName": user.username,
            "email": user.email,
            "contacts": _contacts(user) or None,
            "status": _ACTIVE if user.status == "active" else _TERMINATED,
            "activationStatus": _ACTIVATED,
            "department": "",
            "location": user.city or None,
            "isAdmin": user.is_admin,
            "isRoomAdmin": False,
            "isLDAP": False,
            "isOwner": False,
            "isVisitor": False,
            "isCollaborator": False,
            "cultureName": user.language or None,
            "mobilePhone": user.mobile or None,
            "mobilePhoneActivationStatus": 0,
            "isSSO": False,
            "registrationDate": _api_date(user.created_on),
            "id": str(user.uuid),
            "displayName": user.display_name,
            "avatar": urls.urls["big"],
            "avatarOriginal": urls.urls["original"],
            "avatarMax": urls.urls["max"],
            "avatarMedium": urls.urls["medium"],
            "avatarSmall": urls.urls["small"],
            "profileUrl": self._profile_url(user),
            "hasAvatar": urls.has_avatar,
            "isAnonim": False,
        }

    def _profile_url(self, user: User) -> str:
        search = quote((user.email or user.username).lower(), safe="")
        return f"{self._public_url}/accounts/people/filter?search={search}"


def _contacts(user: User) -> list[dict[str, str]]:
    pairs = (("phone", user.phone), ("fax", user.fax), ("url", user.url))
    return [{"type": kind, "value": value} for kind, value in pairs if value]


def _api_date(text: str) -> str | None:
    """DocSpace's ApiDateTime text (`2025-03-06T11:30:43.0000000+00:00`), or None."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (
        moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond * 10:07d}" + _offset(moment)
    )


def _offset(moment: datetime) -> str:
    text = moment.strftime("%z")
    return f"{text[:3]}:{text[3:]}"


def _query_int(call: Call, name: str, default: int, low: int, high: int) -> int:
    raw = call.request.query_params.get(name)
    if raw is None or raw == "":
        return default
    raw = raw.strip()
    # ASCII only and short: int() takes "²" for a digit but cannot convert it, and raises
    # past 4300 digits; the bounds here all have at most 10.
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 10) or not low <= int(raw) <= high:
        raise ValidationFailed.of(name, f"The value must be a whole number from {low} to {high}.")
    return int(raw)
