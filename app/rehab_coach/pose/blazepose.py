"""BlazePose Full through mediapipe's legacy `solutions.pose` API (single person, CPU).

Only model_complexity=1 ships inside the mediapipe 0.10.21 wheel; the lite and heavy
models are downloaded on first use, which fails offline, so they are not offered.
mediapipe is imported when the backend is created, never at module import, so the
registry can report a missing or broken install as `BackendUnavailable`.
"""

from __future__ import annotations

import os
from typing import Any

import cv2
import numpy as np

from rehab_coach.errors import BackendUnavailable
from rehab_coach.keypoints.types import Person, PoseFrame
from rehab_coach.pose.backend import PoseBackend

# BlazePose's 33 landmarks -> COCO-17 order (nose, eyes, ears, shoulders, elbows, wrists, hips, knees, ankles).
BLAZEPOSE_TO_COCO = np.array([0, 2, 5, 7, 8, 11, 12, 13, 14, 15, 16, 23, 24, 25, 26, 27, 28])
# Landmarks at or above this visibility define the bbox; below it mediapipe is mostly guessing.
BBOX_MIN_VISIBILITY = 0.5


def _import_mediapipe() -> Any:
    os.environ.setdefault("GLOG_minloglevel", "2")  # mediapipe's C++ log lines mean nothing to a user
    try:
        import mediapipe as mp

        _ = mp.solutions.pose.Pose  # the legacy API is gone in mediapipe >= 1.0
    except Exception as exc:  # a broken install surfaces as ImportError, AttributeError, TypeError (protobuf) ...
        raise BackendUnavailable(
            f"BlazePose needs mediapipe==0.10.21, which could not be loaded ({type(exc).__name__}: {exc})"
        ) from None
    return mp


def landmarks_to_keypoints(landmarks: np.ndarray, width: int, height: int) -> np.ndarray:
    """(33, 3) normalised x, y, visibility -> (17, 3) COCO pixel x, y, conf; non-finite -> NaN with conf 0."""
    kp = landmarks[BLAZEPOSE_TO_COCO].astype(np.float64) * np.array([width, height, 1.0])
    bad = ~np.isfinite(kp).all(axis=1)
    kp[bad] = (np.nan, np.nan, 0.0)
    kp[:, 2] = np.clip(kp[:, 2], 0.0, 1.0)
    return kp


def keypoints_bbox(kp: np.ndarray) -> np.ndarray:
    """Box around the clearly visible keypoints; falls back to every finite one when too few are visible."""
    finite = np.isfinite(kp[:, :2]).all(axis=1)
    visible = finite & (kp[:, 2] >= BBOX_MIN_VISIBILITY)
    use = visible if visible.sum() >= 2 else finite
    if not use.any():
        return np.zeros(4)
    pts = kp[use, :2]
    return np.concatenate([pts.min(axis=0), pts.max(axis=0)])


def _to_rgb(frame: np.ndarray) -> np.ndarray:
    if frame.ndim == 2:
        return cv2.cvtColor(frame, cv2.COLOR_GRAY2RGB)
    if frame.ndim == 3 and frame.shape[2] == 4:
        return cv2.cvtColor(frame, cv2.COLOR_BGRA2RGB)
    if frame.ndim == 3 and frame.shape[2] == 3:
        return cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
    raise ValueError(f"expected a BGR image of shape (H, W, 3), got {frame.shape}")


class BlazePoseBackend(PoseBackend):
    """One person per frame. In video mode mediapipe tracks between calls, so frames must come in order:
    a timestamp that goes backwards (a new video, a loop) restarts tracking via `reset()`."""

    name = "blazepose"

    def __init__(
        self,
        *,
        static_image_mode: bool = False,
        min_detection_confidence: float = 0.5,
        min_tracking_confidence: float = 0.5,
        **_ignored: Any,
    ) -> None:
        self._mp = _import_mediapipe()
        self._settings = {
            "static_image_mode": static_image_mode,
            "model_complexity": 1,
            "min_detection_confidence": min_detection_confidence,
            "min_tracking_confidence": min_tracking_confidence,
        }
        self._pose: Any = None
        self._last_t: float | None = None
        self._pose = self._create_graph()

    def _create_graph(self) -> Any:
        try:
            return self._mp.solutions.pose.Pose(**self._settings)
        except Exception as exc:  # missing model file, failed download, graph config error
            raise BackendUnavailable(f"BlazePose Full could not start: {type(exc).__name__}: {exc}") from None

    @property
    def description(self) -> str:
        mode = ", image mode" if self._settings["static_image_mode"] else ""
        return f"BlazePose Full (mediapipe {self._mp.__version__}, CPU{mode})"

    def reset(self) -> None:
        """Forget the tracked person and timestamps: call before feeding another video."""
        self._close_graph()
        self._pose = self._create_graph()
        self._last_t = None

    def infer(self, frame_bgr: np.ndarray, t: float) -> PoseFrame:
        if self._pose is None:
            raise RuntimeError("BlazePoseBackend.infer() called after close()")
        if self._last_t is not None and t < self._last_t:
            self.reset()  # mediapipe's tracker assumes one continuous video
        self._last_t = t
        height, width = frame_bgr.shape[:2]
        result = self._pose.process(_to_rgb(frame_bgr))
        if result.pose_landmarks is None:
            return PoseFrame(t=t, people=[], width=width, height=height)
        # The landmarks are protobuf messages: one pass to pull them into an array, then numpy.
        raw = np.array([(lm.x, lm.y, lm.visibility) for lm in result.pose_landmarks.landmark])
        kp = landmarks_to_keypoints(raw, width, height)
        world = None
        if result.pose_world_landmarks is not None:
            world = np.array([(lm.x, lm.y, lm.z) for lm in result.pose_world_landmarks.landmark])[BLAZEPOSE_TO_COCO]
        person = Person(kp, keypoints_bbox(kp), float(kp[:, 2].mean()), world)
        return PoseFrame(t=t, people=[person], width=width, height=height)

    def _close_graph(self) -> None:
        if self._pose is not None:
            self._pose.close()
            self._pose = None

    def close(self) -> None:
        self._close_graph()
