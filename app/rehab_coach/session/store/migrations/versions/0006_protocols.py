"""Named protocols to start a patient's program from ("TKA weeks 0-2"), and a progression rule per
program item (reps or hold time growing while pain stays low), kept as JSON beside the item.

Revision ID: 0006_protocols
Revises: 0005_pain_flags
Create Date: 2026-12-12
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_protocols"
down_revision = "0005_pain_flags"
branch_labels = None
depends_on = None

UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("program_items", sa.Column("progression", sa.JSON(), nullable=True))
    op.create_table(
        "protocols",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_key", sa.String(200), nullable=False),
        sa.Column("weekdays", sa.Integer(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.UniqueConstraint("name_key", name="uq_protocols_name_key"),
    )
    op.create_table(
        "protocol_items",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("protocol_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sa.String(64), nullable=False),
        sa.Column("sets", sa.Integer(), nullable=False),
        sa.Column("reps", sa.Integer(), nullable=False),
        sa.Column("overrides", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("progression", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["protocol_id"], ["protocols.id"], name="fk_protocol_items_protocol_id_protocols", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_protocol_items_protocol_id", "protocol_items", ["protocol_id"])


def downgrade() -> None:
    op.drop_index("ix_protocol_items_protocol_id", table_name="protocol_items")
    op.drop_table("protocol_items")
    op.drop_table("protocols")
    with op.batch_alter_table("program_items") as batch:  # SQLite drops columns by copying the table
        batch.drop_column("progression")
