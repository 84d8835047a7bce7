"""Who may read and change whose record and photo, on top of the core's Principal rules.

A credential whose scopes do not cover the request is refused the way DocSpace's scope
filter does (403, empty body); a caller with the scope but not the right gets the
"Access denied" envelope. Reading someone else also follows the view rule setting.
"""

from __future__ import annotations

from userphoto.core.model import Principal, Scope, User
from userphoto.dialects.docspace.errors import NoBody, denied

VIEW_RULES = frozenset({"everyone", "admins"})


class Access:
    def __init__(self, view_rule: str) -> None:
        if view_rule not in VIEW_RULES:
            raise ValueError(f"docspace_view_rule must be one of {sorted(VIEW_RULES)}")
        self._admins_only = view_rule == "admins"

    def check_view(self, principal: Principal, user: User) -> None:
        if not principal.may_read(user):
            raise NoBody(403)
        if user.number != principal.user.number and not self._may_view_others(principal):
            raise denied()

    def check_list(self, principal: Principal) -> None:
        if not principal.has_scope(Scope.PEOPLE_READ, Scope.PEOPLE_WRITE):
            raise NoBody(403)
        if not self._may_view_others(principal):
            raise denied()

    @staticmethod
    def check_edit(principal: Principal, user: User) -> None:
        if principal.may_edit(user):
            return
        if user.number == principal.user.number or not principal.has_scope(Scope.PEOPLE_WRITE):
            raise NoBody(403)
        raise denied()

    def _may_view_others(self, principal: Principal) -> bool:
        return principal.user.is_admin or not self._admins_only
