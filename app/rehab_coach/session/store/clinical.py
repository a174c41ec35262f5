"""Clinical test results in the store: each trial beside its session, and a therapist's corrections.

A correction is kept beside the measured value, never over it (as count corrections are): every
correction stays, the newest is the value in force, and the screens, the PDF and FHIR say both.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from pydantic import ValidationError
from sqlalchemy import ColumnElement, select

from rehab_coach.engine.clinical import ClinicalResult, clinical_test
from rehab_coach.i18n import _
from rehab_coach.session.store.db import StoreError
from rehab_coach.session.store.liveness import host_name
from rehab_coach.session.store.ops import now_utc
from rehab_coach.session.store.store import Store
from rehab_coach.session.store.tables import ClinicalCorrection, ClinicalResultRow, SessionRow

log = logging.getLogger(__name__)

MAX_SECONDS = 600.0
MAX_STANDS = 100


@dataclass(frozen=True)
class ClinicalCorrectionInfo:
    id: int
    result_id: int
    original_value: float | None
    corrected_value: float
    reason: str
    host: str
    corrected_at: dt.datetime


@dataclass(frozen=True)
class ClinicalResultInfo:
    """One stored trial: the session it belongs to, the engine's result, the corrections (oldest first)."""

    id: int
    session_id: int
    session_uid: str
    patient_id: int | None
    started_at: dt.datetime  # the session's start: the day of the test
    session_status: str
    result: ClinicalResult
    corrections: list[ClinicalCorrectionInfo] = field(default_factory=list)

    @property
    def test_id(self) -> str:
        return self.result.test

    @property
    def value(self) -> float | None:
        """The value in force: the newest correction's, else the measured one."""
        return self.corrections[-1].corrected_value if self.corrections else self.result.value

    @property
    def measured(self) -> float | None:
        return self.result.value

    @property
    def correction(self) -> ClinicalCorrectionInfo | None:
        return self.corrections[-1] if self.corrections else None


def clinical_results(
    store: Store,
    patient_id: int,
    *,
    test_id: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> list[ClinicalResultInfo]:
    """A patient's test results, oldest first (then by trial), with their corrections."""
    where = [SessionRow.patient_id == patient_id]
    if test_id:
        where.append(ClinicalResultRow.test_id == test_id)
    if since:
        where.append(SessionRow.started_at >= since)
    if until:
        where.append(SessionRow.started_at < until)
    return _query(store, where)


def session_results(store: Store, session: int | str) -> list[ClinicalResultInfo]:
    """The trials of one test session (by id or uid), in order."""
    where = [SessionRow.id == session] if isinstance(session, int) else [SessionRow.uid == session]
    return _query(store, where)


def clinical_result(store: Store, result_id: int) -> ClinicalResultInfo:
    found = _query(store, [ClinicalResultRow.id == result_id])
    if not found:
        raise StoreError(f"no clinical test result {result_id}")
    return found[0]


def _query(store: Store, where: Sequence[ColumnElement[bool]]) -> list[ClinicalResultInfo]:
    query = (
        select(ClinicalResultRow, SessionRow.uid, SessionRow.patient_id, SessionRow.started_at, SessionRow.status)
        .join(SessionRow, SessionRow.id == ClinicalResultRow.session_id)
        .where(*where)
        .order_by(SessionRow.started_at, SessionRow.id, ClinicalResultRow.trial)
    )
    with store.reading() as db:
        rows = db.execute(query).all()
        ids = [row[0].id for row in rows]
        corrections: dict[int, list[ClinicalCorrectionInfo]] = {}
        if ids:
            found = db.scalars(
                select(ClinicalCorrection).where(ClinicalCorrection.result_id.in_(ids)).order_by(ClinicalCorrection.id)
            )
            for c in found:
                corrections.setdefault(c.result_id, []).append(_correction(c))
    out = []
    for row, uid, patient_id, started_at, status in rows:
        result = _result(row)
        if result is None:
            continue
        out.append(
            ClinicalResultInfo(
                row.id, row.session_id, uid, patient_id, started_at, status, result, corrections.get(row.id, [])
            )
        )
    return out


def _result(row: ClinicalResultRow) -> ClinicalResult | None:
    """The stored result; a detail that no longer reads (a hand-edited database) falls back to its columns."""
    try:
        return ClinicalResult.model_validate(row.detail)
    except ValidationError as exc:
        log.warning("clinical result %d: detail unreadable (%s); using its columns", row.id, exc.errors()[0]["msg"])
        try:
            return ClinicalResult.model_validate(
                {
                    "test": row.test_id,
                    "trial": row.trial,
                    "value": row.value,
                    "unit": row.unit,
                    "completed": row.completed,
                    "ended_by": row.ended_by,
                    "side": row.side,
                }
            )
        except ValidationError:
            return None


def _correction(c: ClinicalCorrection) -> ClinicalCorrectionInfo:
    return ClinicalCorrectionInfo(
        c.id, c.result_id, c.original_value, c.corrected_value, c.reason, c.host, c.corrected_at
    )


def check_corrected_value(unit: str, value: float) -> None:
    """Refuse a corrected value the test cannot have: stands are whole numbers, seconds a plausible time."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise StoreError(_("a corrected result is a number, not {0!r}").format(value))
    if unit == "stands":
        if value != int(value) or not 0 <= value <= MAX_STANDS:
            raise StoreError(_("a number of stands is a whole number from 0 to {0}").format(MAX_STANDS))
    elif not 0 < value <= MAX_SECONDS:
        raise StoreError(_("a time is more than 0 and at most {0} seconds").format(f"{MAX_SECONDS:.0f}"))


def correct_clinical_result(store: Store, result_id: int, value: float, reason: str) -> ClinicalCorrectionInfo:
    """A therapist's value for a result, with the reason; the measured one and earlier corrections stay."""
    reason = reason.strip()
    if not reason:
        raise StoreError(_("say why the result is corrected (the reason is kept with the correction)"))
    info = clinical_result(store, result_id)
    check_corrected_value(clinical_test(info.test_id).unit, value)
    with store.transaction() as db:
        row = ClinicalCorrection(
            result_id=result_id,
            original_value=info.measured,
            corrected_value=float(value),
            reason=reason,
            host=host_name(),
            corrected_at=now_utc(),
        )
        db.add(row)
        db.flush()
        log.info("clinical result %d corrected from %s to %s (%s)", result_id, info.measured, value, reason)
        return _correction(row)
