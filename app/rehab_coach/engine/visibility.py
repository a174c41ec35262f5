"""Out of view: one timer and one set of words for "we cannot see you".

The coach feeds it every frame. Once the person (or a joint the exercise needs) has been out of
view for `VISIBILITY_DELAY_SECONDS`, it says so twice over: a cue for the banner and the voice
(what to do), and a hint over the picture (what is not seen). The live page only renders the hint.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rehab_coach.i18n import N_, _, translate

VISIBILITY_DELAY_SECONDS = 1.0

# A cue the engine offers, so its text goes through the scheduler's priority and cooldown.
NOBODY_CUE = N_("Step into the camera view")
JOINTS_HIDDEN_CUE = N_("Step back so your whole body is visible")

JOINT_WORDS = {"mid_shoulder": "shoulders", "mid_hip": "hips", "mid_ankle": "ankles"}
# Joint names as the catalogue has them; a side composes with its joint ("left {0}": "left knee").
JOINT_NAMES = (
    N_("nose"),
    N_("eye"),
    N_("ear"),
    N_("shoulder"),
    N_("elbow"),
    N_("wrist"),
    N_("hip"),
    N_("knee"),
    N_("ankle"),
    N_("shoulders"),
    N_("hips"),
    N_("ankles"),
)
SIDE_WORDS = {"left": N_("left {0}"), "right": N_("right {0}")}


def _joint_word(name: str, language: str) -> str:
    english = JOINT_WORDS.get(name, name.replace("_", " "))
    side, _space, joint = english.partition(" ")
    if joint and side in SIDE_WORDS:
        return translate(SIDE_WORDS[side], language, _(joint, language))
    return _(english, language)


def joint_words(names: Sequence[str], language: str = "en") -> str:
    """Point names as the patient reads them ("left knee, hips"), each once, in order."""
    return _(", ", language).join(dict.fromkeys(_joint_word(n, language) for n in names))


def unseen_joints_text(missing: Sequence[str], language: str) -> str:
    """ "Can't see: left knee, hips": the framing check, the paused screen and the hint all say it so."""
    return translate("Can't see: {0}", language, joint_words(missing, language))


def missing_text(person_seen: bool, missing: Sequence[str], language: str) -> str:
    """What is not seen, in words: the hint over the picture."""
    if not person_seen:
        return _(NOBODY_CUE, language)
    return unseen_joints_text(missing, language)


@dataclass(frozen=True)
class VisibilityNotice:
    """Out of view long enough to say so."""

    cue_id: str  # "not_in_view" or "joints_hidden"
    cue: str  # what to do (banner and voice)
    hint: str  # what is not seen (over the picture)


class VisibilityWatch:
    """Times how long the person or a needed joint has been out of view."""

    def __init__(
        self, language: str = "en", joints_cue: str | None = None, delay: float = VISIBILITY_DELAY_SECONDS
    ) -> None:
        self.language, self.delay = language, delay
        # The template's own words for hidden joints, if it has them.
        self.joints_cue = joints_cue or _(JOINTS_HIDDEN_CUE, language)
        self.unseen_since: float | None = None

    def update(self, t: float, person_seen: bool, missing: Sequence[str]) -> VisibilityNotice | None:
        if person_seen and not missing:
            self.unseen_since = None
            return None
        self.unseen_since = t if self.unseen_since is None else self.unseen_since
        if t - self.unseen_since < self.delay:
            return None
        hint = missing_text(person_seen, missing, self.language)
        if not person_seen:
            return VisibilityNotice("not_in_view", _(NOBODY_CUE, self.language), hint)
        return VisibilityNotice("joints_hidden", self.joints_cue, hint)
