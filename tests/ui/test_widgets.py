"""Widgets on their own: the overlay painting, plots, cue banner, audio fallbacks, the Qt binding's reference counts."""

from __future__ import annotations

import builtins
import math
import sys
import wave
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QImage

from rehab_coach.engine.types import CueEvent, RepResult
from rehab_coach.keypoints.types import Person
from rehab_coach.session.live.step import AngleArc, LiveResult, Overlay
from rehab_coach.ui import audio
from rehab_coach.ui.shown_frame import ShownFrame
from rehab_coach.ui.style import STATUS, YELLOW
from rehab_coach.ui.widgets.cue_banner import CueBanner
from rehab_coach.ui.widgets.plots import AnglePlot, QualityBars
from rehab_coach.ui.widgets.skeleton import _direction, to_view
from rehab_coach.ui.widgets.video_view import VideoView, fit
from rehab_synth.squat_stream import HEIGHT, WIDTH, squat_keypoints

KNEE_ARC = AngleArc((11, 13, 15), 95.0)  # left hip, knee, ankle


def shown_squat(status: str = "in_range", image: QImage | None = None) -> ShownFrame:
    person = Person.from_keypoints(squat_keypoints(95.0, 20.0))
    overlay = Overlay(highlight=(11, 13, 15), arcs=(KNEE_ARC,), status=status)  # type: ignore[arg-type]
    result = LiveResult(
        t=1.0,
        captured=0.0,
        processed=0.0,
        image=None,
        frame_size=(WIDTH, HEIGHT),
        person=person,
        update=None,
        overlay=overlay,
    )
    return ShownFrame(result, image)


def colours_in(image: QImage) -> set[str]:
    small = image.convertToFormat(QImage.Format.Format_RGB32)
    return {QColor(small.pixel(x, y)).name() for x in range(0, small.width(), 2) for y in range(0, small.height(), 2)}


def test_fit_keeps_the_aspect_ratio() -> None:
    box = fit((1080, 1920), QRectF(0, 0, 800, 600))
    assert box.height() == 600 and box.width() == pytest.approx(337.5) and box.center().x() == 400


def test_keypoints_map_into_the_painted_rectangle() -> None:
    kp = np.zeros((17, 3))
    kp[0] = (320, 240, 0.9)
    kp[1] = (10, 10, 0.1)  # too unsure to draw
    points = to_view(Person.from_keypoints(kp), (640, 480), QRectF(100, 50, 320, 240))
    assert points[0] == QPointF(260, 170) and points[1] is None


def test_arc_angles_follow_qt_conventions() -> None:
    origin = QPointF(0, 0)
    assert _direction(origin, QPointF(10, 0)) == 0
    assert _direction(origin, QPointF(0, -10)) == 90  # screen up is counter-clockwise
    assert math.isclose(abs(_direction(origin, QPointF(-10, 0))), 180)


def test_video_view_paints_skeleton_arc_and_reports_once(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = VideoView()
    qtbot.addWidget(view)
    view.resize(640, 480)
    painted: list[float] = []
    view.painted.connect(painted.append)
    view.show_frame(shown_squat("in_range"))
    picture = view.grab().toImage()
    found = colours_in(picture)
    assert QColor(YELLOW).name() in found  # the exercise's bones
    assert QColor(STATUS["in_range"].colour).name() in found  # the arc says "in range"
    view.grab()
    assert painted == [0.0]  # latency is counted for the first paint of a frame only
    view.show_frame(shown_squat("out_of_range"))
    assert QColor(STATUS["out_of_range"].colour).name() in colours_in(view.grab().toImage())


def test_video_view_draws_the_picture_and_texts(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = VideoView()
    qtbot.addWidget(view)
    view.resize(320, 240)
    image = QImage(WIDTH, HEIGHT, QImage.Format.Format_RGB32)
    image.fill(QColor("#336699"))
    view.show_frame(shown_squat(image=image))
    view.set_big_text("3")
    view.set_hint("Can't see: left knee")
    assert QColor("#336699").name() in colours_in(view.grab().toImage())


def test_angle_plot_keeps_the_last_seconds() -> None:
    plot = AnglePlot(window_seconds=10)
    plot.add_samples([(t / 10, 150.0) for t in range(150)])  # 15 s
    plot.add_samples([(15.0, float("nan"))])  # unseen frames leave a gap, not a line to zero
    x, y = plot.curve.getData()
    assert plot.received == 151 and x[-1] == 0 and x[0] >= -10
    assert plot.visible_samples == len(y) - 1


def test_quality_bars_mark_partial_reps() -> None:
    def rep(index: int, complete: bool) -> RepResult:
        return RepResult(index, 0, 1, complete, None, 50, 100, 170, 70.0, {}, {}, [])

    bars = QualityBars()
    bars.set_reps([rep(1, True), rep(2, False)])
    labels = [label.toPlainText() for label in bars._labels]
    assert labels == ["70", "P"]
    bars.set_reps([])
    assert bars.bars is None and not bars._labels


def test_cue_banner_shows_kind_in_words_and_clears(qtbot) -> None:  # type: ignore[no-untyped-def]
    banner = CueBanner(show_seconds=0.05)
    qtbot.addWidget(banner)
    banner.setProperty("idle_text", "Squat")
    banner.show_cue(CueEvent(1.0, "fault", "trunk_lean", "Keep your chest up", 3))
    assert banner.text == "Keep your chest up" and "CORRECTION" in banner.kind_label.text()
    qtbot.waitUntil(lambda: banner.text == "Squat", timeout=1000)


def test_tone_is_a_short_wav(tmp_path: Path) -> None:
    path = audio.write_tone(tmp_path / "beep.wav", 880.0, seconds=0.1)
    with wave.open(str(path)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate(), wav.getnframes()) == (1, 2, 44100, 4410)


def test_feedback_without_audio_libraries_is_silent(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    real_import = builtins.__import__

    def no_multimedia(name: str, *args: object, **kwargs: object) -> object:
        if name.startswith(("PySide6.QtMultimedia", "PySide6.QtTextToSpeech")):
            raise ImportError(f"{name}: libpulse.so.0: cannot open shared object file")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_multimedia)
    feedback = audio.Feedback("en", enabled=True)
    assert not feedback.has_sound and not feedback.has_speech
    feedback.rep(True)
    feedback.say("Keep your chest up")  # nothing to say it with: skipped, no error
    feedback.set_muted(True)
    assert feedback.describe() == "muted: no sound, no speech"


def test_void_qt_calls_keep_the_reference_count_of_none() -> None:
    """PySide6 6.12 on Python 3.11 dropped a reference to None on every void call, and a live screen
    aborted within seconds ("none_dealloc"); pyproject pins PySide6 below 6.12. A binding with that
    leak fails here (1,000 calls: a clear drop, far from freeing None)."""
    point = QPointF()
    point.setX(1.0)  # warm up: the first call may create cached objects
    before = sys.getrefcount(None)
    for _ in range(1000):
        point.setX(1.0)
        point.setY(2.0)
    assert abs(sys.getrefcount(None) - before) < 50


def test_a_torso_length_plot_labels_its_axis_in_torso_lengths(qapp) -> None:  # type: ignore[no-untyped-def]
    """pyqtgraph's SI prefix scaled 0.04-0.18 by 1000: the heel-raise axis read -100 to 300."""
    from rehab_coach.engine.templates import load_template_by_id
    from rehab_coach.engine.units import primary_units
    from rehab_coach.ui.therapist.theme import themed_plot
    from rehab_coach.ui.widgets.plots import AnglePlot

    template = load_template_by_id("heel_raise")
    live = AnglePlot()
    live.set_thresholds(template.primary, primary_units(template))
    therapist = themed_plot()
    therapist.plot([0.0, 0.5, 1.0], [0.04, 0.16, 0.05])
    for plot in (live, therapist):
        plot.resize(600, 200)
        plot.show()
        qapp.processEvents()
        axis = plot.getAxis("left")
        low, high = plot.viewRange()[1]
        spacing, values = axis.tickValues(low, high, 200)[0]
        labels = [float(text) for text in axis.tickStrings(values, axis.autoSIPrefixScale, spacing)]
        assert labels and all(-0.5 < value < 0.5 for value in labels), labels
    assert "torso length" in live.getAxis("left").labelText


def _grown(mask: np.ndarray, by: int) -> np.ndarray:
    """The mask grown by `by` pixels in every direction (a square neighbourhood)."""
    grown = mask.copy()
    for dy in range(-by, by + 1):
        for dx in range(-by, by + 1):
            grown |= np.roll(mask, (dy, dx), axis=(0, 1))
    return grown


def test_the_countdown_reads_on_a_bright_picture(qtbot) -> None:  # type: ignore[no-untyped-def]
    # The digits were white with a shadow down and right only: on a white wall their top and left
    # edges vanished. Now a dark ring surrounds the digit on every side.
    view = VideoView()
    qtbot.addWidget(view)
    view.resize(640, 480)
    image = QImage(WIDTH, HEIGHT, QImage.Format.Format_RGB32)
    image.fill(QColor("#ffffff"))
    bright = shown_squat(image=image)
    view.show_frame(ShownFrame(replace(bright.result, person=None), image))  # the picture alone
    view.set_big_text("3")
    picture = view.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    pixels = np.frombuffer(picture.constBits(), np.uint8).reshape(picture.height(), picture.bytesPerLine() // 4, 4)
    rgb = pixels[:, : picture.width(), 2::-1].astype(int)
    light = np.abs(rgb - [0xF4, 0xF4, 0xF4]).max(axis=2) <= 2  # the digit's colour
    core = light & ~_grown(~light, 1)  # its inside, not a stray pixel of that colour on an edge
    assert core.sum() > 500
    ring = _grown(core, 5) & ~_grown(core, 3)  # 4-5 pixels out from the digit, past its soft edge
    dark = rgb[ring].max(axis=1) < 100
    assert dark.mean() > 0.95, dark.mean()
