"""How a template's primary measure reads on screen: angles in degrees; the others (offsets,
distances, displacements) are fractions of the patient's torso length, which mean nothing to a
patient, so they get no number on the patient's screens and "× torso" for the therapist."""

from __future__ import annotations

from dataclasses import dataclass

from rehab_coach.engine.templates import Template

ANGLE_TYPES = ("joint_angle", "segment_angle")


@dataclass(frozen=True)
class MeasureUnits:
    name: str  # the measure in words ("knee", "ankle rise")
    angle: bool

    @property
    def axis_label(self) -> str:
        return f"{self.name} (°)" if self.angle else f"{self.name} (× torso length)"

    def format(self, value: float) -> str:
        """A value with its unit, for the therapist's eyes (plots, tables)."""
        return f"{value:.0f}°" if self.angle else f"{value:.2f}"

    def for_patient(self, value: float | None) -> str:
        """What the patient sees of a live value: degrees, or nothing for a ratio."""
        return f"{value:.0f}°" if self.angle and value is not None else ""


def primary_units(template: Template) -> MeasureUnits:
    measure = template.primary.measure
    return MeasureUnits(measure.replace("_", " "), template.measures[measure].type in ANGLE_TYPES)
