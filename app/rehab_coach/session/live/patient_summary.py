"""The end of a session in the patient's words: what went well, one thing to work on, the sets done.

No angles, no scores to decode, no timings: those are for the therapist's view. Plain Python
over the session's outcome (the coach's reps, the dosage), so it is tested without a screen.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rehab_coach.engine.fault_words import fault_cue
from rehab_coach.engine.feedback import rep_verdict
from rehab_coach.engine.quality import GOOD_QUALITY
from rehab_coach.i18n import N_, ngettext, translate
from rehab_coach.session.live.outcome import SessionOutcome
from rehab_coach.session.pain_rule import has_risen, is_high

# A partial rep's reason, as advice for next time.
PARTIAL_ADVICE = {
    "shallow": N_("Make each rep as big as your others."),
    "below_minimum": N_(
        "Your therapist has set a minimum depth: go far enough to reach the target, and the rep counts."
    ),
    "too_fast": N_("Take your time: move slowly and with control."),
    "too_slow": N_("Keep each rep flowing: don't stop halfway."),
}


def pain_advice(pain: int | None, language: str, previous: int | None = None) -> str:
    """What to do after a flagged pain answer (session/pain_rule.py: 7 or more, or 2 or more above
    the patient's previous answer `previous`); nothing to add otherwise. The same words on the
    desktop and the kiosk."""
    if is_high(pain):
        return translate(
            "Your pain is high: stop the exercise that hurts, and contact your therapist before you do it again.",
            language,
        )
    if has_risen(pain, previous):
        return translate(
            "Your pain is up from {0} to {1} since last time: stop the exercise that hurts, and contact your "
            "therapist before you do it again.",
            language,
            previous,
            pain,
        )
    return ""


@dataclass(frozen=True)
class PatientSummary:
    headline: str
    went_well: str
    work_on: str
    sets: str


def patient_summary(outcome: SessionOutcome, language: str) -> PatientSummary:
    coach = outcome.coach
    template = coach.template
    reps = coach.reps
    complete = [r for r in reps if r.complete]
    hold = template.hold
    if hold is not None:
        longest = max((r.held_seconds or 0.0 for r in reps), default=0.0)
        headline = translate("Longest hold: {0} of {1} seconds", language, f"{longest:.0f}", f"{hold.seconds:.0f}")
    elif complete:
        headline = _reps_headline(len(complete), sum(1 for r in complete if rep_verdict(r, template).good), language)
    else:
        headline = translate("No complete reps this time.", language)
    return PatientSummary(
        headline, _went_well(outcome, language), _work_on(outcome, language), _sets(outcome, language)
    )


def _reps_headline(complete: int, good: int, language: str) -> str:
    """Only reps whose verdict is good (the counter's grade) are called good: a 40/100 rep is done, not good."""
    if good == complete:
        return translate("{0} good reps. Well done!", language, complete)
    if good:
        return translate("{0} reps done, {1} of them good.", language, complete, good)
    return translate("Reps done: {0}.", language, complete)


def _went_well(outcome: SessionOutcome, language: str) -> str:
    reps = outcome.coach.reps
    complete = [r for r in reps if r.complete]
    if not complete:
        return translate("You made a start, and that counts.", language)
    # Good and with nothing to correct, by the verdict the counter and the cues used.
    template = outcome.coach.template
    clean = [r for r in complete if rep_verdict(r, template).good and not r.faults]
    quality = sum(r.quality for r in complete) / len(complete)
    hold = outcome.coach.template.hold
    if hold is not None and any((r.held_seconds or 0.0) >= hold.seconds for r in complete):
        return translate("You held the position for the full {0} seconds.", language, f"{hold.seconds:.0f}")
    if len(clean) == len(complete):
        return translate("Every rep was done well: no corrections needed.", language)
    if 2 * len(clean) >= len(complete):
        return translate("{0} of {1} reps needed no correction.", language, len(clean), len(complete))
    if quality >= GOOD_QUALITY:
        return translate("Your movements were smooth and controlled.", language)
    return ngettext("You completed {0} rep.", "You completed {0} reps.", len(complete), language).format(len(complete))


def _work_on(outcome: SessionOutcome, language: str) -> str:
    """The correction the reps earned most often (what the patient was told after them); else the
    most frequent fault, a partial rep's reason, a hold too short, or nothing."""
    template = outcome.coach.template
    verdicts = [rep_verdict(r, template) for r in outcome.coach.reps]
    earned = Counter(v.correction for v in verdicts if v.correction is not None)
    if earned:
        correction, count = earned.most_common(1)[0]
        cue = fault_cue(correction, template, language)
        return translate("“{0}” (reminded {1} times)", language, cue, count) if count > 1 else f"“{cue}”"
    faults = outcome.fault_texts(language)
    if faults:
        cue, count = faults[0]
        return translate("“{0}” (reminded {1} times)", language, cue, count) if count > 1 else f"“{cue}”"
    partial = Counter(r.partial_reason for r in outcome.coach.reps if not r.complete and r.partial_reason)
    for reason, _count in partial.most_common():
        if reason in PARTIAL_ADVICE:
            return translate(PARTIAL_ADVICE[reason], language)
    hold = outcome.coach.template.hold
    if hold is not None and not any((r.held_seconds or 0.0) >= hold.seconds for r in outcome.coach.reps):
        return translate("Hold the position a little longer each time.", language)
    return translate("Nothing in particular: keep it up!", language)


def _sets(outcome: SessionOutcome, language: str) -> str:
    planned, done = outcome.sets_planned, outcome.sets_completed
    if done >= planned:
        return (
            translate("The set is done.", language)
            if planned == 1
            else translate("All {0} sets done.", language, planned)
        )
    per_set = outcome.reps_per_set or [0]
    current = len(per_set)
    if per_set[-1] == 0 and current > 1:  # a set started but nothing done in it yet
        current -= 1
    if done == 0 and per_set[0] == 0:
        planned_words = ngettext(
            "No set finished yet: {0} set of {1} is planned.",
            "No set finished yet: {0} sets of {1} are planned.",
            planned,
            language,
        )
        return planned_words.format(planned, outcome.reps_planned)
    text = translate("{0} of {1} sets done.", language, done, planned)
    if per_set[current - 1] < outcome.reps_planned:
        text += " " + translate(
            "Set {0}: {1} of {2} reps.", language, current, per_set[current - 1], outcome.reps_planned
        )
    return text
