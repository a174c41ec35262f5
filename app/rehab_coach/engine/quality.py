"""The rep quality score, 0-100.

    rom   = clip((rest - extreme) / (rest - goal), 0, 1)     range reached vs range asked
    tempo = 1 inside [tempo_min, tempo_max] seconds, else tempo_min/d or tempo_max/d
    form  = max(0, 1 - sum of the penalties of the faults found in the rep)
    quality = 100 * (w_rom*rom + w_tempo*tempo + w_form*form) / (w_rom + w_tempo + w_form)

`goal` is the template's `ideal` (or `target` when no ideal is set); rest and extreme
are the primary measure's value before the rep and at its deepest point.
"""

from __future__ import annotations

import math
from typing import Literal

from rehab_coach.engine.templates import Template

# The one line between the words a rep's score gets, wherever it is shown (the counter's "Last
# rep", the quality bars, the patient's summary): a rep is "good" only at or above GOOD_QUALITY.
GOOD_QUALITY = 80.0
FAIR_QUALITY = 60.0

Grade = Literal["good", "fair", "poor", "partial"]


def quality_grade(quality: float, complete: bool) -> Grade:
    """The one-word grade of a rep; a partial rep has no quality grade."""
    if not complete:
        return "partial"
    if quality >= GOOD_QUALITY:
        return "good"
    return "fair" if quality >= FAIR_QUALITY else "poor"


def rom_score(rest: float, extreme: float, goal: float) -> float:
    asked = rest - goal
    if not math.isfinite(asked) or asked == 0 or not math.isfinite(extreme):
        return 0.0
    return min(1.0, max(0.0, (rest - extreme) / asked))


def tempo_score(duration: float, low: float, high: float) -> float:
    if duration <= 0:
        return 0.0
    if duration < low:
        return duration / low
    if duration > high:
        return high / duration
    return 1.0


def rep_quality(
    template: Template, rest: float, extreme: float, duration: float, penalties: list[float]
) -> tuple[float, dict[str, float | None]]:
    w = template.quality
    # A range the view could not measure is left out (null), not scored as none reached.
    measured = math.isfinite(rest) and math.isfinite(extreme)
    parts: dict[str, float | None] = {
        "rom": rom_score(rest, extreme, template.primary.goal) if measured else None,
        "tempo": tempo_score(duration, template.rep.tempo_min_seconds, template.rep.tempo_max_seconds),
        "form": max(0.0, 1.0 - sum(penalties)),
    }
    weights = {"rom": w.rom, "tempo": w.tempo, "form": w.form}
    scored = {k: v for k, v in parts.items() if v is not None}
    total = sum(weights[k] * v for k, v in scored.items())
    score = 100.0 * total / sum(weights[k] for k in scored)
    return round(score, 1), {k: round(v, 3) if v is not None else None for k, v in parts.items()}
