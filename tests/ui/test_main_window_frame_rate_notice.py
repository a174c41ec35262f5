"""The live window shows the session's too-slow warning on its notice bar, and takes it away on recovery."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rehab_coach.capture.sources import SourceSpec
from rehab_coach.i18n import translate
from rehab_coach.session.live import events as ev
from rehab_coach.session.live.lifecycle import TOO_SLOW_TEXT
from rehab_coach.ui.app import build_window
from rehab_coach.ui.options import LaunchOptions
from rehab_coach.ui.screenshots import ScreenshotTaker
from rehab_synth import generate


def _window(qtbot, squat_stream: Callable[..., Path]):  # type: ignore[no-untyped-def]
    options = LaunchOptions(
        source=SourceSpec("replay", squat_stream(reps=2)), exercise="squat", countdown=0, audio=False
    )
    window = build_window(options)
    qtbot.addWidget(window)
    return window.controller.session, window.live.notice


def test_too_slow_is_a_warning_until_the_rate_recovers(qtbot, squat_stream: Callable[..., Path]) -> None:  # type: ignore[no-untyped-def]
    session, notice = _window(qtbot, squat_stream)
    text = translate(TOO_SLOW_TEXT, "en")
    session._emit(ev.FrameRateLow(5.0, 8.0, text))  # what the session emits on a slow spell
    assert notice.kind == "warning" and notice.label.text().endswith(text) and not notice.isHidden()
    assert notice.open_button.isHidden() and notice.retry_button.isHidden()  # nothing to click: close programs
    session._emit(ev.FrameRateRecovered(30.0))
    assert notice.kind == "" and notice.isHidden()


def test_recovery_leaves_a_camera_warning_that_came_since(qtbot, squat_stream: Callable[..., Path]) -> None:  # type: ignore[no-untyped-def]
    session, notice = _window(qtbot, squat_stream)
    session._emit(ev.FrameRateLow(5.0, 8.0, translate(TOO_SLOW_TEXT, "en")))
    session._emit(ev.Notice("Camera 0 was lost.", "warning"))
    session._emit(ev.FrameRateRecovered(30.0))
    assert notice.label.text().endswith("Camera 0 was lost.") and not notice.isHidden()


def test_a_really_slow_stream_shows_the_notice_whole_and_readable(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A squat stream at 5 frames a second through the real window: the session's own meter raises
    the notice, and it is on screen above the picture, its words unclipped and large; the window's
    screenshots include it."""
    slow = generate("squat", reps=3, seed=4, noise="low", fps=5.0).write(tmp_path / "slow.jsonl")
    shots = tmp_path / "shots"
    options = LaunchOptions(
        source=SourceSpec("replay", slow), exercise="squat", countdown=0, audio=False, screenshots=shots
    )
    window = build_window(options)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    notice = window.live.notice
    qtbot.waitUntil(lambda: notice.kind == "warning" and notice.isVisible(), timeout=30000)
    assert notice.label.text() == "⚠ " + translate(TOO_SLOW_TEXT, "en")
    page = window.live
    top_left = notice.mapTo(page, notice.rect().topLeft())
    assert page.rect().contains(top_left) and notice.width() > 0.9 * page.width()  # across the page
    assert notice.geometry().bottom() < page.video.geometry().top()  # above the picture, not over it
    label = notice.label
    assert label.height() >= label.heightForWidth(label.width())  # every line of it shown
    assert label.font().pointSize() >= 18 and label.font().bold()
    # `gui --screenshots DIR` saves it (scripts/screenshots_coaching.py makes the docs' copy).
    qtbot.waitUntil((shots / "slow-computer-notice.png").is_file, timeout=10000)
    taker = window.findChild(ScreenshotTaker)
    window.controller.finished.disconnect(taker._finished)  # it would quit the application, the tests' too
