"""What an export covers: one patient and their sessions (with reps) in a date range."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from rehab_coach.session.pain_rule import PainFlag
from rehab_coach.session.store.clinical import ClinicalResultInfo, clinical_results
from rehab_coach.session.store.store import Store
from rehab_coach.session.store.views import PatientInfo, ProgramInfo, SessionDetail


@dataclass(frozen=True)
class PatientRecord:
    patient: PatientInfo
    sessions: list[SessionDetail]  # oldest first
    program: ProgramInfo | None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    # The patient's pain flags by session id, judged on their whole history: a rise at the first
    # session of a period is measured against the answer before the period.
    pain_flags: dict[int, PainFlag] = field(default_factory=dict)
    clinical: list[ClinicalResultInfo] = field(default_factory=list)  # standard tests' trials, oldest first


def collect(
    store: Store, patient: int | str, *, since: dt.datetime | None = None, until: dt.datetime | None = None
) -> PatientRecord:
    info = store.patient(patient)
    sessions = store.sessions_for(info.id, since=since, until=until)
    details = [store.session_detail(s.id) for s in reversed(sessions)]
    shown = {d.session.id for d in details}
    flags = {sid: flag for sid, flag in store.pain_flags_for(info.id).items() if sid in shown}
    tests = clinical_results(store, info.id, since=since, until=until)
    return PatientRecord(info, details, store.active_program(info.id), since, until, flags, tests)
