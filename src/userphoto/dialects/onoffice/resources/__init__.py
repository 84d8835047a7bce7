"""The resources this dialect serves, each a read of the user directory."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from userphoto.config import Settings
from userphoto.core.services import Services
from userphoto.dialects.onoffice.wire import Action


class Listing(NamedTuple):
    records: list[dict[str, Any]]
    total: int | None
    # Whether the answer stands until the directory changes; one naming the time does not.
    lasting: bool = True


Reader = Callable[[Services, Settings, Action], Listing]
