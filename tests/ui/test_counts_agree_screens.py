"""Offscreen smoke test for issue 19, defect 10 (counts): the Finish question over the live page
says the number on the counter behind it, also when a rep lands while it is asked, and the
counter's grade words come from the same threshold as the summary's."""

from __future__ import annotations

from rehab_coach.engine.quality import GOOD_QUALITY, quality_grade
from rehab_coach.engine.templates import load_template_by_id
from rehab_coach.session.live.sets import SetProgress
from rehab_coach.session.store.demo import SQUAT, synthetic_rep
from rehab_coach.ui.pages.live import LivePage
from rehab_coach.ui.style import quality_look


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
