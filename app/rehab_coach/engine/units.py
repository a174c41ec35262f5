"""How a template's primary measure reads on screen: angles in degrees; the others (offsets,
distances, displacements) are fractions of the patient's torso length, which mean nothing to a
patient, so they get no number on the patient's screens and "× torso" for the therapist."""

from __future__ import annotations

from dataclasses import dataclass

from rehab_coach.engine.templates import Template
from rehab_coach.i18n import N_, tr  # Qt-free: the core's catalogue

ANGLE_TYPES = ("joint_angle", "segment_angle")
# The bundled templates' primary measures in words; another template's measure reads as its id.
MEASURE_WORDS = {
    "abduction": N_("abduction"),
    "ankle_rise": N_("ankle rise"),
    "elbow": N_("elbow"),
    "flexion": N_("flexion"),
    "foot_lift": N_("foot lift"),
    "hip": N_("hip"),
    "knee": N_("knee"),
    "trunk_lean": N_("trunk lean"),
}


@dataclass(frozen=True)
class MeasureUnits:
    name: str  # the measure in words ("knee", "ankle rise")
    angle: bool
    language: str = "en"

    @property
    def axis_label(self) -> str:
        return f"{self.name} (°)" if self.angle else tr("{0} (× torso length)", self.language, self.name)

    def format(self, value: float) -> str:
        """A value with its unit, for the therapist's eyes (plots, tables)."""
        return f"{value:.0f}°" if self.angle else f"{value:.2f}"

    def for_patient(self, value: float | None) -> str:
        """What the patient sees of a live value: degrees, or nothing for a ratio."""
        return f"{value:.0f}°" if self.angle and value is not None else ""


def primary_units(template: Template, language: str = "en") -> MeasureUnits:
    measure = template.primary.measure
    name = tr(MEASURE_WORDS[measure], language) if measure in MEASURE_WORDS else measure.replace("_", " ")
    return MeasureUnits(name, template.measures[measure].type in ANGLE_TYPES, language)
