"""Offscreen smoke test for issue 19, defect 10 (counts): the Finish question over the live page
says the number on the counter behind it, also when a rep lands while it is asked, and the
counter's grade words come from the same threshold as the summary's."""

from __future__ import annotations

from dataclasses import replace

from rehab_coach.capture.sources import SourceSpec
from rehab_coach.engine.quality import GOOD_QUALITY, quality_grade
from rehab_coach.engine.templates import load_template_by_id
from rehab_coach.engine.types import CueEvent, FrameUpdate, Phase, RangeStatus
from rehab_coach.session.live import events as ev
from rehab_coach.session.live.sets import SetProgress
from rehab_coach.session.store.demo import SQUAT, synthetic_rep
from rehab_coach.ui.app import build_window
from rehab_coach.ui.options import LaunchOptions
from rehab_coach.ui.pages.live import LivePage
from rehab_coach.ui.style import MUTED, STATUS, quality_look


def test_the_finish_question_follows_the_counter(qtbot) -> None:  # type: ignore[no-untyped-def]
    page = LivePage("en")
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    progress = SetProgress(sets=2, reps=10, rest_seconds=30.0)
    page.begin(load_template_by_id("squat"), progress)
    for i in range(1, 11):
        progress.add(synthetic_rep(i, 3.0 * i, SQUAT, 100.0, 2.0, 85.0, []))
    progress.next_set()
    for i in range(1, 6):
        progress.add(synthetic_rep(i, 3.0 * i, SQUAT, 100.0, 2.0, 85.0, []))
        page.show_progress(progress)
    page.ask_finish()
    assert page.reps.count.text() == "5"
    assert page.finish_prompt.message.text().startswith("Set 2 of 2: 5 of 10 reps done.")
    progress.add(synthetic_rep(6, 18.0, SQUAT, 100.0, 2.0, 85.0, []))  # the patient did one more meanwhile
    page.show_progress(progress)
    assert page.reps.count.text() == "6"
    assert page.finish_prompt.message.text().startswith("Set 2 of 2: 6 of 10 reps done.")


def test_the_counters_grade_is_the_summarys_grade(qtbot) -> None:  # type: ignore[no-untyped-def]
    for quality in (40.0, GOOD_QUALITY - 1, GOOD_QUALITY, 100.0):
        assert quality_look(quality, True)[1] == quality_grade(quality, True)


def test_rising_between_reps_reads_neutral_under_the_counter(qtbot) -> None:  # type: ignore[no-untyped-def]
    page = LivePage("en")
    qtbot.addWidget(page)
    page.begin(load_template_by_id("squat"), SetProgress(sets=1, reps=10, rest_seconds=0.0))
    update = FrameUpdate(
        t=1.0,
        person=None,
        visible=True,
        side="left",
        measures={},
        primary_value=150.0,
        primary_status=RangeStatus.OUT_OF_RANGE,
        phase=Phase.ASCENT,
        rep_count=1,
        partial_count=0,
    )
    text, colour = page.status_text(update)
    assert (text, colour) == ("150°", MUTED)  # was "150°  ✗ out of range" in red
    text, colour = page.status_text(replace(update, phase=Phase.DESCENT, primary_status=RangeStatus.ALMOST))
    assert colour == STATUS["almost"].colour


def test_a_withdrawn_correction_leaves_the_banner(qtbot, squat_stream) -> None:  # type: ignore[no-untyped-def]
    window = build_window(
        LaunchOptions(source=SourceSpec("replay", squat_stream(reps=2)), exercise="squat", countdown=0, audio=False)
    )
    qtbot.addWidget(window)
    session, banner = window.controller.session, window.live.banner
    further = CueEvent(3.0, "fault", "short_of_target", "Try to move a little further", 2)
    session._emit(ev.CueShown(further))
    assert banner.cue == further
    session._emit(ev.CueWithdrawn(CueEvent(1.0, "fault", "trunk_lean", "Keep your chest up", 3)))
    assert banner.cue == further  # another cue's withdrawal leaves this one
    session._emit(ev.CueWithdrawn(further))
    assert banner.cue is None and banner.text != further.text
