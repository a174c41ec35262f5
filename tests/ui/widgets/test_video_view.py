"""The video view: the picture fitted to the view, the skeleton and the primary arc painted, its texts and countdown."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage

from rehab_coach.keypoints.types import Person
from rehab_coach.session.live.step import AngleArc, LiveResult, Overlay
from rehab_coach.ui.shown_frame import ShownFrame
from rehab_coach.ui.style import STATUS, YELLOW
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
