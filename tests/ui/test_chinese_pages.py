"""No English left on the patient's screens in Chinese: the kiosk is walked page by page offscreen
(check-in, second factor, program and progress, exercise card, live, "Still there?", Finish,
rest, summary with the check-in) and every text shown is read."""

from __future__ import annotations

import re
from pathlib import Path

import zh_walk
from kiosk_fixtures import pump, seed_kiosk_db, tap
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget
from zh_walk import readable_texts

from rehab_coach.capture.sources import SourceSpec
from rehab_coach.session.store import Store
from rehab_coach.ui.kiosk import KioskWindow
from rehab_coach.ui.options import LaunchOptions
from rehab_synth.squat_stream import SquatPlan, write_squat_stream

# Allowed Latin text: the patients' codes and initials, units and the language button's "English".
ALLOWED = re.compile(r"^(P-\d+|[A-Z][a-z]+ [A-Z]\.|English|s|Borg|CR10)$")
WORD = re.compile(r"[A-Za-z][A-Za-z'\-]+|[A-Za-z]")
# Keys are named as printed on the keyboard: "(Space)", "[Ctrl+Q]" stay as they are.
KEYS = re.compile(r"[\[(](Space|Esc|Enter|Ctrl\+[A-Z]|F11|[A-Z])[\])]")


def english_left(page: QWidget) -> list[str]:
    """Visible texts on `page` with a Latin word that is not allowed."""
    found = []
    for widget in page.findChildren(QLabel) + page.findChildren(QAbstractButton):
        if not widget.isVisibleTo(page):
            continue
        text = re.sub(r"<[^>]+>", " ", widget.text())  # rich text: the tags are no words
        text = KEYS.sub(" ", text)
        text = text.replace("&nbsp;", " ")
        words = [w for w in WORD.findall(text) if not ALLOWED.match(w)]
        names = re.findall(r"P-\d+|[A-Z][a-z]+ [A-Z]\.", text)
        words = [w for w in words if not any(w in n for n in names)]
        if words:
            found.append(f"{type(page).__name__}: {text!r}")
    return found


def test_every_patient_page_of_the_kiosk_is_chinese(qtbot, user_data_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    seed_kiosk_db(user_data_dir / "rehab-coach.db", reps=2, sets=2)
    store = Store(user_data_dir / "rehab-coach.db")
    store.set_checkin_factor(store.patient("P-001").id, "pin", "4321")
    store.close()
    stream = write_squat_stream(tmp_path / "s.jsonl", SquatPlan(reps=4, faults={2: ["trunk_lean"]}))
    window = KioskWindow(
        LaunchOptions(
            source=SourceSpec("replay", stream, speed=2.0),
            countdown=0,
            audio=False,
            kiosk=True,
            language="zh",
            idle_timeout=1.0,
            still_there_seconds=30,
            overrides={},
        )
    )
    window.present()
    leaks: list[str] = []
    try:
        qtbot.waitUntil(lambda: len(window.checkin.buttons) == 2, timeout=5000)
        leaks += english_left(window.checkin)
        tap(window.checkin.buttons[0])
        leaks += english_left(window.factor)
        for digit in "4321":
            tap(window.factor.keys[digit])
        tap(window.factor.keys["OK"])
        qtbot.waitUntil(
            lambda: bool(window.program.buttons) and window.program.progress.progress is not None, timeout=5000
        )
        leaks += english_left(window.program)
        tap(window.program.buttons[0])
        leaks += english_left(window.instructions)
        tap(window.instructions.start_button)
        qtbot.waitUntil(lambda: int(window.live.reps.count.text() or 0) >= 1, timeout=10000)
        leaks += english_left(window.live_page)
        # The angle plot shows in the therapist's view only: read it all the same.
        live_texts = [*readable_texts(window.live_page), *zh_walk.plot_texts(window.live.angle_plot.getPlotItem())]
        assert "膝 (°)" in live_texts  # the plot's texts are read
        leaks += zh_walk.english_left(live_texts, ["Alice Smith"])
        tap(window.live_page.finish_button)
        leaks += english_left(window.live.finish_prompt)
        tap(window.live.finish_prompt.secondary)
        tap(window.live_page.pause_button)
        qtbot.waitUntil(lambda: window.still_there.showing, timeout=5000)
        leaks += english_left(window.still_there)
        leaks += english_left(window.live_page)  # paused
        tap(window.still_there.primary)
        tap(window.live_page.pause_button)
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.rest, timeout=15000)
        leaks += english_left(window.rest)
        tap(window.rest.skip_button)
        tap(window.live_page.finish_button)
        tap(window.live.finish_prompt.primary)
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.summary, timeout=10000)
        qtbot.waitUntil(
            lambda: window.summary.outcome is not None and window.summary.outcome.saved is not None, timeout=5000
        )
        pump(100)
        leaks += english_left(window.summary)
        summary_plot = list(zh_walk.plot_texts(window.summary.chart.getPlotItem()))
        assert "质量" in summary_plot  # the quality chart's axis, read
        leaks += zh_walk.english_left(summary_plot)
        for button in (window.summary.check_in.pain.buttons[2], window.summary.check_in.send_button):
            window.summary.scroll_area.ensureWidgetVisible(button)  # the page scrolls on a small screen
            tap(button)
        qtbot.waitUntil(lambda: "谢谢" in window.summary.check_in.thanks.text(), timeout=5000)
        leaks += english_left(window.summary)
    finally:
        window.locked = False
        window.close()
    assert leaks == [], "\n".join(leaks)


def test_the_desktop_app_in_chinese_has_no_english_left(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QToolButton

    from rehab_coach.ui.app import build_window

    stream = write_squat_stream(tmp_path / "s.jsonl", SquatPlan(reps=2))
    window = build_window(
        LaunchOptions(
            source=SourceSpec("replay", stream, speed=3.0),
            countdown=0,
            audio=False,
            language="zh",
            overrides={"dosage.sets": 1, "dosage.reps": 2},
        )
    )
    qtbot.addWidget(window)
    leaks = [
        f"toolbar: {b.text()!r}"
        for b in window.findChildren(QToolButton)
        if b.isVisible() and [w for w in WORD.findall(KEYS.sub(" ", b.text())) if not ALLOWED.match(w)]
    ]
    leaks += english_left(window.picker)
    window.choose("squat")
    leaks += english_left(window.instructions)
    window.start_session()
    qtbot.waitUntil(lambda: window.live.reps.count.text() == "1", timeout=10000)
    leaks += english_left(window.live)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.summary, timeout=15000)
    qtbot.waitUntil(lambda: window.summary.outcome.saved is not None, timeout=5000)
    leaks += english_left(window.summary)
    assert leaks == [], "\n".join(leaks)
