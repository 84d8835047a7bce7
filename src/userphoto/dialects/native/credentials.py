"""onOffice API users and personal API keys: create (secret shown once), list, revoke."""

from __future__ import annotations

from typing import TYPE_CHECKING

from userphoto.core.model import ApiKey, ApiUser, PhotoOwner
from userphoto.core.services import Services
from userphoto.dialects.native.api import Call, Reply, schemas

if TYPE_CHECKING:
    from userphoto.dialects.native.schemas import ApiKeyOut, ApiUserOut


class Credentials:
    def __init__(self, services: Services) -> None:
        self._services = services

    def api_users(self, _: Call) -> Reply:
        items = [_api_user_out(u) for u in self._services.api_users.list()]
        return Reply(200, schemas().ApiUserList(items=items))

    def create_api_user(self, call: Call) -> Reply:
        body = call.body
        created = self._services.api_users.create(body.name, body.user_number, body.rights)
        shown = _api_user_out(created.api_user).model_dump()
        return Reply(
            201, schemas().ApiUserCreated(**shown, token=created.token, secret=created.secret)
        )

    def revoke_api_user(self, call: Call) -> Reply:
        self._services.api_users.revoke(call.params["id"])
        return Reply(204)

    def api_keys(self, call: Call) -> Reply:
        keys = self._services.auth.keys(call.params.get("user"))
        return Reply(200, schemas().ApiKeyList(items=[_api_key_out(k) for k in keys]))

    def create_api_key(self, call: Call) -> Reply:
        body = call.body
        key, secret = self._services.auth.create_key(body.user_number, body.name, body.scopes)
        return Reply(201, schemas().ApiKeyCreated(**_api_key_out(key).model_dump(), key=secret))

    def revoke_api_key(self, call: Call) -> Reply:
        self._services.auth.revoke_key(call.params["id"])
        return Reply(204)

    def audit(self, call: Call) -> Reply:
        number = call.params.get("user")
        owner = PhotoOwner.user(number) if number is not None else None
        limit, offset = call.params.get("limit", 50), call.params.get("offset", 0)
        page = self._services.audit.trail(owner, limit, offset)
        models = schemas()
        items = [
            models.AuditEntryOut(
                id=e.id,
                at=e.at,
                actor=models.ActorOut(kind=e.actor.kind, id=e.actor.id, channel=e.actor.channel),
                action=e.action,
                owner_kind=e.owner.kind.value,
                owner_id=e.owner.id,
                old_hash=e.old_hash,
                new_hash=e.new_hash,
            )
            for e in page.items
        ]
        return Reply(200, models.AuditPage(items=items, total=page.total))


def _api_user_out(api_user: ApiUser) -> ApiUserOut:
    return schemas().ApiUserOut(
        id=api_user.id,
        name=api_user.name,
        user_number=api_user.user_number,
        rights=sorted(api_user.rights),
        created_at=api_user.created_at,
    )


def _api_key_out(key: ApiKey) -> ApiKeyOut:
    return schemas().ApiKeyOut(
        id=key.id,
        name=key.name,
        user_number=key.user_number,
        scopes=sorted(key.scopes),
        created_at=key.created_at,
    )
