"""Honest angles: a rep's rest, extreme and range may be null (not measurable from the camera's view),
and each rep records where its joint angles came from (image, 3D world points, or why none).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ANGLE_COLUMNS = ("rom", "extreme", "start_value")


def upgrade() -> None:
    with op.batch_alter_table("reps") as batch:  # SQLite alters columns by copying the table
        for name in ANGLE_COLUMNS:
            batch.alter_column(name, existing_type=sa.Float(), nullable=True)
        batch.add_column(sa.Column("angle_source", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reps") as batch:
        batch.drop_column("angle_source")
    op.execute("UPDATE reps SET rom = 0 WHERE rom IS NULL")  # the old rule: unmeasured as 0
    op.execute("UPDATE reps SET extreme = 0 WHERE extreme IS NULL")
    op.execute("UPDATE reps SET start_value = 0 WHERE start_value IS NULL")
    with op.batch_alter_table("reps") as batch:
        for name in ANGLE_COLUMNS:
            batch.alter_column(name, existing_type=sa.Float(), nullable=False)
