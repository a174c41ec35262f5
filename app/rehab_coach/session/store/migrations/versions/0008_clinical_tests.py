"""Standard clinical tests: each trial's result beside its session, a therapist's corrections of it, and
the patient's (optional) birth year and sex to read a result against norms.

Revision ID: 0008_clinical_tests
Revises: 0007_store_scale
Create Date: 2026-12-20
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_clinical_tests"
down_revision = "0007_store_scale"
branch_labels = None
depends_on = None

UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("patients", sa.Column("birth_year", sa.Integer(), nullable=True))
    op.add_column("patients", sa.Column("sex", sa.String(8), nullable=True))
    op.create_table(
        "clinical_results",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("trial", sa.Integer(), nullable=False),
        sa.Column("test_id", sa.String(64), nullable=False),
        sa.Column("side", sa.String(8), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("unit", sa.String(16), nullable=False),
        sa.Column("completed", sa.Boolean(), nullable=False),
        sa.Column("ended_by", sa.String(32), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("recorded_at", UTC, nullable=False),
        sa.UniqueConstraint("session_id", "trial", name="uq_clinical_results_session_id"),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], name="fk_clinical_results_session_id_sessions", ondelete="CASCADE"
        ),
    )
    op.create_table(
        "clinical_corrections",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("result_id", sa.Integer(), nullable=False),
        sa.Column("original_value", sa.Float(), nullable=True),
        sa.Column("corrected_value", sa.Float(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("corrected_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["result_id"],
            ["clinical_results.id"],
            name="fk_clinical_corrections_result_id_clinical_results",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_clinical_corrections_result_id", "clinical_corrections", ["result_id"])


def downgrade() -> None:
    op.drop_index("ix_clinical_corrections_result_id", table_name="clinical_corrections")
    op.drop_table("clinical_corrections")
    op.drop_table("clinical_results")
    # Not batch_alter_table: on SQLite that copies the table and drops the old one, and dropping `patients`
    # cascades to every program and session. A plain column has ALTER TABLE DROP COLUMN (SQLite 3.35+).
    op.drop_column("patients", "sex")
    op.drop_column("patients", "birth_year")
