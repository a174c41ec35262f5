"""Out of view: one timer and one set of words for "we cannot see you".

The coach feeds it every frame. Once the person (or a joint the exercise needs) has been out of
view for `VISIBILITY_DELAY_SECONDS`, it says so twice over: a cue for the banner and the voice
(what to do), and a hint over the picture (what is not seen). The live page only renders the hint.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rehab_coach.i18n import tr

VISIBILITY_DELAY_SECONDS = 1.0

# A cue the engine offers, so its text goes through the scheduler's priority and cooldown.
NOBODY_CUE = "Step into the camera view"
JOINTS_HIDDEN_CUE = {"en": "Step back so your whole body is visible", "zh": "请后退一些，让全身出现在画面中"}

JOINT_WORDS = {"mid_shoulder": "shoulders", "mid_hip": "hips", "mid_ankle": "ankles"}
_ZH_SIDES = {"left": "左", "right": "右"}
_ZH_JOINTS = {
    "nose": "鼻子",
    "eye": "眼睛",
    "ear": "耳朵",
    "shoulder": "肩",
    "elbow": "肘",
    "wrist": "手腕",
    "hip": "髋",
    "knee": "膝",
    "ankle": "脚踝",
    "shoulders": "双肩",
    "hips": "双髋",
    "ankles": "双脚踝",
}


def _joint_word(name: str, language: str) -> str:
    english = JOINT_WORDS.get(name, name.replace("_", " "))
    if language != "zh":
        return english
    side, _, joint = english.partition(" ")
    if joint and side in _ZH_SIDES:
        return _ZH_SIDES[side] + _ZH_JOINTS.get(joint, joint)
    return _ZH_JOINTS.get(english, english)


def joint_words(names: Sequence[str], language: str = "en") -> str:
    """Point names as the patient reads them ("left knee, hips"), each once, in order."""
    return ("、" if language == "zh" else ", ").join(dict.fromkeys(_joint_word(n, language) for n in names))


def missing_text(person_seen: bool, missing: Sequence[str], language: str) -> str:
    """What is not seen, in words: the hint over the picture."""
    if not person_seen:
        return tr(NOBODY_CUE, language)
    return tr("Can't see: {0}", language, joint_words(missing, language))


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
        self.joints_cue = joints_cue or JOINTS_HIDDEN_CUE.get(language, JOINTS_HIDDEN_CUE["en"])
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
            return VisibilityNotice("not_in_view", tr(NOBODY_CUE, self.language), hint)
        return VisibilityNotice("joints_hidden", self.joints_cue, hint)
