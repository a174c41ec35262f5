"""Pain and effort check-ins after an exercise; therapists' rep-count corrections (audited);
an optional second check-in factor per patient (birth year or a short PIN, hashed).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("patients", sa.Column("checkin_factor", sa.String(16), nullable=True))
    op.add_column("patients", sa.Column("checkin_hash", sa.String(255), nullable=True))
    op.create_table(
        "check_ins",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("pain", sa.Integer(), nullable=True),
        sa.Column("effort", sa.Integer(), nullable=True),
        sa.Column("recorded_at", UTC, nullable=False),
        sa.UniqueConstraint("session_id", name="uq_check_ins_session_id"),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], name="fk_check_ins_session_id_sessions", ondelete="CASCADE"
        ),
    )
    op.create_table(
        "count_corrections",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("original_count", sa.Integer(), nullable=False),
        sa.Column("corrected_count", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("corrected_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], name="fk_count_corrections_session_id_sessions", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_count_corrections_session_id", "count_corrections", ["session_id"])


def downgrade() -> None:
    op.drop_index("ix_count_corrections_session_id", table_name="count_corrections")
    op.drop_table("count_corrections")
    op.drop_table("check_ins")
    with op.batch_alter_table("patients") as batch:  # SQLite drops columns by copying the table
        batch.drop_column("checkin_hash")
        batch.drop_column("checkin_factor")
