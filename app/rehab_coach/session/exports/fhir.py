"""FHIR R4 export: a `collection` Bundle with the Patient and one range-of-motion Observation
per session (per side when the exercise alternates sides), plus the patient's check-in after
the session: pain (LOINC 72514-3, 0-10 numeric rating, with an interpretation when flagged)
and effort (LOINC 82289-0, rating of perceived exertion, on the Borg CR10 scale).

The Patient carries only the pseudonymous code (as its id and identifier), never the
display name; every Observation references it by that code. The Observation value is
the best active range of motion of the session's complete reps, expressed the clinical
way (knee: flexion = 180 - the hip-knee-ankle angle; shoulder: the abduction angle).
Exercises without a known LOINC code get our own code system only; docs/exports.md
lists the mapping. Standard clinical tests add one Observation per trial (`fhir_clinical.py`).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rehab_coach import __version__
from rehab_coach.paths import replace_private
from rehab_coach.session.exports.fhir_clinical import clinical_observations
from rehab_coach.session.exports.record import PatientRecord
from rehab_coach.session.pain_rule import PainFlag
from rehab_coach.session.store.views import RepInfo, SessionDetail

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
PAIN_LOINC = ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")
EFFORT_LOINC = ("82289-0", "Rating of perceived exertion [Score]")
PATIENT_CODE_SYSTEM = "urn:rehab-coach:patient-code"
MEASURE_SYSTEM = "urn:rehab-coach:measure"
_NAMESPACE = uuid.UUID("6f1d7a52-5c1e-4a7e-9d0b-2f3c8a1b7e44")  # stable urn:uuid for the same code


@dataclass(frozen=True)
class RomCode:
    """How a template's primary measure maps to a clinical range-of-motion observation."""

    text: str
    body_site: str
    loinc: str | None  # side not known
    loinc_left: str | None = None
    loinc_right: str | None = None
    flexion_from_inner_angle: bool = False  # value = 180 - measured joint angle

    def code_for(self, side: str | None) -> str | None:
        return {"left": self.loinc_left, "right": self.loinc_right}.get(side or "") or self.loinc

    def value(self, best_extreme: float) -> float:
        return round(180.0 - best_extreme if self.flexion_from_inner_angle else best_extreme, 1)


# LOINC "Active Range of Motion" codes, keyed by the template's primary measure.
ROM_CODES: dict[str, RomCode] = {
    "knee": RomCode(
        "Knee flexion active range of motion", "knee", "41379-9", "41343-5", "41347-6", flexion_from_inner_angle=True
    ),
    "abduction": RomCode("Shoulder abduction active range of motion", "shoulder", "41381-5"),
}


def fhir_bundle(record: PatientRecord, *, generated_at: dt.datetime | None = None) -> dict[str, Any]:
    generated_at = generated_at or dt.datetime.now(dt.UTC)
    patient_url = f"urn:uuid:{uuid.uuid5(_NAMESPACE, record.patient.code)}"
    entries: list[dict[str, Any]] = [{"fullUrl": patient_url, "resource": _patient(record)}]
    flags = record.pain_flags
    for detail in record.sessions:
        observations = [
            _observation(record, detail, side, reps, patient_url, generated_at)
            for side, reps in _by_side(detail).items()
        ]
        observations += _check_in(record, detail, flags.get(detail.session.id), patient_url, generated_at)
        for observation in observations:
            if observation is not None:
                entries.append(
                    {"fullUrl": f"urn:uuid:{uuid.uuid5(_NAMESPACE, observation['id'])}", "resource": observation}
                )
    subject = {"reference": patient_url, "type": "Patient", "identifier": _code_identifier(record.patient.code)}
    for observation in clinical_observations(record.clinical, record.patient, subject, generated_at, _instant):
        entries.append({"fullUrl": f"urn:uuid:{uuid.uuid5(_NAMESPACE, observation['id'])}", "resource": observation})
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "meta": {"lastUpdated": _instant(generated_at)},
        "type": "collection",
        "timestamp": _instant(generated_at),
        "entry": entries,
    }


def write_fhir(record: PatientRecord, path: Path | str, **kwargs: Any) -> dict[str, Any]:
    bundle = fhir_bundle(record, **kwargs)
    with replace_private(path, "w", encoding="utf-8") as handle:  # patient data: 0600, whole or not at all
        handle.write(json.dumps(bundle, indent=2, ensure_ascii=False, allow_nan=False) + "\n")
    return bundle


def _patient(record: PatientRecord) -> dict[str, Any]:
    return {
        "resourceType": "Patient",
        "id": record.patient.code,
        "identifier": [_code_identifier(record.patient.code)],
        "active": not record.patient.archived,
    }


def _code_identifier(code: str) -> dict[str, str]:
    return {"system": PATIENT_CODE_SYSTEM, "value": code}


def _by_side(detail: SessionDetail) -> dict[str | None, list[RepInfo]]:
    sides: dict[str | None, list[RepInfo]] = {}
    for rep in detail.reps:
        if rep.complete:
            sides.setdefault(rep.side, []).append(rep)
    return sides


def _observation(
    record: PatientRecord,
    detail: SessionDetail,
    side: str | None,
    reps: list[RepInfo],
    patient_url: str,
    generated_at: dt.datetime,
) -> dict[str, Any] | None:
    s = detail.session
    angles = [r.extreme for r in reps if math.isfinite(r.extreme)]  # none: not measurable from the view
    if not angles or s.direction not in ("up", "down"):
        return None
    best = min(angles) if s.direction == "down" else max(angles)
    mapping = ROM_CODES.get(s.measure)
    codings = [{"system": MEASURE_SYSTEM, "code": f"{s.exercise_id}.{s.measure}"}]
    if mapping and (loinc := mapping.code_for(side)):
        codings.insert(0, {"system": LOINC, "code": loinc})
    text = mapping.text if mapping else f"{s.measure} range of motion ({s.exercise_id})"
    value = mapping.value(best) if mapping else round(best, 1)
    site = " ".join(p for p in (side, mapping.body_site if mapping else None) if p)
    observation: dict[str, Any] = {
        "resourceType": "Observation",
        "id": f"rom-{s.uid}" + (f"-{side}" if side else ""),
        "status": "final",
        "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "exam", "display": "Exam"}]}],
        "code": {"coding": codings, "text": text},
        "subject": {"reference": patient_url, "type": "Patient", "identifier": _code_identifier(record.patient.code)},
        "effectivePeriod": {"start": _instant(s.started_at), "end": _instant(s.ended_at or s.started_at)},
        "issued": _instant(generated_at),
        "valueQuantity": _degrees(value),
        "method": {
            "text": f"Markerless video pose estimation (Rehab Coach {__version__}): "
            "best of the session's complete repetitions"
        },
        "component": _components(reps),
    }
    if site:
        observation["bodySite"] = {"text": site}
    notes = []
    if s.status != "completed":
        notes.append({"text": f"Session {s.status}; value from the repetitions recorded before it ended."})
    if detail.corrections:
        last = detail.corrections[-1]
        observation["component"].append(
            {"code": {"text": "Complete repetitions, corrected by the therapist"}, "valueInteger": last.corrected_count}
        )
        notes.append(
            {
                "time": _instant(last.corrected_at),
                "text": f"Repetition count corrected from {last.original_count} (as recorded) to "
                f"{last.corrected_count}: {last.reason}",
            }
        )
    if notes:
        observation["note"] = notes
    return observation


def _check_in(
    record: PatientRecord, detail: SessionDetail, flag: PainFlag | None, patient_url: str, generated_at: dt.datetime
) -> list[dict[str, Any]]:
    """The patient's own answers after the session: survey Observations with integer scores."""
    s = detail.session
    out = []
    for kind, value, (code, display) in (("pain", s.pain, PAIN_LOINC), ("effort", s.effort, EFFORT_LOINC)):
        if value is None:
            continue
        observation: dict[str, Any] = {
            "resourceType": "Observation",
            "id": f"{kind}-{s.uid}",
            "status": "final",
            "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}],
            "code": {
                "coding": [{"system": LOINC, "code": code, "display": display}],
                "text": "Pain after the exercise (0-10)" if kind == "pain" else "Effort (Borg CR10, 0-10)",
            },
            "subject": {
                "reference": patient_url,
                "type": "Patient",
                "identifier": _code_identifier(record.patient.code),
            },
            "effectiveDateTime": _instant(s.ended_at or s.started_at),
            "issued": _instant(generated_at),
            "valueInteger": value,
            "note": [{"text": f"Reported by the patient right after the {s.exercise_id} session"}],
        }
        if kind == "pain" and flag is not None:
            interpretation = []
            if flag.high:
                interpretation.append({"system": INTERPRETATION, "code": "H", "display": "High"})
            if flag.risen:
                interpretation.append({"system": INTERPRETATION, "code": "U", "display": "Significant change up"})
            observation["interpretation"] = [{"coding": interpretation, "text": flag.describe()}]
        out.append(observation)
    return out


def _components(reps: list[RepInfo]) -> list[dict[str, Any]]:
    quality = sum(r.quality for r in reps) / len(reps)
    excursion = sum(r.rom for r in reps) / len(reps)
    return [
        {"code": {"text": "Complete repetitions"}, "valueInteger": len(reps)},
        {"code": {"text": "Mean excursion per repetition"}, "valueQuantity": _degrees(round(excursion, 1))},
        {
            "code": {"text": "Mean movement quality (0-100)"},
            "valueQuantity": {"value": round(quality, 1), "unit": "score", "system": UCUM, "code": "{score}"},
        },
    ]


def _degrees(value: float) -> dict[str, Any]:
    return {"value": value, "unit": "deg", "system": UCUM, "code": "deg"}


def _instant(moment: dt.datetime) -> str:
    """FHIR instant: seconds precision is enough and always has a zone."""
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
