"""The session store: patients, programs, sessions, reps and their curves, in SQLite or PostgreSQL.

Qt-free. The live flow writes through `SessionRecorder`; screens and exports read
through `Store`, which hands out plain dataclasses (`views.py`).
"""

from rehab_coach.session.pain_rule import FlagReview
from rehab_coach.session.store.analytics import adherence, prescribed_item, today_plan
from rehab_coach.session.store.db import StoreError, default_url, resolve_url
from rehab_coach.session.store.flags import PainFlag, PatientOverview, pain_flags, patient_overview, patient_overviews
from rehab_coach.session.store.patient_list import (
    PATIENT_SORTS,
    LatestRead,
    PatientListPage,
    PatientListRequest,
    PatientSort,
    arrange,
    arranged,
    attention_count,
    read_patient_list,
)
from rehab_coach.session.store.progress import DayMark, ExerciseTrend, PatientProgress, patient_progress
from rehab_coach.session.store.protocols import (
    ProtocolNameTaken,
    delete_protocol,
    get_protocol,
    list_protocols,
    program_from_protocol,
    rename_protocol,
    save_protocol,
)
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
    ProtocolInfo,
    RepInfo,
    SessionDetail,
    SessionInfo,
    TodayPlan,
    TrendPoint,
    weekdays_mask,
    weekdays_names,
)
from rehab_coach.session.store.weekly import WeekRom, WeekSummary, weekly_summary

__all__ = [
    "FlagReview",
    "PATIENT_SORTS",
    "LatestRead",
    "PatientListPage",
    "PatientListRequest",
    "read_patient_list",
    "PatientSort",
    "WeekRom",
    "WeekSummary",
    "arrange",
    "arranged",
    "attention_count",
    "weekly_summary",
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
    "ProtocolInfo",
    "ProtocolNameTaken",
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
    "delete_protocol",
    "get_protocol",
    "list_protocols",
    "prescribed_item",
    "program_from_protocol",
    "rename_protocol",
    "save_protocol",
    "open_store",
    "resolve_url",
    "today_plan",
    "weekdays_mask",
    "weekdays_names",
]
