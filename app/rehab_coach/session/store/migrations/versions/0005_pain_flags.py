"""Pain flags reviewed by a therapist: who, on which computer, when, and a note. The flags themselves
are computed from the check-ins (session/pain_rule.py); only the review is new data.

Revision ID: 0005_pain_flags
Revises: 0004
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_pain_flags"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pain_flag_reviews",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("reviewed_by", sa.String(100), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("session_id", name="uq_pain_flag_reviews_session_id"),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], name="fk_pain_flag_reviews_session_id_sessions", ondelete="CASCADE"
        ),
    )


def downgrade() -> None:
    op.drop_table("pain_flag_reviews")
