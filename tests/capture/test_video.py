"""Video files with real OpenCV: timestamps, rotation, container times, files that end early or are no video."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from mp4_boxes import media_timescale, with_frame_durations
from odd_videos import as_phone_stores_it, cut_short, encode, write_video
from rehab_coach.capture.sources import SourceSpec, open_source
from rehab_coach.capture.video import FALLBACK_FPS, FrameClock, VideoSource, container_fps
from rehab_coach.errors import InputError


def upright_frame(index: int, size: tuple[int, int] = (64, 48)) -> np.ndarray:
    """A picture that shows which way is up: dark at the top left, bright at the bottom right."""
    width, height = size
    ramp = np.add.outer(np.linspace(0, 150, height), np.linspace(0, 100, width))
    frame = np.repeat(ramp[:, :, None], 3, axis=2).astype(np.uint8)
    frame[:, :, 0] = index * 10 % 250  # the blue channel counts the frames, in tens
    return frame


def phone_video(path: Path, rotation: int, count: int = 6) -> list[np.ndarray]:
    """A drawn clip as a phone stores it (see odd_videos); returns the upright frames."""
    upright = [upright_frame(i) for i in range(count)]
    as_phone_stores_it(path, upright, rotation)
    return upright


def test_video_properties_and_timestamps(lunge_video: Path) -> None:
    source = VideoSource(lunge_video)
    assert (source.width, source.height, source.fps, source.frame_count) == (1080, 1920, 60.0, 100)
    items = list(source)
    assert len(items) == 100
    times = np.array([t for t, _ in items])
    np.testing.assert_allclose(times, np.arange(100) / 60.0)
    assert all(frame.shape == (1920, 1080, 3) and frame.dtype == np.uint8 for _, frame in items)


def test_video_max_frames_and_restart(tmp_path: Path) -> None:
    source = VideoSource(write_video(tmp_path / "ten.avi", 10), max_frames=4)
    assert len(list(source)) == 4
    assert len(list(source)) == 4  # each iteration starts from the beginning
    assert list(VideoSource(source.path, max_frames=0)) == []


def test_video_loop_keeps_time_increasing(tmp_path: Path) -> None:
    source = VideoSource(write_video(tmp_path / "five.avi", 5, fps=25), loop=True, max_frames=12)
    items = list(source)
    assert len(items) == 12
    times = np.array([t for t, _ in items])
    np.testing.assert_allclose(times, np.arange(12) / 25.0)
    # Frame 5 is frame 0 again.
    np.testing.assert_array_equal(items[5][1], items[0][1])


def test_video_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such video file"):
        VideoSource(tmp_path / "nope.mp4")


def test_video_directory_is_not_a_video(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a file"):
        VideoSource(tmp_path)


def test_video_text_file_renamed_mp4(tmp_path: Path) -> None:
    fake = tmp_path / "notes.mp4"
    fake.write_text("this is not a video\n")
    with pytest.raises(InputError, match="not a video file"):
        VideoSource(fake)


def test_video_with_zero_decodable_frames(tmp_path: Path) -> None:
    empty = write_video(tmp_path / "empty.avi", 0)
    with pytest.raises(InputError, match="no decodable frames"):
        VideoSource(empty)


def test_truncated_video_is_rejected(tmp_path: Path, lunge_video: Path) -> None:
    # This MP4 keeps its index (moov) at the end: cut off, it cannot be opened at all.
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(lunge_video.read_bytes()[:100_000])
    with pytest.raises(InputError):
        VideoSource(cut)


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_phone_video_is_turned_upright(tmp_path: Path, rotation: int) -> None:
    path = tmp_path / "phone.mp4"
    upright = phone_video(path, rotation)
    # What OpenCV gives without being asked: the frames as stored, sideways or upside down.
    cap = cv2.VideoCapture(str(path))
    assert cap.get(cv2.CAP_PROP_ORIENTATION_META) == rotation
    stored = cap.read()[1]
    cap.release()
    assert stored.shape != upright[0].shape or np.abs(stored.astype(int) - upright[0]).mean() > 20

    source = VideoSource(path)
    assert (source.width, source.height, source.rotation) == (64, 48, rotation)
    frames = [frame for _, frame in source]
    assert len(frames) == len(upright)
    for frame, expected in zip(frames, upright, strict=True):
        assert frame.shape == expected.shape
        assert np.abs(frame.astype(int) - expected).mean() < 6  # the codec's loss only
    # The app's "Open video" reads through the same source.
    opened = open_source(SourceSpec("video", path))
    try:
        item = opened.read()
        assert item is not None and np.abs(np.asarray(item[1], dtype=int) - upright[0]).mean() < 6
    finally:
        opened.close()


def test_unrotated_video_reports_no_rotation(tmp_path: Path) -> None:
    source = VideoSource(encode(tmp_path / "plain.mp4", [upright_frame(i) for i in range(3)]))
    assert (source.width, source.height, source.rotation) == (64, 48, 0)


def test_variable_frame_rate_uses_the_container_times(tmp_path: Path) -> None:
    # A phone in dim light: 30 fps, then 10 fps, then 15 fps, then back to 30.
    plain = encode(tmp_path / "plain.mp4", [upright_frame(i) for i in range(24)], fps=30.0)
    scale = media_timescale(plain.read_bytes())
    seconds = [1 / 30] * 6 + [1 / 10] * 6 + [1 / 15] * 6 + [1 / 30] * 6
    durations = [round(s * scale) for s in seconds]
    vfr = tmp_path / "vfr.mp4"
    vfr.write_bytes(with_frame_durations(plain.read_bytes(), durations))
    source = VideoSource(vfr)
    items = list(source)
    times = np.array([t for t, _ in items])
    expected = np.concatenate([[0.0], np.cumsum(durations[:-1]) / scale])
    np.testing.assert_allclose(times, expected, atol=1e-3)
    # Frame index / average rate (17.1 fps) is off by up to 0.15 s here: frame 6 at 0.35 s, not 0.2 s...
    assert np.abs(np.arange(24) / source.fps - times).max() > 0.14
    assert source.frames_timed_by_rate == 0 and not source.ended_early
    # ... and each frame still carries its own picture.
    assert [round(frame[:, :, 0].mean() / 10) for _, frame in items] == list(range(24))


def test_frames_without_container_times_fall_back_to_the_frame_rate() -> None:
    clock = FrameClock(fps=25.0)
    # No time at all (OpenCV says 0), then times, one that goes back, and one that is not a number.
    stamped = [clock.stamp(ms) for ms in (0.0, 0.0, 0.0, 200.0, 240.0, 100.0, float("nan"), 400.0)]
    np.testing.assert_allclose(stamped, [0.0, 0.04, 0.08, 0.2, 0.24, 0.28, 0.32, 0.4])
    assert (clock.from_container, clock.from_rate) == (4, 4)


def test_video_that_ends_early_is_read_to_its_end_and_said(tmp_path: Path) -> None:
    whole = encode(tmp_path / "whole.mp4", [upright_frame(i) for i in range(60)])
    cut = cut_short(tmp_path / "cut.mp4", whole, 25)
    source = VideoSource(cut)
    assert source.frame_count == 60  # what the file's index still promises
    assert source.ended_early_text() is None  # nothing known before reading
    assert len(list(source)) == 25
    assert source.ended_early
    text = source.ended_early_text()
    assert text is not None and "after 25 of the 60 frames" in text and "cut short" in text and str(cut) in text
    complete = VideoSource(whole)
    assert len(list(complete)) == 60 and not complete.ended_early and complete.ended_early_text() is None


def test_max_frames_is_not_a_video_that_ended_early(tmp_path: Path) -> None:
    source = VideoSource(encode(tmp_path / "whole.mp4", [upright_frame(i) for i in range(20)]), max_frames=5)
    assert len(list(source)) == 5 and not source.ended_early


def test_fps_fallback_when_container_reports_none() -> None:
    unopened = cv2.VideoCapture()  # reports fps 0, like containers without a frame rate
    assert container_fps(unopened) == FALLBACK_FPS == 30.0
