"""One out-of-view timer in the engine: the cue (what to do) and the hint over the picture (what is not seen)."""

from __future__ import annotations

from rehab_coach.engine.coach import Coach
from rehab_coach.engine.templates import load_template_by_id
from rehab_coach.engine.visibility import VISIBILITY_DELAY_SECONDS, VisibilityWatch, joint_words
from rehab_synth import generate


def test_nothing_is_said_before_the_delay_and_the_words_name_what_is_missing() -> None:
    watch = VisibilityWatch("en", "Step back so your hips, knees and ankles are visible")
    assert watch.update(0.0, True, ["left_knee", "left_ankle", "mid_hip"]) is None
    assert watch.update(VISIBILITY_DELAY_SECONDS - 0.01, True, ["left_knee"]) is None
    notice = watch.update(VISIBILITY_DELAY_SECONDS, True, ["left_knee", "left_ankle", "mid_hip"])
    assert notice is not None and notice.cue_id == "joints_hidden"
    assert notice.hint == "Can't see: left knee, left ankle, hips"
    assert notice.cue == "Step back so your hips, knees and ankles are visible"
    assert watch.update(1.5, True, []) is None  # seen again: the timer starts over
    assert watch.update(2.0, False, []) is None
    nobody = watch.update(3.0, False, [])
    assert nobody is not None and (nobody.cue_id, nobody.cue, nobody.hint) == (
        "not_in_view",
        "Step into the camera view",
        "Step into the camera view",
    )


def test_the_words_follow_the_language() -> None:
    watch = VisibilityWatch("zh")
    watch.update(0.0, True, ["right_wrist"])
    notice = watch.update(1.0, True, ["right_wrist"])
    assert notice is not None and notice.hint == "看不到：右手腕" and notice.cue == "请后退一些，让全身出现在画面中"
    assert joint_words(["left_knee", "left_knee", "mid_ankle"]) == "left knee, ankles"


def test_the_coach_hands_the_hint_to_the_screen_once_the_legs_are_gone_a_second() -> None:
    clip = generate("squat", reps=1, seed=9, noise="none", stand_after=4)
    for frame in clip.frames[-90:]:
        for person in frame.people:
            person.keypoints[13:, 2] = 0.0  # knees and ankles out of the picture
    coach = Coach(load_template_by_id("squat"))
    updates = [coach.process(frame) for frame in clip.frames]
    lost = next(u.t for u in updates if not u.visible)  # once the smoothed joints are gone too
    assert all(u.visibility_hint == "" for u in updates if u.t < lost + VISIBILITY_DELAY_SECONDS - 1e-6)
    later = [u.visibility_hint for u in updates if u.t >= lost + VISIBILITY_DELAY_SECONDS]
    assert later and all(hint == "Can't see: left knee, left ankle" for hint in later)
