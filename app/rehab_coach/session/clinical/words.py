"""A clinical test's result in words: plain ones for the patient, numbers and sources for the therapist.

Every screen, the PDF and the exports say a result through here, so the same result reads the same
everywhere; no key (`five_stands`, `arms_used`) is ever shown. Words for the patient never name a
diagnosis or a risk: "About average for your age", and the therapist reads the cut-offs.
"""

from __future__ import annotations

from rehab_coach.engine.clinical.catalog import ClinicalTest, clinical_test
from rehab_coach.engine.clinical.result import ClinicalResult, EndReason, Flag, PhaseName
from rehab_coach.i18n import N_, _
from rehab_coach.session.clinical.norms import NormBand, NormReading, Sex

ENDED: dict[EndReason, str] = {
    "five_stands": N_("Seated after the fifth stand"),
    "time_up": N_("30 seconds are over"),
    "seated": N_("Seated again"),
    "foot_down": N_("The foot touched down"),
    "support": N_("A hand reached out for support"),
    "ceiling": N_("Held as long as the test asks"),
    "limit": N_("Not finished within the time allowed"),
    "stopped": N_("Stopped before the end"),
}
FLAGS: dict[Flag, str] = {
    "arms_used": N_("Arms used: a hand was down at the thighs or the seat while rising"),
    "left_view": N_("Out of the camera's view for a while"),
    "turn_not_seen": N_("The turn was out of view: its phase is estimated"),
    "never_lifted": N_("No foot came off the floor"),
    "other_leg": N_("Stood on the other leg than asked"),
}
PHASES: dict[PhaseName, str] = {
    "rise": N_("Rise"),
    "walk_out": N_("Walk out"),
    "turn": N_("Turn"),
    "walk_back": N_("Walk back"),
    "sit": N_("Sit down"),
    "out_of_view": N_("Out of view"),
}
SIDES = {"left": N_("left leg"), "right": N_("right leg")}
SEXES: dict[Sex, str] = {"female": N_("women"), "male": N_("men")}


def clinical_name(test_id: str, language: str | None = None) -> str:
    return _(clinical_test(test_id).name, language)


def value_text(value: float | None, unit: str, language: str | None = None) -> str:
    """`12.4 s`, `13 stands`, or a dash when there is no value."""
    if value is None:
        return "–"
    if unit == "stands":
        return _("{0} stands", language).format(f"{value:.0f}")
    return _("{0} s", language).format(f"{value:.1f}")


def result_text(result: ClinicalResult, language: str | None = None) -> str:
    """The result on one line: the value (with the leg for a single-leg stance), or why there is none."""
    side = f"{_(SIDES[result.side], language)}: " if result.side else ""
    if result.value is None:
        return side + _(ENDED[result.ended_by], language)
    return side + value_text(result.value, result.unit, language)


def details_text(result: ClinicalResult, language: str | None = None) -> list[str]:
    """What a therapist reads beside the number: how it ended, the secondary times, phases, flags."""
    lang = language
    lines = [_(ENDED[result.ended_by], lang)]
    if "fifth_stand" in result.secondary:
        lines.append(_("Fifth full stand at {0}", lang).format(value_text(result.secondary["fifth_stand"], "s", lang)))
    if result.test == "chair_stand_30s" and result.stand_times:
        lines.append(_("Full stands: {0}", lang).format(", ".join(f"{s.up:.1f}" for s in result.stand_times)))
    if "rise_start" in result.secondary:
        lines.append(_("Left the seat at {0}", lang).format(value_text(result.secondary["rise_start"], "s", lang)))
    if "lift" in result.secondary:
        lines.append(_("Foot lifted at {0}", lang).format(value_text(result.secondary["lift"], "s", lang)))
    phases = [p for p in result.phases if p.name != "out_of_view"]
    if phases:
        lines.append(", ".join(f"{_(PHASES[p.name], lang)} {p.seconds:.1f} s" for p in phases))
    lines += [_(FLAGS[flag], lang) for flag in result.flags]
    if result.mean_fps is not None:
        lines.append(_("Measured at {0} frames a second", lang).format(f"{result.mean_fps:.0f}"))
    return lines


# ---- against the norms --------------------------------------------------------------------------


def patient_words(test: ClinicalTest, reading: NormReading | None, language: str | None = None) -> str:
    """Plain words for the patient; without a norm, that the therapist will look at the result."""
    lang = language
    if reading is None or reading.level is None or reading.band is None:
        return _("Your therapist will go through your result with you.", lang)
    timed = test.unit == "s" and test.lower_is_better
    if reading.level == "typical":
        if reading.band.kind == "limit":
            return _("About average or better for your age", lang)
        if reading.band.kind == "mean" and reading.band.low is None:
            return _("At or above the average for your age", lang)
        return _("About average for your age", lang)
    if reading.level == "better":
        return _("Faster than average for your age", lang) if timed else _("Above average for your age", lang)
    if timed:
        return _("Slower than average for your age", lang)
    if reading.band.kind == "mean" and reading.band.low is None:
        return _("Below the average for your age", lang)
    return _("Below the usual range for your age", lang)


def band_text(band: NormBand, unit: str, language: str | None = None) -> str:
    """What the band says: "10-15 stands (middle half)", "mean 9.2 s (95 % CI 8.2-10.2)"."""
    lang = language
    if band.kind == "range":
        assert band.low is not None and band.high is not None
        span = f"{band.low:g}-{band.high:g}"
        return _("{0} (middle half of people this age)", lang).format(value_text_span(span, unit, lang))
    if band.kind == "limit":
        if band.high is not None:
            return _("worse than average above {0}", lang).format(value_text(band.high, unit, lang))
        return _("worse than average below {0}", lang).format(value_text(band.low, unit, lang))
    assert band.mean is not None
    if band.low is not None and band.high is not None:
        return _("mean {0} (95 % confidence interval {1}-{2})", lang).format(
            value_text(band.mean, unit, lang), f"{band.low:g}", f"{band.high:g}"
        )
    return _("mean {0}", lang).format(value_text(band.mean, unit, lang))


def value_text_span(span: str, unit: str, language: str | None = None) -> str:
    return _("{0} stands", language).format(span) if unit == "stands" else _("{0} s", language).format(span)


def norm_lines(reading: NormReading | None, language: str | None = None) -> list[str]:
    """For the therapist: the band with its source and group, and each cut-off for the age with its source
    and whether this result is past it; or why there is no norm."""
    lang = language
    if reading is None:
        return []
    test = clinical_test(reading.test)
    lines = []
    if reading.band is not None and reading.source is not None:
        group = _("ages {0}", lang).format(reading.band.age_text)
        if reading.band.sex != "any":
            group = f"{_(SEXES[reading.band.sex], lang)}, {group}"
        lines.append(f"{reading.source.short} ({group}): {band_text(reading.band, test.unit, lang)}")
    else:
        missing = reading.missing
        if missing == "age":
            lines.append(_("No norm shown: the patient's birth year is not in the record", lang))
        elif missing == "sex":
            lines.append(_("No norm shown: this test's norms differ by sex, which is not in the record", lang))
        else:
            lines.append(_("No published norm for age {0} in the tables used", lang).format(reading.age))
    for cut in reading.cutoffs:
        side = (
            _("below {0}", lang).format(value_text(cut.cutoff.value, test.unit, lang))
            if cut.cutoff.flagged == "below"
            else _("{0} or more", lang).format(value_text(cut.cutoff.value, test.unit, lang))
        )
        verdict = _("this result is past it", lang) if cut.past else _("this result is not", lang)
        lines.append(_("{0} cut-off: {1}; {2}", lang).format(cut.source.short, side, verdict))
    return lines
