"""API users: token hashes, sealed secrets and rights."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.engine import RowMapping

from userphoto.core.model import ApiUser, Right
from userphoto.storage.credentials import as_utc
from userphoto.storage.schema import api_users


class SqlApiUserStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def add(self, api_user: ApiUser, encrypted_secret: bytes) -> ApiUser:
        values = {
            "name": api_user.name,
            "token_hash": api_user.token_hash,
            "secret_sealed": encrypted_secret,
            "user_number": api_user.user_number,
            "rights": ",".join(sorted(api_user.rights)),
            "created_at": api_user.created_at,
        }
        with self._engine.begin() as conn:
            new_id = conn.execute(insert(api_users).values(values)).inserted_primary_key[0]
        return ApiUser(
            new_id,
            api_user.name,
            api_user.token_hash,
            api_user.user_number,
            api_user.rights,
            api_user.created_at,
        )

    def by_token_hash(self, token_hash: str) -> tuple[ApiUser, bytes] | None:
        stmt = select(api_users).where(
            api_users.c.token_hash == token_hash, api_users.c.revoked_at.is_(None)
        )
        with self._engine.connect() as conn:
            row = conn.execute(stmt).mappings().first()
        return (_api_user(row), row["secret_sealed"]) if row else None

    def list(self) -> list[ApiUser]:
        stmt = select(api_users).where(api_users.c.revoked_at.is_(None)).order_by(api_users.c.id)
        with self._engine.connect() as conn:
            return [_api_user(row) for row in conn.execute(stmt).mappings()]

    def revoke(self, api_user_id: int) -> bool:
        stmt = (
            update(api_users)
            .where(api_users.c.id == api_user_id, api_users.c.revoked_at.is_(None))
            .values(revoked_at=datetime.now(UTC))
        )
        with self._engine.begin() as conn:
            return conn.execute(stmt).rowcount > 0


def _api_user(row: RowMapping) -> ApiUser:
    rights = frozenset(Right(r) for r in row["rights"].split(",") if r)
    return ApiUser(
        row["id"],
        row["name"],
        row["token_hash"],
        row["user_number"],
        rights,
        as_utc(row["created_at"]),
    )
