"""A patient's clinical test results as the therapist's screens, the PDF and the exports show them:
one row per trial (newest first) with the value in force, the plain words, the norm and its cut-offs,
and per test the points of its trend over time. Qt-free: the screens only paint it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rehab_coach.engine.clinical import CLINICAL_TESTS, clinical_test
from rehab_coach.i18n import _, day_text
from rehab_coach.session.clinical.norms import NormReading, read_result
from rehab_coach.session.clinical.words import (
    FLAGS,
    SIDES,
    clinical_name,
    details_text,
    norm_lines,
    patient_words,
    value_text,
)
from rehab_coach.session.store.clinical import ClinicalResultInfo
from rehab_coach.session.store.views import PatientInfo


@dataclass(frozen=True)
class ResultRow:
    """One trial as a row of the therapist's table."""

    info: ClinicalResultInfo
    day: dt.date  # the local day of the test
    name: str  # the test's name, with the leg for a single-leg stance
    value: str  # the value in force, "(corrected)" when a therapist changed it
    words: str  # what the patient read
    norm: NormReading | None
    norm_lines: list[str]  # the band and each cut-off, with sources
    details: list[str]  # how it ended, secondary times, phases, flags
    flags: list[str]  # the flags alone, in words

    @property
    def result_id(self) -> int:
        return self.info.id

    @property
    def past_a_cutoff(self) -> bool:
        return self.norm is not None and any(c.past for c in self.norm.cutoffs)


@dataclass(frozen=True)
class TrendPoint:
    day: dt.date
    value: float
    side: str | None
    corrected: bool


@dataclass(frozen=True)
class ResultTrend:
    test_id: str
    name: str
    unit: str
    lower_is_better: bool
    points: list[TrendPoint]  # oldest first; completed trials only

    def change_text(self, language: str | None = None) -> str:
        """First to last, in words: "12.4 s → 10.9 s (better)"."""
        if len(self.points) < 2:
            return ""
        first, last = self.points[0], self.points[-1]
        if abs(last.value - first.value) < 1e-9:
            word = _("unchanged", language)
        else:
            better = last.value < first.value if self.lower_is_better else last.value > first.value
            word = _("better", language) if better else _("worse", language)
        return (
            f"{value_text(first.value, self.unit, language)} → {value_text(last.value, self.unit, language)} ({word})"
        )


@dataclass(frozen=True)
class ResultHistory:
    rows: list[ResultRow]  # newest first
    trends: list[ResultTrend]  # one per test done, in the catalogue's order

    def trend(self, test_id: str) -> ResultTrend | None:
        return next((t for t in self.trends if t.test_id == test_id), None)


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone().date()


def result_row(info: ClinicalResultInfo, patient: PatientInfo | None, language: str | None = None) -> ResultRow:
    result = info.result
    day = local_day(info.started_at)
    name = clinical_name(result.test, language)
    if result.side:
        name = f"{name} ({_(SIDES[result.side], language)})"
    value = (
        value_text(info.value, result.unit, language) if info.value is not None else details_text(result, language)[0]
    )
    if info.correction is not None:
        value = _("{0} (corrected)", language).format(value)
    norm = read_result(
        result.test, info.value, patient.birth_year if patient else None, patient.sex if patient else None, day
    )
    words = patient_words(clinical_test(result.test), norm, language) if info.value is not None else ""
    return ResultRow(
        info=info,
        day=day,
        name=name,
        value=value,
        words=words,
        norm=norm,
        norm_lines=norm_lines(norm, language),
        details=details_text(result, language),
        flags=[_(FLAGS[flag], language) for flag in result.flags],
    )


def result_history(
    results: list[ClinicalResultInfo], patient: PatientInfo | None, language: str | None = None
) -> ResultHistory:
    """`results` oldest first (as the store gives them)."""
    rows = [result_row(info, patient, language) for info in reversed(results)]
    trends = []
    for test_id, test in CLINICAL_TESTS.items():
        done = [r for r in results if r.test_id == test_id]
        if not done:
            continue
        points = [
            TrendPoint(local_day(r.started_at), r.value, r.result.side, r.correction is not None)
            for r in done
            if r.value is not None
        ]
        trends.append(ResultTrend(test_id, clinical_name(test_id, language), test.unit, test.lower_is_better, points))
    return ResultHistory(rows, trends)


def correction_text(info: ClinicalResultInfo, language: str | None = None) -> str:
    """ "Corrected from 11.8 s (as measured) to 12.4 s on 5 Dec: re-timed from the video"."""
    correction = info.correction
    if correction is None:
        return ""
    unit = info.result.unit
    return _("Corrected from {0} (as measured) to {1} on {2}: {3}", language).format(
        value_text(correction.original_value, unit, language),
        value_text(correction.corrected_value, unit, language),
        day_text(local_day(correction.corrected_at), language),
        correction.reason,
    )
