"""Users and address records on SQLAlchemy Core."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Engine, String, cast, delete, false, func, or_, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import RowMapping

from userphoto.core.errors import UnknownField
from userphoto.core.model import USER_QUERY_FIELDS, Address, User, email_hashes
from userphoto.core.query import (
    ADDRESS_SEARCH_FIELDS,
    AnyOf,
    Clause,
    Condition,
    Operator,
    Page,
    UserQuery,
)
from userphoto.storage.schema import addresses, users

_DERIVED_COLUMNS = frozenset({"email_md5", "email_sha256"})


def insert_for(engine: Engine) -> Any:
    if engine.dialect.name == "postgresql":
        # Imported here, so a SQLite worker never maps the PostgreSQL dialect (about 2 MB).
        from sqlalchemy.dialects import postgresql

        return postgresql.insert
    return sqlite.insert


class CaseInsensitive:
    """Pattern matching that ignores case on either database.

    SQLite's own LIKE ignores ASCII case, exactly as the lower() on both sides that ILIKE
    compiles to there, without computing lower() of every row: a search of four columns is
    three times faster. PostgreSQL's LIKE respects case, so it gets ILIKE.
    """

    def __init__(self, engine: Engine) -> None:
        self._native = engine.dialect.name == "sqlite"

    def like(self, text: ColumnElement[str], pattern: str) -> ColumnElement[bool]:
        return text.like(pattern) if self._native else text.ilike(pattern)

    def not_like(self, text: ColumnElement[str], pattern: str) -> ColumnElement[bool]:
        return text.not_like(pattern) if self._native else text.not_ilike(pattern)

    def contains(self, text: ColumnElement[str], part: str) -> ColumnElement[bool]:
        """`part` anywhere in `text`, its `%` and `_` taken literally."""
        if self._native:
            return text.contains(part, autoescape=True)
        return text.icontains(part, autoescape=True)


class SqlUserStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._insert = insert_for(engine)
        self._case = CaseInsensitive(engine)

    def get(self, number: int) -> User | None:
        return self._one(users.c.number == number)

    def by_email(self, email: str) -> User | None:
        return self._one(func.lower(users.c.email) == email.lower())

    def by_uuid(self, uuid: str) -> User | None:
        return self._one(users.c.uuid == uuid)

    def by_email_hash(self, digest: str) -> User | None:
        """By the MD5 (32 hex) or SHA-256 (64 hex) of the normalised e-mail address."""
        column = users.c.email_md5 if len(digest) == 32 else users.c.email_sha256
        return self._one(column == digest.lower())

    def by_username(self, username: str) -> User | None:
        return self._one(func.lower(users.c.username) == username.lower())

    def query(self, query: UserQuery) -> Page[User]:
        where = [_clause(c, self._case) for c in query.conditions]
        order = [_column(k.field).desc() if k.descending else _column(k.field) for k in query.sort]
        stmt = (
            select(users)
            .where(*where)
            .order_by(*order, users.c.number)
            .limit(query.limit)
            .offset(query.offset)
        )
        count = select(func.count()).select_from(users).where(*where)
        with self._engine.connect() as conn:
            items = [_user(row) for row in conn.execute(stmt).mappings()]
            total = conn.execute(count).scalar_one()
        return Page(items, total)

    def next_number(self) -> int:
        with self._engine.connect() as conn:
            return (conn.execute(select(func.max(users.c.number))).scalar() or 0) + 1

    def upsert(self, user: User) -> None:
        row = {**asdict(user), "uuid": str(user.uuid), **email_hashes(user.email)}
        stmt = self._insert(users).values(row)
        stmt = stmt.on_conflict_do_update(
            index_elements=[users.c.number],
            set_={k: stmt.excluded[k] for k in row if k != "number"},
        )
        with self._engine.begin() as conn:
            conn.execute(stmt)

    def delete(self, number: int) -> bool:
        with self._engine.begin() as conn:
            return conn.execute(delete(users).where(users.c.number == number)).rowcount > 0

    def _one(self, where: ColumnElement[bool]) -> User | None:
        with self._engine.connect() as conn:
            row = conn.execute(select(users).where(where).limit(1)).mappings().first()
        return _user(row) if row else None


class SqlAddressStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._insert = insert_for(engine)
        self._case = CaseInsensitive(engine)

    def get(self, address_id: int) -> Address | None:
        with self._engine.connect() as conn:
            row = conn.execute(select(addresses).where(addresses.c.id == address_id)).mappings()
            found = row.first()
        return Address(**found) if found else None

    def list(self, search: str, limit: int, offset: int) -> Page[Address]:
        where = _address_search(search, self._case)
        stmt = select(addresses).where(*where).order_by(addresses.c.id).limit(limit).offset(offset)
        count = select(func.count()).select_from(addresses).where(*where)
        with self._engine.connect() as conn:
            items = [Address(**row) for row in conn.execute(stmt).mappings()]
            total = conn.execute(count).scalar_one()
        return Page(items, total)

    def upsert(self, address: Address) -> None:
        row = asdict(address)
        stmt = self._insert(addresses).values(row)
        stmt = stmt.on_conflict_do_update(
            index_elements=[addresses.c.id], set_={k: stmt.excluded[k] for k in row if k != "id"}
        )
        with self._engine.begin() as conn:
            conn.execute(stmt)

    def delete(self, address_id: int) -> bool:
        with self._engine.begin() as conn:
            result = conn.execute(delete(addresses).where(addresses.c.id == address_id))
            return result.rowcount > 0


def _user(row: RowMapping) -> User:
    values = {k: v for k, v in row.items() if k not in _DERIVED_COLUMNS}
    return User(**{**values, "uuid": UUID(values["uuid"])})


def _column(name: str) -> Any:
    # The whitelist check happens in the core too; repeating it here keeps SQL safe on its own.
    if name not in USER_QUERY_FIELDS:
        raise UnknownField(name)
    return users.c[name]


def _address_search(text: str, case: CaseInsensitive) -> list[ColumnElement[bool]]:
    if not text:
        return []
    return [or_(*(case.contains(addresses.c[name], text) for name in ADDRESS_SEARCH_FIELDS))]


def _clause(clause: Clause, case: CaseInsensitive) -> ColumnElement[bool]:
    if isinstance(clause, AnyOf):
        # `false()` makes an empty group match nothing; SQLAlchemy drops it beside others.
        return or_(false(), *(_clause(c, case) for c in clause.conditions))
    return _condition(clause, case)


def _condition(cond: Condition, case: CaseInsensitive) -> ColumnElement[bool]:
    col = _column(cond.field)
    value = cond.value
    match cond.op:
        case Operator.EQ:
            return col.is_(None) if value is None else col == value
        case Operator.NE:
            return col.is_not(None) if value is None else col != value
        case Operator.GT:
            return col > value
        case Operator.LT:
            return col < value
        case Operator.GE:
            return col >= value
        case Operator.LE:
            return col <= value
        case Operator.BETWEEN:
            return col.between(value[0], value[1])
        case Operator.IN:
            return col.in_(value)
        case Operator.NOT_IN:
            return col.not_in(value)
        case Operator.LIKE:
            return case.like(cast(col, String), value)
        case Operator.NOT_LIKE:
            return case.not_like(cast(col, String), value)
    raise UnknownField(cond.op.value)
