"""How a template's primary measure reads on screen: angles in degrees; the others (offsets,
distances, displacements) are fractions of the patient's torso length, which mean nothing to a
patient, so they get no number on the patient's screens and "× torso" for the therapist."""

from __future__ import annotations

from dataclasses import dataclass

from rehab_coach.engine.templates import Template, load_template_by_id
from rehab_coach.errors import TemplateError
from rehab_coach.i18n import N_, translate  # Qt-free: the core's catalogue

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
EXCURSION_DEGREES = N_("excursion (deg)")
EXCURSION_TORSO_LENGTHS = N_("excursion (× torso length)")


@dataclass(frozen=True)
class MeasureUnits:
    name: str  # the measure in words ("knee", "ankle rise")
    angle: bool
    language: str = "en"

    @property
    def axis_label(self) -> str:
        return f"{self.name} (°)" if self.angle else translate("{0} (× torso length)", self.language, self.name)

    @property
    def excursion_label(self) -> str:
        """The axis of a rep's range (end minus start): in the measure's unit."""
        return translate(EXCURSION_DEGREES if self.angle else EXCURSION_TORSO_LENGTHS, self.language)

    def axis_range(self, values: list[float]) -> tuple[float, float]:
        """A plot's span around `values` (thresholds, curves): room for the whole movement, in the
        measure's own scale (25° for an angle; for a ratio as much again as the values span)."""
        low, high = min(values), max(values)
        margin = 25.0 if self.angle else max(high - low, 0.05)
        return low - margin, high + margin * 1.1

    def format(self, value: float) -> str:
        """A value with its unit, for the therapist's eyes (plots, tables)."""
        return f"{value:.0f}°" if self.angle else f"{value:.2f}"

    def for_patient(self, value: float | None) -> str:
        """What the patient sees of a live value: degrees, or nothing for a ratio."""
        return f"{value:.0f}°" if self.angle and value is not None else ""


def primary_units(template: Template, language: str = "en") -> MeasureUnits:
    return measure_units(template, template.primary.measure, language)


def measure_units(template: Template, measure: str, language: str = "en") -> MeasureUnits:
    """How one of the template's measures reads: an angle in degrees, anything else in torso lengths."""
    name = translate(MEASURE_WORDS[measure], language) if measure in MEASURE_WORDS else measure.replace("_", " ")
    spec = template.measures.get(measure)
    return MeasureUnits(name, spec is None or spec.type in ANGLE_TYPES, language)


def session_units(exercise_id: str, measure: str | None, language: str = "en") -> MeasureUnits:
    """The unit of a stored session's measure (its template's primary when none was stored); an
    exercise no longer in the library reads as an angle, as every session before ratios did."""
    try:
        template = load_template_by_id(exercise_id)
    except TemplateError:
        return MeasureUnits((measure or "").replace("_", " "), True, language)
    return measure_units(template, measure or template.primary.measure, language)
