"""BlazePose through the real mediapipe on real footage."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pytest

from rehab_coach.capture.video import VideoSource
from rehab_coach.errors import BackendUnavailable
from rehab_coach.keypoints.types import KEYPOINT_INDEX, PoseFrame
from rehab_coach.pose.backend import create_backend
from rehab_coach.pose.blazepose import BlazePoseBackend, keypoints_bbox, landmarks_to_keypoints

J = KEYPOINT_INDEX
CONFIDENT = 0.5


@pytest.fixture(scope="module")
def lunge_frames(lunge_video: Path) -> tuple[list[PoseFrame], float]:
    """Every frame of the lunge clip through one backend, and the mean inference time in ms."""
    frames, elapsed = [], 0.0
    with BlazePoseBackend() as backend:
        for t, image in VideoSource(lunge_video):
            start = time.perf_counter()
            frames.append(backend.infer(image, t))
            elapsed += time.perf_counter() - start
    return frames, 1000 * elapsed / len(frames)


def _pairs_below(frames: list[PoseFrame], upper: tuple[str, str], lower: tuple[str, str]) -> float:
    """Share of frames where the mean y of `lower` joints is below (greater than) the `upper` joints."""
    kps = np.stack([f.people[0].keypoints for f in frames])
    up = kps[:, [J[n] for n in upper], 1].mean(axis=1)
    low = kps[:, [J[n] for n in lower], 1].mean(axis=1)
    return float(np.mean(low > up))


@pytest.mark.slow
def test_finds_the_person_in_the_lunge_clip(lunge_frames: tuple[list[PoseFrame], float]) -> None:
    frames, ms = lunge_frames
    assert len(frames) == 100
    seen = [f for f in frames if f.people]
    assert len(seen) >= 95
    assert all(len(f.people) == 1 for f in seen)  # BlazePose is single-person
    print(f"BlazePose: {len(seen)}/100 frames, {ms:.1f} ms/frame")


@pytest.mark.slow
def test_keypoints_are_in_original_frame_pixels(lunge_frames: tuple[list[PoseFrame], float]) -> None:
    frames, _ = lunge_frames
    seen = [f for f in frames if f.people]
    assert all((f.width, f.height) == (1080, 1920) for f in frames)
    kps = np.stack([f.people[0].keypoints for f in seen])
    confident = kps[..., 2] >= CONFIDENT
    assert confident.mean() > 0.8
    xs, ys = kps[..., 0][confident], kps[..., 1][confident]
    assert np.all((xs >= 0) & (xs < 1080) & (ys >= 0) & (ys < 1920))
    # Pixels, not normalised [0, 1] coordinates: a full-body person spans hundreds of pixels.
    heights = np.array([f.people[0].bbox[3] - f.people[0].bbox[1] for f in seen])
    assert np.median(heights) > 400
    for f in seen:
        person = f.people[0]
        assert person.bbox[0] <= person.bbox[2] and person.bbox[1] <= person.bbox[3]
        assert 0.0 <= person.score <= 1.0


@pytest.mark.slow
def test_plausible_body_geometry(lunge_frames: tuple[list[PoseFrame], float]) -> None:
    frames, _ = lunge_frames
    seen = [f for f in frames if f.people]
    assert _pairs_below(seen, ("left_shoulder", "right_shoulder"), ("left_hip", "right_hip")) >= 0.95
    assert _pairs_below(seen, ("left_hip", "right_hip"), ("left_knee", "right_knee")) >= 0.95
    assert _pairs_below(seen, ("left_knee", "right_knee"), ("left_ankle", "right_ankle")) >= 0.95
    # (Not nose-above-shoulders: in this lunge the head drops to shoulder height as the trunk leans.)
    # Smooth motion at 60 fps: the typical joint moves a few pixels between frames, never jumps across the body.
    kps = np.stack([f.people[0].xy for f in seen])
    steps = np.linalg.norm(np.diff(kps, axis=0), axis=2)
    assert np.median(steps) < 15 and np.percentile(steps, 99) < 100


def test_no_person_gives_an_empty_frame() -> None:
    with BlazePoseBackend() as backend:
        result = backend.infer(np.zeros((480, 640, 3), np.uint8), 0.0)
    assert result.people == [] and (result.width, result.height, result.t) == (640, 480, 0.0)


@pytest.mark.slow
def test_reuse_on_a_new_video_restarts_tracking(lunge_video: Path) -> None:
    images = [image for _, image in VideoSource(lunge_video, max_frames=3)]
    with BlazePoseBackend() as backend:
        first = [backend.infer(image, i / 60) for i, image in enumerate(images)]
        # Time starts again at 0 (a second video): must not fail or reuse stale tracking state.
        again = [backend.infer(image, i / 60) for i, image in enumerate(images)]
        backend.reset()
        after_reset = backend.infer(images[0], 0.0)
    assert all(f.people for f in first + again + [after_reset])
    np.testing.assert_allclose(again[0].people[0].xy, after_reset.people[0].xy, atol=1.0)


def test_description_close_and_registry() -> None:
    backend = create_backend("blazepose", model_path="ignored", device="cpu")  # unknown options are ignored
    assert isinstance(backend, BlazePoseBackend)
    assert backend.description.startswith("BlazePose Full (mediapipe 0.10.21, CPU")
    backend.close()
    backend.close()  # closing twice is harmless
    with pytest.raises(RuntimeError):
        backend.infer(np.zeros((10, 10, 3), np.uint8), 0.0)


def test_missing_mediapipe_is_backend_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "mediapipe", None)  # what `import mediapipe` sees when it is not installed
    with pytest.raises(BackendUnavailable, match="mediapipe==0.10.21"):
        BlazePoseBackend()


def test_landmark_mapping_scales_and_cleans() -> None:
    landmarks = np.column_stack([np.linspace(0, 1, 33), np.linspace(1, 0, 33), np.full(33, 0.9)])
    landmarks[27] = (np.nan, 0.5, 0.9)  # left ankle (COCO 15) broken
    landmarks[28, 2] = 1.3  # visibility outside [0, 1]
    kp = landmarks_to_keypoints(landmarks, 200, 100)
    assert kp.shape == (17, 3)
    np.testing.assert_allclose(kp[0], (0.0, 100.0, 0.9))  # nose: landmark 0
    np.testing.assert_allclose(kp[5, :2], (200 * 11 / 32, 100 * (1 - 11 / 32)))  # left shoulder: landmark 11
    assert np.isnan(kp[15, :2]).all() and kp[15, 2] == 0.0
    assert kp[16, 2] == 1.0
    box = keypoints_bbox(kp)
    assert np.isfinite(box).all() and box[0] < box[2] and box[1] < box[3]
