"""Initial schema: patients, programs, sessions, sets, reps with their curves, cues, PIN.

Revision ID: 0001
Revises:
Create Date: 2026-05-20
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "patients",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.UniqueConstraint("code", name="uq_patients_code"),
    )
    op.create_table(
        "programs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("weekdays", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name="fk_programs_patient_id_patients", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_programs_patient_id", "programs", ["patient_id"])
    op.create_table(
        "program_items",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sa.String(64), nullable=False),
        sa.Column("sets", sa.Integer(), nullable=False),
        sa.Column("reps", sa.Integer(), nullable=False),
        sa.Column("overrides", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["program_id"], ["programs.id"], name="fk_program_items_program_id_programs", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_program_items_program_id", "program_items", ["program_id"])
    _create_sessions()
    _create_reps()
    op.create_table(
        "therapist_pin",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("pin_hash", sa.String(255), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("lockouts", sa.Integer(), nullable=False),
        sa.Column("locked_until", UTC, nullable=True),
        sa.Column("updated_at", UTC, nullable=False),
    )


def _create_sessions() -> None:
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uid", sa.String(36), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=True),
        sa.Column("program_item_id", sa.Integer(), nullable=True),
        sa.Column("exercise_id", sa.String(64), nullable=False),
        sa.Column("measure", sa.String(64), nullable=False),
        sa.Column("direction", sa.String(8), nullable=False),
        sa.Column("target", sa.Float(), nullable=True),
        sa.Column("ideal", sa.Float(), nullable=True),
        sa.Column("overrides", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("started_at", UTC, nullable=False),
        sa.Column("ended_at", UTC, nullable=True),
        sa.Column("last_activity_at", UTC, nullable=False),
        sa.Column("summary", sa.JSON(), nullable=True),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("app_version", sa.String(32), nullable=False),
        sa.Column("recording_path", sa.String(1024), nullable=True),
        sa.UniqueConstraint("uid", name="uq_sessions_uid"),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name="fk_sessions_patient_id_patients", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["program_item_id"],
            ["program_items.id"],
            name="fk_sessions_program_item_id_program_items",
            ondelete="SET NULL",
        ),
    )
    op.create_index("ix_sessions_patient_id", "sessions", ["patient_id"])
    op.create_index("ix_sessions_status", "sessions", ["status"])
    op.create_table(
        "sets",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("started_at", UTC, nullable=False),
        sa.UniqueConstraint("session_id", "number", name="uq_sets_session_id"),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], name="fk_sets_session_id_sessions", ondelete="CASCADE"
        ),
    )
    op.create_table(
        "cue_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("t", sa.Float(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("cue_id", sa.String(64), nullable=False),
        sa.Column("text", sa.String(500), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.UniqueConstraint("session_id", "seq", name="uq_cue_events_session_id"),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], name="fk_cue_events_session_id_sessions", ondelete="CASCADE"
        ),
    )


def _create_reps() -> None:
    op.create_table(
        "reps",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("set_id", sa.Integer(), nullable=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("rep_index", sa.Integer(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("partial_reason", sa.String(32), nullable=False),
        sa.Column("side", sa.String(8), nullable=True),
        sa.Column("start_t", sa.Float(), nullable=False),
        sa.Column("end_t", sa.Float(), nullable=False),
        sa.Column("rom", sa.Float(), nullable=False),
        sa.Column("extreme", sa.Float(), nullable=False),
        sa.Column("start_value", sa.Float(), nullable=False),
        sa.Column("quality", sa.Float(), nullable=False),
        sa.Column("quality_parts", sa.JSON(), nullable=False),
        sa.Column("peaks", sa.JSON(), nullable=False),
        sa.Column("faults", sa.JSON(), nullable=False),
        sa.Column("held_seconds", sa.Float(), nullable=True),
        sa.Column("recorded_at", UTC, nullable=False),
        sa.UniqueConstraint("session_id", "seq", name="uq_reps_session_id"),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], name="fk_reps_session_id_sessions", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["set_id"], ["sets.id"], name="fk_reps_set_id_sets", ondelete="CASCADE"),
    )
    op.create_index("ix_reps_set_id", "reps", ["set_id"])
    op.create_table(
        "rep_series",
        sa.Column("rep_id", sa.Integer(), primary_key=True),
        sa.Column("measure", sa.String(64), nullable=False),
        sa.Column("encoding", sa.String(16), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["rep_id"], ["reps.id"], name="fk_rep_series_rep_id_reps", ondelete="CASCADE"),
    )


def downgrade() -> None:
    for table in (
        "rep_series",
        "reps",
        "cue_events",
        "sets",
        "sessions",
        "therapist_pin",
        "program_items",
        "programs",
        "patients",
    ):
        op.drop_table(table)
