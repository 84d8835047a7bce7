"""change notifications for API keys, sessions and onOffice API users (PostgreSQL)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-22 18:50:00

Photo answers remembered per credential (web.imagecache) live until the change feed moves,
so revoking a key or ending a session on one node must move it on every node, as a change
to the directory does (0006). SQLite needs nothing: `PRAGMA data_version` moves with a
commit to any table.
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

WATCHED = ("api_keys", "sessions", "api_users")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in WATCHED:
        op.execute(
            f"CREATE TRIGGER {table}_notify_change AFTER INSERT OR UPDATE OR DELETE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION userphoto_notify_change()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in WATCHED:
        op.execute(f"DROP TRIGGER {table}_notify_change ON {table}")
