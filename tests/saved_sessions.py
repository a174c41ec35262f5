"""The sessions a test's app saved, read back from the default database of its data folder."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from rehab_coach.session.store import SessionDetail, Store
from rehab_coach.session.store.tables import SessionRow


def stored_sessions(data_dir: Path) -> list[SessionDetail]:
    """Every session in the test's default database, oldest first, with reps and cues."""
    store = Store(data_dir / "rehab-coach.db")
    try:
        with store.reading() as db:
            uids = list(db.scalars(select(SessionRow.uid).order_by(SessionRow.id)))
        return [store.session_detail(uid) for uid in uids]
    finally:
        store.close()
