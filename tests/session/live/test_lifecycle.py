"""The live session's lifecycle without Qt, threads or waits: the real `LiveSession` and coach over
synthetic keypoints, on a simulated clock (countdown, sets and rest, pauses, the watchdogs, recording)."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pytest
from live_harness import CAMERA, REPLAY, Harness, make_harness

from rehab_coach.capture.sources import SourceSpec
from rehab_coach.engine.feedback import rep_verdict
from rehab_coach.engine.templates import load_template_by_id
from rehab_coach.keypoints.types import KeyPoints, Person, PoseFrame
from rehab_coach.session.live import events as ev
from rehab_coach.session.live import watchdogs
from rehab_coach.session.live.events import SessionSettings, SessionState
from rehab_coach.session.live.headless import HeadlessPipeline, SimulatedClock, replay
from rehab_coach.session.live.lifecycle import LiveSession
from rehab_coach.session.live.store_thread import StoreThread
from rehab_coach.session.store import Store
from rehab_synth import generate
from rehab_synth.squat_stream import SquatPlan, squat_frames

S = SessionState


def squats(reps: int, **plan: float) -> list[PoseFrame]:
    return squat_frames(SquatPlan(reps=reps, **plan))  # type: ignore[arg-type]


def nobody(frames: list[PoseFrame]) -> list[PoseFrame]:
    return [replace(f, keypoints=KeyPoints.empty()) for f in frames]


def hidden_legs(frame: PoseFrame) -> PoseFrame:
    """The frame with the knees and ankles unseen."""
    keypoints = frame.people[0].keypoints.copy()
    keypoints[[13, 14, 15, 16], 2] = 0.0
    return replace(frame, keypoints=KeyPoints.from_people([Person.from_keypoints(keypoints)]))


def test_the_countdown_counts_seconds_of_the_clock_then_the_set_runs() -> None:
    h = make_harness(countdown=3)
    h.start(**{"dosage.sets": 1, "dosage.reps": 3})
    assert h.session.state == S.COUNTDOWN and h.session.state == "countdown"  # a StrEnum
    assert h.pipeline.file_paused and not h.pipeline.coaching  # the file waits, nothing is coached
    h.wait(0.9)
    assert [e.seconds_left for e in h.of(ev.CountdownTick)] == [3]
    h.wait(0.2)
    assert [e.seconds_left for e in h.of(ev.CountdownTick)] == [3, 2]
    assert h.of(ev.Prompt)[-1].big_text == "2"
    h.wait(2.0)
    assert h.session.state == S.RUNNING and h.pipeline.coaching and not h.pipeline.file_paused
    assert h.of(ev.Prompt)[-1] == ev.Prompt(big_text="", banner="")
    assert [(e.previous, e.state) for e in h.of(ev.StateChanged)] == [(S.IDLE, S.COUNTDOWN), (S.COUNTDOWN, S.RUNNING)]


def test_two_sets_with_a_rest_between_then_the_session_finishes_by_itself() -> None:
    h = make_harness()
    h.start(**{"dosage.sets": 2, "dosage.reps": 2, "dosage.rest_seconds": 30})
    frames = squats(4, pause=0.8)
    fed = h.feed(frames)
    assert h.session.state == S.RESTING and fed < len(frames)  # the file is held during the rest
    [rest] = h.of(ev.RestStarted)
    assert (rest.seconds, rest.next_set, rest.sets) == (30, 2, 2) and rest.text.startswith("Set 1: 2 reps")
    assert h.pipeline.file_paused and not h.pipeline.coaching
    h.session.end_rest()
    assert h.session.state == S.RUNNING and h.of(ev.SetStarted)[-1].progress.set_index == 2
    h.feed(frames[fed:])
    assert h.session.state == S.DONE
    [finished] = h.of(ev.SessionFinished)
    outcome = finished.outcome
    assert outcome.status == "completed" and outcome.reps_per_set == [2, 2] and outcome.sets_completed == 2
    assert finished.saving is None  # no recorder
    assert [e.rep.complete for e in h.of(ev.RepCounted)] == [True] * 4
    assert "rest" in h.log


def test_finishing_early_keeps_the_reps_and_says_stopped() -> None:
    h = make_harness()
    h.start(**{"dosage.sets": 2, "dosage.reps": 5})
    h.feed(squats(2))
    h.session.finish()
    outcome = h.of(ev.SessionFinished)[-1].outcome
    assert h.session.state == S.DONE and outcome.status == "stopped" and outcome.reps_per_set == [2]
    h.session.finish()  # a second Finish does nothing
    assert len(h.of(ev.SessionFinished)) == 1


def test_pause_holds_the_file_and_resume_counts_down_again() -> None:
    h = make_harness(countdown=2)
    h.start(**{"dosage.sets": 1, "dosage.reps": 5})
    h.wait(2.0)
    frames = squats(3)
    fed = h.feed(frames[:60])
    h.session.toggle_pause()
    assert h.session.state == S.PAUSED and h.pipeline.file_paused and not h.pipeline.coaching
    assert h.of(ev.Prompt)[-1].big_text == "Paused\nPress Space to continue"
    assert h.feed(frames[fed:]) == 0  # held: no frame comes
    h.session.toggle_pause()
    assert h.session.state == S.COUNTDOWN
    h.wait(2.0)
    assert h.session.state == S.RUNNING
    h.feed(frames[fed:])
    assert h.session.coach is not None and h.session.coach.rep_count == 3
    assert [kind for kind in h.log if kind in ("paused", "resumed")] == ["paused", "resumed"]


def test_the_kiosk_says_tap_instead_of_press() -> None:
    h = make_harness(kiosk=True)
    h.start()
    h.session.toggle_pause()
    assert h.of(ev.Prompt)[-1].big_text == "Paused\nTap Resume to continue"


def test_nobody_in_view_for_a_second_pauses_by_itself_and_the_return_goes_on() -> None:
    h = make_harness()
    h.start(**{"dosage.sets": 1, "dosage.reps": 10})
    frames = squats(3, lead_in=1.0, pause=2.0)
    h.feed(frames[:40])
    h.feed(nobody(frames[40:60]))  # 0.67 s: not yet
    assert h.session.state == S.RUNNING
    h.feed(nobody(frames[60:75]))  # past a second
    assert h.session.state == S.AWAY and h.pipeline.coaching  # frames still reach the coach: the return is seen
    assert h.of(ev.Prompt)[-1].big_text == "Paused\nStep back into view to continue"
    assert h.session.events[-1]["kind"] == "away" and h.session.events[-1]["detail"] == "nobody in view"
    h.feed(frames[75:95])  # back for 0.67 s
    assert h.session.state == S.AWAY
    h.feed(frames[95:])
    assert h.session.state == S.RUNNING and "back" in h.log


@pytest.mark.parametrize("hide_legs", [False, True], ids=["person leaves", "legs vanish"])
def test_a_rep_cut_off_by_an_absence_is_dropped_and_the_reps_around_it_count(hide_legs: bool) -> None:
    """Rep 2 of 3 is cut off at its bottom by 2 s out of view: the session pauses and goes on once,
    reps 1 and 3 count whole, and no partial fragment is left to be stored."""
    plan = SquatPlan(reps=3, lead_in=1.0, pause=2.0)
    bottom = plan.lead_in + plan.rep_seconds + plan.down
    out_of_view = hidden_legs if hide_legs else (lambda frame: nobody([frame])[0])
    frames = [out_of_view(f) if bottom <= f.t < bottom + 2 else f for f in squat_frames(plan)]
    h = make_harness()
    h.start(**{"dosage.sets": 1, "dosage.reps": 5})
    h.feed(frames)
    coach = h.session.coach
    assert coach is not None and (coach.rep_count, coach.partial_count) == (2, 0)
    assert [kind for kind in h.log if kind in ("away", "back")] == ["away", "back"]
    back = next(e["at"] for e in h.session.events if e["kind"] == "back")
    assert coach.reps[1].start_t > back  # the rep after the return, not the cut-off one


def test_a_pause_while_away_is_not_ended_by_the_return() -> None:
    """The patient pauses while out of view; stepping back in (a camera goes on streaming) leaves it paused."""
    h = make_harness()
    h.start(CAMERA, **{"dosage.sets": 1, "dosage.reps": 10})
    frames = squats(3, lead_in=1.0, pause=2.0)
    h.feed(frames[:40])
    h.feed(nobody(frames[40:75]))
    assert h.session.state == S.AWAY
    h.session.toggle_pause()
    h.feed(frames[75:])  # back in view
    assert h.session.state == S.PAUSED and not h.pipeline.coaching
    assert [kind for kind in h.log if kind in ("away", "paused", "back", "resumed")] == ["away", "paused"]


def test_hidden_legs_pause_and_name_the_joints() -> None:
    h = make_harness()
    h.start(**{"dosage.sets": 1, "dosage.reps": 10})
    frames = squats(2)
    h.feed([hidden_legs(frame) for frame in frames[:60]])
    assert h.session.state == S.AWAY
    big = h.of(ev.Prompt)[-1].big_text
    assert big is not None and big.startswith("Paused\nCan't see:") and "knee" in big and "ankle" in big


def side_then_front(*parts: tuple[str, int]) -> list[PoseFrame]:
    frames: list[PoseFrame] = []
    offset = 0.0
    for view, reps in parts:
        clip = generate("squat", reps=reps, view=view, seed=3)
        frames += [replace(f, t=f.t + offset) for f in clip.frames]
        offset = frames[-1].t + 1 / clip.fps
    return frames


def test_the_framing_check_runs_on_a_camera_and_lets_the_set_start_when_side_on() -> None:
    h = make_harness(framing_check=None)
    h.start(CAMERA, **{"dosage.sets": 1, "dosage.reps": 10})
    assert h.session.state == S.FRAMING and not h.pipeline.file_paused and not h.pipeline.coaching
    assert h.of(ev.Prompt)[-1].banner == "Framing check" and h.of(ev.FramingShown)[-1].state is not None
    h.feed(side_then_front(("side", 3))[:90])
    assert h.session.state == S.RUNNING and "framing_ok" in h.log
    assert h.of(ev.FramingShown)[-1].state is None
    assert h.session.coach is not None and h.session.coach.frames < 90  # nothing was coached during the check


def test_facing_the_camera_for_a_side_view_exercise_holds_the_set_and_counts_nothing() -> None:
    """Squats in front of the camera during the check: none is coached; the check says which side to
    turn; the therapist's skip starts the set anyway."""
    h = make_harness(framing_check=True)
    h.start(**{"dosage.sets": 1, "dosage.reps": 10})
    h.feed(side_then_front(("front", 6)))
    assert h.session.state == S.FRAMING and h.session.coach is not None and h.session.coach.frames == 0
    shown = h.of(ev.FramingShown)[-1].state
    assert shown is not None and not shown.ready and (shown.wanted_view, shown.turn_side) == ("side", "left")
    assert not any(isinstance(e, ev.CueShown | ev.RepCounted) for e in h.events)
    h.session.skip_framing()
    assert h.session.state == S.RUNNING and "framing_skipped" in h.log and "framing_ok" not in h.log


def test_a_recording_skips_the_framing_check_by_default_and_skip_works_on_a_camera() -> None:
    h = make_harness(framing_check=None)
    h.start(REPLAY)
    assert h.session.state == S.RUNNING
    h = make_harness(framing_check=None)
    h.start(CAMERA)
    h.session.skip_framing()
    assert h.session.state == S.RUNNING and "framing_skipped" in h.log


def test_turning_to_face_the_camera_pauses_scoring_until_side_on_again() -> None:
    h = make_harness(framing_check=True)
    h.start(**{"dosage.sets": 1, "dosage.reps": 20})
    h.session.skip_framing()
    frames = side_then_front(("side", 2), ("front", 3), ("side", 3))
    fed = 0
    for index, frame in enumerate(frames):
        if h.feed([frame]) and h.session.state == S.TURNED:
            fed = index
            break
    assert h.session.state == S.TURNED and "turned" in h.log
    assert h.of(ev.Prompt)[-1].banner == "Turn your left side to the camera"
    assert not h.pipeline.coaching and not h.pipeline.file_paused  # a file keeps moving so the turn back is seen
    coach = h.session.coach
    assert coach is not None
    counted, coached = coach.rep_count, coach.frames
    h.feed(frames[fed + 1 : fed + 60])
    assert h.session.state == S.TURNED and (coach.rep_count, coach.frames) == (counted, coached)
    h.feed(frames[fed + 60 :])
    assert "view_back" in h.log and coach.rep_count > counted


def test_a_crashed_pipeline_is_restarted_with_the_same_coach_and_reps() -> None:
    h = make_harness()
    h.start(**{"dosage.sets": 1, "dosage.reps": 10})
    h.feed(squats(2))
    coach = h.session.coach
    h.session.on_crashed("ValueError: bad frame")
    h.session.on_pipeline_stopped()
    assert h.pipeline.starts == 2 and h.pipeline.coach is coach and h.session.state == S.RUNNING
    assert h.pipeline.coaching and not h.pipeline.file_paused  # the new worker goes on coaching
    notice = h.of(ev.Notice)[-1]
    assert notice.kind == "info" and notice.transient and "restarted" in notice.text
    assert h.log[-2:] == ["worker_crashed", "worker_restarted"]
    h.feed(squats(1))
    assert coach is not None and coach.rep_count == 3


def test_too_many_crashes_in_a_minute_end_the_session_but_spread_out_ones_do_not() -> None:
    h = make_harness()
    h.start(**{"dosage.sets": 1, "dosage.reps": 10})
    for _ in range(watchdogs.MAX_RESTARTS):
        h.session.on_crashed("boom")
        h.session.on_pipeline_stopped()
        h.wait(watchdogs.RESTART_WINDOW + 1)  # a minute apart: never too many
    assert h.session.state == S.RUNNING and h.pipeline.starts == 1 + watchdogs.MAX_RESTARTS
    for _ in range(watchdogs.MAX_RESTARTS + 1):
        h.session.on_crashed("boom")
        h.session.on_pipeline_stopped()
    assert h.session.state == S.DONE and "worker_given_up" in h.log
    assert h.of(ev.Notice)[-1].kind == "error" and len(h.of(ev.SessionFinished)) == 1


def test_a_silent_camera_is_reopened_after_the_stall_time_but_not_while_reported_lost() -> None:
    h = make_harness()
    h.start(CAMERA)
    h.session.on_backend("test backend")
    h.feed(squats(1)[:10])
    h.wait(watchdogs.STALL_SECONDS - 0.2)
    assert h.pipeline.switches == []
    h.wait(0.4)
    assert h.pipeline.switches == [CAMERA] and "source_stalled" in h.log
    h.session.on_source_status("lost", "Camera 0 disconnected.")
    assert h.of(ev.Notice)[-1] == ev.Notice(
        "Camera 0 disconnected. Retrying every second; your session so far is kept.", "warning", retry=True
    )
    h.wait(3 * watchdogs.STALL_SECONDS)
    assert h.pipeline.switches == [CAMERA]  # the capture loop is already retrying


def test_a_file_never_stalls_and_its_end_finishes_the_session() -> None:
    h = make_harness()
    h.start(REPLAY)
    h.wait(3 * watchdogs.STALL_SECONDS)
    assert h.pipeline.switches == []
    h.session.on_stream_ended()
    assert h.session.state == S.DONE


def test_a_switched_source_goes_on_with_the_same_session() -> None:
    h = make_harness()
    h.start(CAMERA)
    video = SourceSpec("video", Path("exercise.mp4"))
    h.session.switch_source(video)
    assert h.pipeline.switches == [video] and h.session.spec == video
    assert h.of(ev.Notice)[-1].text == "Switched to video exercise.mp4"
    h.session.finish()
    assert h.of(ev.SessionFinished)[-1].outcome.source == video


def test_every_rep_cue_and_set_is_recorded_in_a_real_database(tmp_path: Path) -> None:
    store = StoreThread(tmp_path / "sessions.db", delay=0.0)
    try:
        h = make_harness(recorder=store)
        h.start(**{"dosage.sets": 2, "dosage.reps": 2, "dosage.rest_seconds": 5})
        frames = squats(4, faults={2: ["trunk_lean"]})  # type: ignore[arg-type]
        fed = h.feed(frames)
        h.session.end_rest()
        h.feed(frames[fed:])
        uid = h.saved_uid()
    finally:
        store.close()
    db = Store(tmp_path / "sessions.db")
    try:
        detail = db.session_detail(uid)
    finally:
        db.close()
    assert detail.session.status == "completed"
    assert [r.complete for r in detail.reps] == [True] * 4
    assert sorted({r.set_number for r in detail.reps}) == [1, 2]
    assert len(detail.cues) == len(h.of(ev.CueShown)) > 0
    assert [e["kind"] for e in detail.session.summary["live"]["events"]] == h.log


def test_a_sixty_second_replay_runs_on_simulated_time() -> None:
    plan = SquatPlan(reps=19)
    frames = squat_frames(plan)
    assert frames[-1].t >= 60.0
    template = load_template_by_id("squat", {"dosage.sets": 1, "dosage.reps": 19})
    clock = SimulatedClock()
    pipeline = HeadlessPipeline()
    session = LiveSession(pipeline, settings=SessionSettings(countdown=3), clock=clock)
    finished: list[ev.SessionFinished] = []
    session.subscribe(lambda event: finished.append(event) if isinstance(event, ev.SessionFinished) else None)
    started = time.perf_counter()
    session.start(template, REPLAY)
    replay(session, pipeline, clock, frames)
    elapsed = time.perf_counter() - started
    print(f"\n{frames[-1].t:.1f} s session ({len(frames)} frames) replayed in {elapsed * 1000:.0f} ms")
    [end] = finished
    assert session.state == S.DONE and end.outcome.status == "completed" and end.outcome.reps_per_set == [19]
    assert clock.now >= 3.0  # the countdown ran on the simulated clock, before the first frame went through


@pytest.mark.parametrize("state", [S.IDLE, S.DONE])
def test_user_actions_outside_a_session_do_nothing(state: SessionState) -> None:
    h: Harness = make_harness()
    if state == S.DONE:
        h.start()
        h.session.finish()
    count = len(h.events)
    h.session.toggle_pause()
    h.session.skip_framing()
    h.session.end_rest()
    h.session.finish()
    h.session.switch_source(CAMERA)
    assert h.session.state == state and len(h.events) == count


def test_a_correction_on_screen_goes_when_a_good_rep_is_counted() -> None:
    # Rep 1 pushes the knee past the toes and stops shallow (fair); the next ones are good. The
    # correction said during rep 1 stays beside it, and goes as rep 2 lands: it stood over
    # "Last rep: 100 good" until the banner's own timer ran out.
    h = make_harness()
    h.start(**{"dosage.sets": 1, "dosage.reps": 3})
    frames = generate("squat", reps=3, seed=4, noise="low", faults={0: ["shallow", "knee_past_toes"]}, rest=0.5).frames
    h.feed(frames)
    order = [e for e in h.events if isinstance(e, ev.CueShown | ev.CueWithdrawn | ev.RepCounted)]
    shown = next(i for i, e in enumerate(order) if isinstance(e, ev.CueShown) and e.cue.id == "knee_past_toes")
    reps = [i for i, e in enumerate(order) if isinstance(e, ev.RepCounted)]
    first, second = order[reps[0]].rep, order[reps[1]].rep
    assert shown < reps[0] and not rep_verdict(first, h.session.coach.template).good
    assert rep_verdict(second, h.session.coach.template).good
    withdrawn = [i for i, e in enumerate(order) if isinstance(e, ev.CueWithdrawn)]
    assert withdrawn == [reps[1] + 1] and order[withdrawn[0]].cue == order[shown].cue
