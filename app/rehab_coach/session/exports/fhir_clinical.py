"""FHIR R4 Observations of the standard clinical tests: one per trial, coded in LOINC where LOINC has
the test and in our own code system always (docs/exports.md).

- Timed Up and Go: LOINC 89423-8, "Time to rise from chair, walk 10 feet and back, and return to
  sitting [TUG]" (a member of the CDC STEADI panel 89422-0), seconds;
- 30-second chair stand: LOINC 66247-8, "Sit to stand frequency in 30 seconds", UCUM {#}/(30.s);
- five-times sit-to-stand and single-leg stance: no LOINC term was found; `urn:rehab-coach:clinical-test`
  codes only.

The value is the one in force: a therapist's correction replaces the measured value in
`valueQuantity` (status `corrected`), the measured one stays as a component and a note says who
changed it, when and why. The norm the result was read against is a `referenceRange` with its source,
the level an `interpretation` (L/N/H against that range), each cut-off a note. A trial with no value
(stopped, not finished) has a `dataAbsentReason` and says why.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rehab_coach import __version__
from rehab_coach.engine.clinical import clinical_test
from rehab_coach.session.clinical.history import correction_text, local_day
from rehab_coach.session.clinical.norms import NormReading, read_result
from rehab_coach.session.clinical.words import ENDED, FLAGS, PHASES, SIDES, band_text, norm_lines
from rehab_coach.session.store.clinical import ClinicalResultInfo
from rehab_coach.session.store.views import PatientInfo

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
DATA_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
CLINICAL_TEST_SYSTEM = "urn:rehab-coach:clinical-test"
TEST_LOINC = {
    "timed_up_and_go": ("89423-8", "Time to rise from chair, walk 10 feet and back, and return to sitting [TUG]"),
    "chair_stand_30s": ("66247-8", "Sit to stand frequency in 30 seconds"),
}
STANDS_UNIT = {"unit": "stands in 30 s", "system": UCUM, "code": "{#}/(30.s)"}
SECONDS_UNIT = {"unit": "s", "system": UCUM, "code": "s"}
LANGUAGE = "en"  # FHIR text is written in English, the codes carry the meaning
LEVEL_TEXT = {
    "typical": "Within the usual range for age",
    "better": "Better than usual for age",
    "worse": "Worse than usual for age",
}


def clinical_observations(
    results: list[ClinicalResultInfo],
    patient: PatientInfo,
    subject: dict[str, Any],
    generated_at: dt.datetime,
    instant: Any,
) -> list[dict[str, Any]]:
    """One Observation per trial. `subject` is the Patient reference, `instant` formats a FHIR instant."""
    return [_observation(info, patient, subject, generated_at, instant) for info in results]


def _quantity(value: float, unit: str) -> dict[str, Any]:
    return {"value": round(value, 2), **(STANDS_UNIT if unit == "stands" else SECONDS_UNIT)}


def _observation(
    info: ClinicalResultInfo, patient: PatientInfo, subject: dict[str, Any], generated_at: dt.datetime, instant: Any
) -> dict[str, Any]:
    result = info.result
    test = clinical_test(result.test)
    name = test.name
    codings = [{"system": CLINICAL_TEST_SYSTEM, "code": test.id, "display": name}]
    if test.id in TEST_LOINC:
        code, display = TEST_LOINC[test.id]
        codings.insert(0, {"system": LOINC, "code": code, "display": display})
    observation: dict[str, Any] = {
        "resourceType": "Observation",
        "id": f"test-{info.session_uid}-{result.trial}",
        "status": "corrected" if info.correction is not None else "final",
        "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "exam", "display": "Exam"}]}],
        "code": {"coding": codings, "text": name},
        "subject": subject,
        "effectiveDateTime": instant(info.started_at),
        "issued": instant(generated_at),
        "method": {"text": f"Markerless video pose estimation (Rehab Coach {__version__}): {test.convention}"},
    }
    if result.side:
        observation["bodySite"] = {"text": f"stance leg: {SIDES[result.side].removesuffix(' leg')}"}
    notes: list[dict[str, Any]] = []
    if info.value is not None:
        observation["valueQuantity"] = _quantity(info.value, result.unit)
        reading = read_result(result.test, info.value, patient.birth_year, patient.sex, local_day(info.started_at))
        _norms(observation, reading, result.unit, notes)
    else:
        observation["dataAbsentReason"] = {
            "coding": [{"system": DATA_ABSENT, "code": "as-text", "display": "As Text"}],
            "text": ENDED[result.ended_by],
        }
    observation["component"] = _components(info)
    if info.correction is not None:
        correction = info.correction
        notes.append({"time": instant(correction.corrected_at), "text": correction_text(info, LANGUAGE)})
    notes += [{"text": FLAGS[flag]} for flag in result.flags]
    if info.session_status != "completed" and info.value is not None:
        notes.append({"text": f"Session {info.session_status}."})
    if notes:
        observation["note"] = notes
    return observation


def _norms(observation: dict[str, Any], reading: NormReading | None, unit: str, notes: list[dict[str, Any]]) -> None:
    if reading is None:
        return
    band = reading.band
    if band is not None and reading.source is not None:
        low, high = (band.low, band.high) if band.kind != "mean" or band.low is not None else (None, None)
        if band.kind == "limit":
            low, high = (None, band.high) if band.high is not None else (band.low, None)
        reference: dict[str, Any] = {
            "text": f"{reading.source.short}: {band_text(band, unit, LANGUAGE)} ({reading.source.citation})",
            "age": {
                "low": {"value": band.ages[0], "unit": "a", "system": UCUM, "code": "a"},
                "high": {"value": band.ages[1], "unit": "a", "system": UCUM, "code": "a"},
            },
        }
        if low is not None:
            reference["low"] = _quantity(low, unit)
        if high is not None:
            reference["high"] = _quantity(high, unit)
        if band.sex != "any":
            reference["appliesTo"] = [{"text": band.sex}]
        observation["referenceRange"] = [reference]
        test = clinical_test(reading.test)
        level = reading.level
        if level is not None:
            # L/N/H as the value sits against the range (a long time is high whether it is good or not).
            above = (level == "worse") == test.lower_is_better
            code = "N" if level == "typical" else ("H" if above else "L")
            display = {"N": "Normal", "H": "High", "L": "Low"}[code]
            observation["interpretation"] = [
                {"coding": [{"system": INTERPRETATION, "code": code, "display": display}], "text": LEVEL_TEXT[level]}
            ]
    notes += [{"text": line} for line in norm_lines(reading, LANGUAGE)[1 if band is not None else 0 :]]


def _components(info: ClinicalResultInfo) -> list[dict[str, Any]]:
    result = info.result
    local = {"system": CLINICAL_TEST_SYSTEM}
    out: list[dict[str, Any]] = []
    if info.correction is not None and result.value is not None:
        out.append(
            {
                "code": {"coding": [{**local, "code": "measured"}], "text": "Measured by the app"},
                "valueQuantity": _quantity(result.value, result.unit),
            }
        )
    if result.stands is not None:
        out.append(
            {
                "code": {"coding": [{**local, "code": "full-stands"}], "text": "Full stands"},
                "valueInteger": result.stands,
            }
        )
    names = {"fifth_stand": "Fifth full stand", "rise_start": "Left the seat", "lift": "Foot lifted"}
    for key, seconds in result.secondary.items():
        out.append(
            {
                "code": {
                    "coding": [{**local, "code": key.replace("_", "-")}],
                    "text": f"{names.get(key, key)} after Go",
                },
                "valueQuantity": _quantity(seconds, "s"),
            }
        )
    for phase in result.phases:
        if phase.name == "out_of_view":
            continue
        out.append(
            {
                "code": {
                    "coding": [{**local, "code": f"phase-{phase.name.replace('_', '-')}"}],
                    "text": PHASES[phase.name],
                },
                "valueQuantity": _quantity(phase.seconds, "s"),
            }
        )
    return out
