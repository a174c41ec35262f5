"""Store at scale: indexes so one patient's queries read only that patient's rows, and patient codes
unique whatever their case (patients that differ only in the case of their code are merged first).

Revision ID: 0007_store_scale
Revises: 0006_protocols
Create Date: 2026-12-20
"""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0007_store_scale"
down_revision = "0006_protocols"
branch_labels = None
depends_on = None

log = logging.getLogger("rehab_coach.session.store.migrations")


def upgrade() -> None:
    _merge_codes_that_differ_in_case(op.get_bind())
    op.create_index("uq_patients_code_lower", "patients", [sa.text("lower(code)")], unique=True)
    op.drop_index("ix_sessions_patient_id", table_name="sessions")
    op.create_index("ix_sessions_patient_started", "sessions", ["patient_id", "started_at", "exercise_id"])
    op.create_index("ix_reps_session_stats", "reps", ["session_id", "complete", "quality", "rom", "extreme"])


def downgrade() -> None:
    # Patients merged by the upgrade stay merged: which sessions were whose is not kept.
    op.drop_index("ix_reps_session_stats", table_name="reps")
    op.drop_index("ix_sessions_patient_started", table_name="sessions")
    op.create_index("ix_sessions_patient_id", "sessions", ["patient_id"])
    op.drop_index("uq_patients_code_lower", table_name="patients")


def _merge_codes_that_differ_in_case(bind: Any) -> None:
    """P-0042 and p-0042 are one patient: the first one stored keeps its code and name and takes the
    others' sessions, programs (the newest active one stays active) and notes; the others go."""
    rows = bind.execute(
        sa.text(
            "SELECT id, lower(code) AS folded, code, display_name, notes, archived, checkin_factor, checkin_hash "
            "FROM patients ORDER BY id"
        )
    ).all()
    groups: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        groups[row.folded].append(row)
    for group in groups.values():
        if len(group) > 1:
            _merge(bind, group[0], group[1:])


def _merge(bind: Any, keep: Any, others: list[Any]) -> None:
    ids = [other.id for other in others]
    moved = {"keep": keep.id, "ids": ids}
    for table in ("sessions", "programs"):
        bind.execute(
            sa.text(f"UPDATE {table} SET patient_id = :keep WHERE patient_id IN :ids").bindparams(  # noqa: S608 - our table names
                sa.bindparam("ids", expanding=True)
            ),
            moved,
        )
    active = bind.execute(
        sa.text("SELECT id FROM programs WHERE patient_id = :keep AND active = :yes ORDER BY id"),
        {"keep": keep.id, "yes": True},
    ).all()
    for program in active[:-1]:  # one program in force: the newest
        bind.execute(sa.text("UPDATE programs SET active = :no WHERE id = :id"), {"no": False, "id": program.id})
    notes = [keep.notes or ""]
    notes += [
        f"Merged with patient {other.code} ({other.display_name}): codes ignore case. {other.notes or ''}".strip()
        for other in others
    ]
    factor = next(((p.checkin_factor, p.checkin_hash) for p in (keep, *others) if p.checkin_hash), (None, None))
    bind.execute(
        sa.text(
            "UPDATE patients SET notes = :notes, archived = :archived, checkin_factor = :factor, "
            "checkin_hash = :hash WHERE id = :keep"
        ),
        {
            "notes": "\n".join(n for n in notes if n),
            "archived": all(p.archived for p in (keep, *others)),
            "factor": factor[0],
            "hash": factor[1],
            "keep": keep.id,
        },
    )
    bind.execute(
        sa.text("DELETE FROM patients WHERE id IN :ids").bindparams(sa.bindparam("ids", expanding=True)),
        {"ids": ids},
    )
    log.warning(
        "patient codes that differ only in case merged into %s: %s (their sessions and programs moved)",
        keep.code,
        ", ".join(other.code for other in others),
    )
