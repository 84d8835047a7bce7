"""The URL under which each registered dialect serves a person's photo."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from userphoto.config import Settings
from userphoto.core.model import User, email_hashes
from userphoto.dialects.onoffice.photolinks import photo_link

EWS_REST_SIZE = "HR96x96"


@dataclass(frozen=True, slots=True)
class DialectLink:
    dialect: str
    label: str
    url: str


def _onoffice(settings: Settings, user: User) -> str | None:
    # A signed link expires and is handed out by the API only; the plain one is not served.
    return None if settings.signed_photo_links else photo_link(settings, user.number)


def _ews(settings: Settings, user: User) -> str | None:
    if not user.email:
        return None
    query = urlencode({"email": user.email, "size": EWS_REST_SIZE})
    return f"{_base(settings)}/EWS/Exchange.asmx/s/GetUserPhoto?{query}"


def _graph(settings: Settings, user: User) -> str | None:
    return f"{_base(settings)}/v1.0/users/{user.uuid}/photo/$value"


def _docspace(settings: Settings, user: User) -> str | None:
    return f"{_base(settings)}/api/2.0/people/{user.uuid}/photo"


def _gravatar(settings: Settings, user: User) -> str | None:
    digest = email_hashes(user.email)["email_md5"]
    return f"{_base(settings)}/avatar/{digest}" if digest else None


def _base(settings: Settings) -> str:
    return settings.public_url.rstrip("/")


BUILDERS: dict[str, tuple[str, Callable[[Settings, User], str | None]]] = {
    "onoffice": ("onOffice photo link", _onoffice),
    "ews": ("EWS REST GetUserPhoto", _ews),
    "graph": ("Microsoft Graph photo", _graph),
    "docspace": ("ONLYOFFICE DocSpace photo", _docspace),
    "gravatar": ("Gravatar / Libravatar", _gravatar),
}


def dialect_links(settings: Settings, user: User, registered: tuple[str, ...]) -> list[DialectLink]:
    """A link per registered dialect that can name this person (EWS, Gravatar need an e-mail)."""
    links = []
    for name in registered:
        if name not in BUILDERS:
            continue
        label, build = BUILDERS[name]
        url = build(settings, user)
        if url is not None:
            links.append(DialectLink(name, label, url))
    return links
