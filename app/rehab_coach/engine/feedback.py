"""What the patient is told about their movement, decided in one place so no two screens disagree.

- `live_status`: the colour of the live measure (the line under the counter, the joint's arc).
  Between reps (standing, or rising back after the bottom) a value outside the template's range
  is no fault: it is neutral, never a red "out of range".
- `rep_verdict`: a finished rep's grade (`quality_grade`, the one GOOD_QUALITY line) and the one
  correction it earns. A good rep earns none, so "Try to move a little further" never stands
  over "Last rep: 90 good"; a rep below good is told what cost it most, so a rep that reached
  the target and still scored 40 says why. The cue after a rep, the counter's "Last rep", the
  bars' colours and the summary's words all read it.
- `correction_fits`: whether a correction already on screen still fits once another rep is
  counted: only while it is still true of that newer rep.
"""

from __future__ import annotations

from dataclasses import dataclass

from rehab_coach.engine.quality import Grade, quality_grade
from rehab_coach.engine.templates import Template
from rehab_coach.engine.types import CueEvent, Phase, RangeStatus, RepResult
from rehab_coach.i18n import N_

# A whole movement that fell short of the template's target: counted, but its depth is a fault.
SHORT_OF_TARGET = "short_of_target"
SHORT_OF_TARGET_PENALTY = 0.2
SHORT_OF_TARGET_CUE = N_("Try to move a little further")
# A whole movement quicker than the template's min_seconds: counted, and its speed is a fault.
TOO_FAST = "too_fast"
# Not a fault of its own: the correction of a rep whose score was lost to a slow tempo.
TOO_SLOW = "too_slow"
ENGINE_FAULT_PRIORITY = 2  # the engine's own faults rank with a template's depth rule

# The phases between reps: standing, and on the way back up after the bottom.
_BETWEEN_REPS = frozenset({Phase.TOP, Phase.ASCENT})


def live_status(phase: Phase | str, status: RangeStatus | str) -> RangeStatus:
    """The status a screen shows for the live measure: RESTING (neutral) between reps unless the
    patient is at the target; the measure's own status while a rep is under way or in a hold."""
    if phase in _BETWEEN_REPS and status not in (RangeStatus.IN_RANGE, RangeStatus.UNKNOWN):
        return RangeStatus.RESTING
    return RangeStatus(status)


@dataclass(frozen=True)
class RepVerdict:
    """How one rep went, as every screen says it."""

    grade: Grade
    correction: str | None  # the fault id (or TOO_SLOW) to tell the patient after the rep; None: nothing
    priority: int  # the correction's cue priority
    faults: tuple[str, ...]  # the rep's faults: a correction on screen about one of them still fits

    @property
    def good(self) -> bool:
        return self.grade == "good"


def rep_verdict(rep: RepResult, template: Template) -> RepVerdict:
    """The grade of a rep and the one correction it earns: none for a good rep; for another, its
    highest-priority fault (the template's own rule first on a tie), or, with no fault, the part
    of the score it lost most (range: move further; tempo: too fast or too slow)."""
    grade = quality_grade(rep.quality, rep.complete)
    faults = tuple(rep.faults)
    if grade == "good":
        return RepVerdict(grade, None, 0, faults)
    rules = {rule.id: rule.priority for rule in template.rules}
    if faults:
        ranked = sorted(
            enumerate(faults),
            key=lambda item: (-rules.get(item[1], ENGINE_FAULT_PRIORITY), item[1] not in rules, item[0]),
        )
        correction = ranked[0][1]
        return RepVerdict(grade, correction, rules.get(correction, ENGINE_FAULT_PRIORITY), faults)
    if not rep.complete or rep.held_seconds is not None:
        return RepVerdict(grade, None, 0, faults)  # a partial rep says why in its own words; a hold by its ring
    return RepVerdict(grade, _lost_most(rep, template), ENGINE_FAULT_PRIORITY, faults)


def _lost_most(rep: RepResult, template: Template) -> str | None:
    """With no fault to name, the part of the score that cost the rep most: its range or its tempo."""
    weights = template.quality
    parts = rep.quality_parts
    rom, tempo = parts.get("rom"), parts.get("tempo")
    lost_rom = weights.rom * (1.0 - rom) if rom is not None else 0.0
    lost_tempo = weights.tempo * (1.0 - tempo) if tempo is not None else 0.0
    if lost_rom <= 0 and lost_tempo <= 0:
        return None
    if lost_rom >= lost_tempo:
        return SHORT_OF_TARGET
    return TOO_FAST if rep.end_t - rep.start_t < template.rep.tempo_min_seconds else TOO_SLOW


def correction_fits(cue: CueEvent, verdict: RepVerdict) -> bool:
    """Whether a cue on screen may stay once this rep is counted: a correction only while the rep
    is not good and has that fault (or earned that correction); other cues (camera, hold) always."""
    if cue.kind != "fault":
        return True
    return not verdict.good and (cue.id == verdict.correction or cue.id in verdict.faults)
