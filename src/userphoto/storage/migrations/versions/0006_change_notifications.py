"""change notifications for node caches (PostgreSQL)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 15:20:00

Written by hand: triggers are outside what autogenerate compares. SQLite needs none, its
caches watch `PRAGMA data_version` instead.
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

WATCHED = ("users", "addresses", "photos")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        """
        CREATE FUNCTION userphoto_notify_change() RETURNS trigger AS $$
        BEGIN
            PERFORM pg_notify('userphoto_changes', TG_TABLE_NAME);
            RETURN NULL;
        END;
        $$ LANGUAGE plpgsql
        """
    )
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
    op.execute("DROP FUNCTION userphoto_notify_change()")
