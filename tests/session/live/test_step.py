"""The pose + coach step of a live frame (session/live/step.py) and the overlay it draws."""

from __future__ import annotations

import numpy as np
import pytest

from rehab_coach.capture.loop import SourceItem
from rehab_coach.engine.coach import Coach
from rehab_coach.engine.feedback import live_status
from rehab_coach.engine.templates import load_template_by_id
from rehab_coach.keypoints.types import PoseFrame
from rehab_coach.pose.backend import PoseBackend
from rehab_coach.session.live.screen_frames import DISPLAY_MAX, display_image
from rehab_coach.session.live.step import LiveResult, LiveStep, Overlay, overlay_for
from rehab_synth.squat_stream import SquatPlan, squat_frames


def _result(t: float, reps: list[str], cues: list[str]) -> LiveResult:
    return LiveResult(
        t=t,
        captured=t,
        processed=t,
        image=None,
        frame_size=(1, 1),
        person=None,
        update=None,
        overlay=Overlay(),
        samples=[(t, 1.0)],
        new_reps=reps,
        cues=cues,
    )  # type: ignore[arg-type]


def test_a_replaced_frame_hands_over_its_events() -> None:
    older, newer = _result(1.0, ["rep1"], ["cue1"]), _result(2.0, [], ["cue2"])
    newer.absorb(older)
    assert newer.samples == [(1.0, 1.0), (2.0, 1.0)]
    assert newer.new_reps == ["rep1"] and newer.cues == ["cue1", "cue2"]


def _coached_update(exercise: str, seconds: float = 2.0):  # type: ignore[no-untyped-def]
    coach = Coach(load_template_by_id(exercise))
    update = None
    for frame in squat_frames(SquatPlan(reps=1, lead_in=0.5)):
        update = coach.process(frame)
        if frame.t >= seconds:
            break
    return coach, update


def test_overlay_highlights_the_exercise_joints_and_the_primary_arc() -> None:
    coach, update = _coached_update("squat")
    overlay = overlay_for(coach, update)
    side = update.side
    knee, hip, ankle = (coach.measurer.plan.joints_of(f"knee_{side}")[i] for i in range(3))
    assert {knee, hip, ankle} <= set(overlay.highlight)
    assert len(overlay.arcs) == 1
    assert overlay.arcs[0].joints == (knee, hip, ankle)
    assert overlay.arcs[0].value == pytest.approx(update.measures[f"knee_{side}"])
    assert overlay.status == live_status(update.phase, update.primary_status)


def test_standing_between_reps_is_not_drawn_as_an_error() -> None:
    from dataclasses import replace

    coach, update = _coached_update("squat")
    standing = replace(update, phase="top", primary_status="out_of_range")
    assert overlay_for(coach, standing).status == "resting"
    rising = replace(update, phase="ascent", primary_status="out_of_range")
    assert overlay_for(coach, rising).status == "resting"  # back up after the bottom: between reps too
    descending = replace(update, phase="descent", primary_status="out_of_range")
    assert overlay_for(coach, descending).status == "out_of_range"  # mid-rep, short of the target: still shown


def test_overlay_of_a_two_sided_exercise_has_an_arc_per_leg() -> None:
    coach, update = _coached_update("lunge")
    assert len(overlay_for(coach, update).arcs) == 2
    assert overlay_for(coach, None, "left").arcs == ()  # preview: joints only, no values


class FakeBackend(PoseBackend):
    name = "fake"

    def __init__(self) -> None:
        self.calls = 0

    def infer(self, frame_bgr: np.ndarray, t: float) -> PoseFrame:
        self.calls += 1
        return PoseFrame(t=t, people=[], width=frame_bgr.shape[1], height=frame_bgr.shape[0])


def test_step_loads_a_model_only_for_images_and_shrinks_big_frames() -> None:
    created: list[FakeBackend] = []

    def factory() -> FakeBackend:
        created.append(FakeBackend())
        return created[-1]

    step = LiveStep(Coach(load_template_by_id("squat")), factory)
    pose = squat_frames(SquatPlan(reps=1))[0]
    replayed = step(SourceItem(t=0.0, captured=0.0, pose=pose), coaching=True)
    assert not created and replayed.image is None and replayed.person is not None
    assert replayed.update is not None and replayed.samples
    big = np.zeros((1920, 1080, 3), np.uint8)
    shown = step(SourceItem(t=0.1, captured=0.0, image=big), coaching=False)
    assert len(created) == 1 and created[0].calls == 1
    assert shown.update is None and shown.samples == []  # preview: the coach saw nothing
    assert shown.frame_size == (1080, 1920)  # keypoints stay in source pixels
    assert shown.image.shape[0] <= DISPLAY_MAX[1] and shown.image.shape[1] <= DISPLAY_MAX[0]
    assert display_image(np.zeros((480, 640, 3), np.uint8)).shape == (480, 640, 3)
