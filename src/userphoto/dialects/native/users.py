"""Users and address records: list, search, read, create, change, delete."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from userphoto.core.errors import Conflict
from userphoto.core.model import Address, Principal, Scope, User
from userphoto.core.query import NAME_FIELDS, Condition, Operator, SortKey, UserQuery, contains_any
from userphoto.core.services import Services
from userphoto.dialects.native.api import Call, Reply, schemas
from userphoto.dialects.native.problems import Problem

if TYPE_CHECKING:
    from userphoto.dialects.native.schemas import AddressOut

_PEOPLE_READ = (Scope.PEOPLE_READ, Scope.PEOPLE_WRITE)
BY_NUMBER = (SortKey("number"),)
DEFAULT_LIMIT = 20


def user_out(user: User) -> Any:
    shown = {k: v for k, v in asdict(user).items() if k != "password_hash"}
    return schemas().UserOut.model_validate({**shown, "uuid": str(user.uuid)})


def check_readable(principal: Principal, user: User) -> None:
    if not principal.may_read(user):
        raise Problem(403, "forbidden", "this key may not read that user")


def check_editable(principal: Principal, user: User) -> None:
    if not principal.may_edit(user):
        raise Problem(403, "forbidden", "this key may not change that user")


def check_people_read(principal: Principal, doing: str) -> None:
    if not principal.has_scope(*_PEOPLE_READ):
        raise Problem(403, "forbidden", f"{doing} needs the people:read scope")


class Users:
    def __init__(self, services: Services) -> None:
        self._services = services

    def listing(self, call: Call) -> Reply:
        """By number; `q` keeps the users with it in a name, the e-mail or the user name."""
        check_people_read(call.principal, "listing users")
        text = call.params.get("q", "").strip()
        conditions = (contains_any(NAME_FIELDS, text),) if text else ()
        limit, offset = _paging(call)
        page = self._services.directory.find_users(UserQuery(conditions, BY_NUMBER, limit, offset))
        return Reply(
            200, schemas().UserPage(items=[user_out(u) for u in page.items], total=page.total)
        )

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


class Addresses:
    def __init__(self, services: Services) -> None:
        self._services = services

    def listing(self, call: Call) -> Reply:
        check_people_read(call.principal, "listing addresses")
        page = self._services.directory.addresses(call.params.get("q", ""), *_paging(call))
        return Reply(
            200,
            schemas().AddressPage(items=[_address_out(a) for a in page.items], total=page.total),
        )

    def get(self, call: Call) -> Reply:
        check_people_read(call.principal, "reading addresses")
        return Reply(200, _address_out(self._services.directory.address(call.params["id"])))

    def put(self, call: Call) -> Reply:
        values = call.body.model_dump(exclude_unset=True)
        saved = self._services.directory.save_address({**values, "id": call.params["id"]})
        return Reply(200, _address_out(saved))

    def delete(self, call: Call) -> Reply:
        self._services.directory.delete_address(call.params["id"])
        return Reply(204)


def _paging(call: Call) -> tuple[int, int]:
    return call.params.get("limit", DEFAULT_LIMIT), call.params.get("offset", 0)


def _address_out(address: Address) -> AddressOut:
    return schemas().AddressOut.model_validate(asdict(address))
