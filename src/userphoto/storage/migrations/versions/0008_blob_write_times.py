"""when each database blob was last written

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22 17:50:00

`userphoto fsck` leaves unreferenced blobs younger than its grace period alone: they may
belong to an upload that has stored its bytes but not yet committed its photo. Rows from
before this revision have no time and count as old.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("blobs", sa.Column("written_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("blobs") as batch:
        batch.drop_column("written_at")
