"""Personal API keys and login sessions, both found by the hash of their secret."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.engine import RowMapping

from userphoto.core.model import ApiKey, Scope
from userphoto.storage.schema import api_keys, sessions


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything is stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class SqlApiKeyStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def add(self, key: ApiKey) -> ApiKey:
        values = {
            "name": key.name,
            "key_hash": key.key_hash,
            "user_number": key.user_number,
            "scopes": ",".join(sorted(key.scopes)),
            "created_at": key.created_at,
        }
        with self._engine.begin() as conn:
            new_id = conn.execute(insert(api_keys).values(values)).inserted_primary_key[0]
        return ApiKey(new_id, key.name, key.key_hash, key.user_number, key.scopes, key.created_at)

    def by_hash(self, key_hash: str) -> ApiKey | None:
        stmt = select(api_keys).where(api_keys.c.key_hash == key_hash, _live())
        with self._engine.connect() as conn:
            row = conn.execute(stmt).mappings().first()
        return _api_key(row) if row else None

    def list(self, user_number: int | None = None) -> list[ApiKey]:
        stmt = select(api_keys).where(_live()).order_by(api_keys.c.id)
        if user_number is not None:
            stmt = stmt.where(api_keys.c.user_number == user_number)
        with self._engine.connect() as conn:
            return [_api_key(row) for row in conn.execute(stmt).mappings()]

    def revoke(self, key_id: int) -> bool:
        stmt = (
            update(api_keys)
            .where(api_keys.c.id == key_id, _live())
            .values(revoked_at=datetime.now(UTC))
        )
        with self._engine.begin() as conn:
            return conn.execute(stmt).rowcount > 0


class SqlSessionStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def add(self, token_hash: str, user_number: int, expires_at: datetime) -> None:
        now = datetime.now(UTC)
        with self._engine.begin() as conn:
            conn.execute(delete(sessions).where(sessions.c.expires_at < now))
            conn.execute(
                insert(sessions).values(
                    token_hash=token_hash, user_number=user_number, expires_at=expires_at
                )
            )

    def get(self, token_hash: str) -> tuple[int, datetime] | None:
        stmt = select(sessions).where(sessions.c.token_hash == token_hash)
        with self._engine.connect() as conn:
            row = conn.execute(stmt).mappings().first()
        return (row["user_number"], as_utc(row["expires_at"])) if row else None

    def delete(self, token_hash: str) -> None:
        with self._engine.begin() as conn:
            conn.execute(delete(sessions).where(sessions.c.token_hash == token_hash))


def _live():
    return api_keys.c.revoked_at.is_(None)


def _api_key(row: RowMapping) -> ApiKey:
    scopes = frozenset(Scope(s) for s in row["scopes"].split(",") if s)
    return ApiKey(
        row["id"],
        row["name"],
        row["key_hash"],
        row["user_number"],
        scopes,
        as_utc(row["created_at"]),
    )
