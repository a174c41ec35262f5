"""The frame rate the engine got in each session: whole-session mean and lowest few-second window.

Older sessions keep both empty (not measured).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sessions", sa.Column("fps_mean", sa.Float(), nullable=True))
    op.add_column("sessions", sa.Column("fps_lowest", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sessions") as batch:  # SQLite drops columns by copying the table
        batch.drop_column("fps_lowest")
        batch.drop_column("fps_mean")
