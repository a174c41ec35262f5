"""The session store: patients, programs, sessions, reps and their curves, in SQLite or PostgreSQL.

Qt-free. The live flow writes through `SessionRecorder`; screens and exports read
through `Store`, which hands out plain dataclasses (`views.py`).
"""

from rehab_coach.session.store.analytics import adherence, today_plan
from rehab_coach.session.store.db import StoreError, default_url, resolve_url
from rehab_coach.session.store.flags import PainFlag, PatientOverview, pain_flags, patient_overview, patient_overviews
from rehab_coach.session.store.progress import DayMark, ExerciseTrend, PatientProgress, patient_progress
from rehab_coach.session.store.recorder import RecorderError, SessionRecorder
from rehab_coach.session.store.store import Store, open_store
from rehab_coach.session.store.views import (
    Adherence,
    CheckInInfo,
    CorrectionInfo,
    ItemSpec,
    PatientInfo,
    ProgramInfo,
    ProgramItemInfo,
    ProgramSpec,
    RepInfo,
    SessionDetail,
    SessionInfo,
    TodayPlan,
    TrendPoint,
    weekdays_mask,
    weekdays_names,
)

__all__ = [
    "Adherence",
    "DayMark",
    "ExerciseTrend",
    "PatientProgress",
    "patient_progress",
    "CheckInInfo",
    "CorrectionInfo",
    "PainFlag",
    "PatientOverview",
    "pain_flags",
    "patient_overview",
    "patient_overviews",
    "ItemSpec",
    "PatientInfo",
    "ProgramInfo",
    "ProgramItemInfo",
    "ProgramSpec",
    "RecorderError",
    "RepInfo",
    "SessionDetail",
    "SessionInfo",
    "SessionRecorder",
    "Store",
    "StoreError",
    "TodayPlan",
    "TrendPoint",
    "adherence",
    "default_url",
    "open_store",
    "resolve_url",
    "today_plan",
    "weekdays_mask",
    "weekdays_names",
]
