"""The common reads use an index on PostgreSQL (checked with EXPLAIN, not assumed)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from userphoto.core.services import Services

READS = {
    "user by e-mail": "SELECT * FROM users WHERE lower(email) = lower('u5@example.org')",
    "user by user name": "SELECT * FROM users WHERE lower(username) = 'user5'",
    "user by messenger id": "SELECT * FROM users WHERE messenger_uid = 1005",
    "user by address": "SELECT * FROM users WHERE address_id = 5",
    "avatar hash": "SELECT * FROM users WHERE email_md5 = 'abc'",
    "current photo": "SELECT * FROM photos WHERE owner_kind = 'user' AND owner_id = 5"
    " AND is_current",
    "renditions": "SELECT * FROM photo_renditions WHERE photo_id = 5",
    "api key": "SELECT * FROM api_keys WHERE key_hash = 'abc'",
}


# EXPLAIN plans are checked on PostgreSQL, the store that scales.
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
@pytest.mark.parametrize("read", sorted(READS))
def test_common_reads_use_an_index(services: Services, read: str) -> None:
    engine = services.store.engine  # type: ignore[attr-defined]
    for n in range(1, 20):
        services.directory.save_user(
            {
                "number": n,
                "email": f"u{n}@example.org",
                "username": f"user{n}",
                "messenger_uid": 1000 + n,
                "address_id": n,
            }
        )
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(conn.execute(text("EXPLAIN " + READS[read])).scalars())
    assert "Index" in plan, plan
