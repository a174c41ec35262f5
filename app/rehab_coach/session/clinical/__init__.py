"""The standard clinical tests as sessions: run live (`run.py`), read against published norms
(`norms.py` and the data files in `norms/`), said in words (`words.py`). The timing is the engine's
(`rehab_coach.engine.clinical`); the store keeps the results (`rehab_coach.session.store.clinical`)."""

from rehab_coach.session.clinical.norms import (
    NormReading,
    NormTable,
    age_on,
    all_norm_tables,
    load_norms,
    norm_table,
    read_against_norms,
    read_result,
)
from rehab_coach.session.clinical.run import (
    ClinicalFinished,
    ClinicalRecorder,
    ClinicalSession,
    TrialEnded,
    TrialShown,
    TrialStarted,
)

__all__ = [
    "ClinicalRecorder",
    "ClinicalSession",
    "NormReading",
    "NormTable",
    "ClinicalFinished",
    "TrialEnded",
    "TrialShown",
    "TrialStarted",
    "age_on",
    "all_norm_tables",
    "load_norms",
    "norm_table",
    "read_against_norms",
    "read_result",
]
