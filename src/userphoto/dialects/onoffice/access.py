"""Who may read what (protocol notes §7.1): the "read user data" right, or the own user."""

from __future__ import annotations

from userphoto.core.model import ApiUser, Right
from userphoto.dialects.onoffice.errors import Code, OnOfficeError
from userphoto.dialects.onoffice.listing import stored_id
from userphoto.dialects.onoffice.wire import Action


def check_read(api_user: ApiUser, action: Action) -> None:
    """Without the right only a read of the own user by `resourceid` passes.

    The docs state the exception for `user`; it applies to `userphoto` too, since the
    own photo is part of the own user's data and reveals nothing about anyone else.
    """
    if api_user.may(Right.READ_USER_DATA):
        return
    own = api_user.user_number
    if own is not None and not action.is_list_read and stored_id(action.resourceid) == own:
        return
    raise OnOfficeError(Code.NO_READ_PERMISSION)
