"""Users and address records: list, search, read, create, change, delete."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from userphoto.core.errors import Conflict
from userphoto.core.model import Address, Principal, Scope, User
from userphoto.core.query import MAX_LIMIT, Condition, Operator, SortKey, UserQuery
from userphoto.core.services import Services
from userphoto.dialects.native.api import Call, Reply
from userphoto.dialects.native.problems import Problem
from userphoto.dialects.native.schemas import AddressOut, UserOut, UserPage

SEARCHED_FIELDS = ("first_name", "last_name", "email", "username")
_PEOPLE_READ = (Scope.PEOPLE_READ, Scope.PEOPLE_WRITE)


def user_out(user: User) -> Any:
    shown = {k: v for k, v in asdict(user).items() if k != "password_hash"}
    return UserOut.model_validate({**shown, "uuid": str(user.uuid)})


def check_readable(principal: Principal, user: User) -> None:
    if not principal.may_read(user):
        raise Problem(403, "forbidden", "this key may not read that user")


def check_editable(principal: Principal, user: User) -> None:
    if not principal.may_edit(user):
        raise Problem(403, "forbidden", "this key may not change that user")


class Users:
    def __init__(self, services: Services) -> None:
        self._services = services

    def listing(self, call: Call) -> Reply:
        if not call.principal.has_scope(*_PEOPLE_READ):
            raise Problem(403, "forbidden", "listing users needs the people:read scope")
        limit, offset = call.params.get("limit", 20), call.params.get("offset", 0)
        query = call.params.get("q", "").strip()
        users, total = self._search(query, limit, offset) if query else self._page(limit, offset)
        return Reply(200, UserPage(items=[user_out(u) for u in users], total=total))

    def get(self, call: Call) -> Reply:
        user = self._services.directory.user(call.params["number"])
        check_readable(call.principal, user)
        return Reply(200, user_out(user))

    def create(self, call: Call) -> Reply:
        values = call.body.model_dump(exclude_unset=True)
        number = values.get("number")
        if number is not None and self._exists(number):
            raise Conflict(f"user {number} exists already")
        password = values.pop("password", None)
        return Reply(201, user_out(self._services.directory.save_user(values, password)))

    def update(self, call: Call) -> Reply:
        user = self._services.directory.user(call.params["number"])
        values = call.body.model_dump(exclude_unset=True)
        password = values.pop("password", None)
        saved = self._services.directory.save_user({**values, "number": user.number}, password)
        return Reply(200, user_out(saved))

    def delete(self, call: Call) -> Reply:
        self._services.directory.delete_user(call.params["number"])
        return Reply(204)

    def _exists(self, number: int) -> bool:
        query = UserQuery((Condition("number", Operator.EQ, number),), limit=1)
        return self._services.directory.find_users(query).total > 0

    def _page(self, limit: int, offset: int) -> tuple[list[User], int]:
        page = self._services.directory.find_users(
            UserQuery(sort=(SortKey("number"),), limit=limit, offset=offset)
        )
        return page.items, page.total

    def _search(self, text: str, limit: int, offset: int) -> tuple[list[User], int]:
        """Users whose name, e-mail or user name contains `text`, by number.

        Conditions of a UserQuery are ANDed, so each field is searched on its own and the
        matches merged; each field contributes at most MAX_LIMIT matches.
        """
        pattern = "%" + text.replace("%", "").replace("_", "") + "%"
        found: dict[int, User] = {}
        for name in SEARCHED_FIELDS:
            query = UserQuery((Condition(name, Operator.LIKE, pattern),), limit=MAX_LIMIT)
            found.update((u.number, u) for u in self._services.directory.find_users(query).items)
        ordered = [found[n] for n in sorted(found)]
        return ordered[offset : offset + limit], len(ordered)


class Addresses:
    def __init__(self, services: Services) -> None:
        self._services = services

    def get(self, call: Call) -> Reply:
        if not call.principal.has_scope(*_PEOPLE_READ):
            raise Problem(403, "forbidden", "reading addresses needs the people:read scope")
        return Reply(200, _address_out(self._services.directory.address(call.params["id"])))

    def put(self, call: Call) -> Reply:
        values = call.body.model_dump(exclude_unset=True)
        saved = self._services.directory.save_address({**values, "id": call.params["id"]})
        return Reply(200, _address_out(saved))

    def delete(self, call: Call) -> Reply:
        address = self._services.directory.address(call.params["id"])
        self._services.store.addresses.delete(address.id)
        return Reply(204)


def _address_out(address: Address) -> AddressOut:
    return AddressOut.model_validate(asdict(address))
