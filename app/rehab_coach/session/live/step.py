"""One live frame through the pose model and the coach, and what the screen draws from it."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

import numpy as np

from rehab_coach.capture.loop import SourceItem
from rehab_coach.engine.coach import Coach
from rehab_coach.engine.feedback import live_status
from rehab_coach.engine.types import CueEvent, FrameUpdate, RangeStatus, RepResult
from rehab_coach.keypoints.types import NUM_KEYPOINTS, Person, PoseFrame
from rehab_coach.pose.backend import PoseBackend
from rehab_coach.pose.holder import BackendHolder
from rehab_coach.session.live.screen_frames import DISPLAY_MAX, display_image


@dataclass(frozen=True)
class AngleArc:
    joints: tuple[int, int, int]  # COCO indices: one end, the vertex, the other end
    value: float


@dataclass(frozen=True)
class Overlay:
    """What to draw on top of the skeleton for the current exercise."""

    highlight: tuple[int, ...] = ()
    arcs: tuple[AngleArc, ...] = ()
    status: RangeStatus = RangeStatus.UNKNOWN


@dataclass
class LiveResult:
    """One processed frame, plus the events since the last frame the UI saw."""

    t: float
    captured: float
    processed: float
    image: np.ndarray | None  # display-sized BGR; None for keypoint replays
    frame_size: tuple[int, int]  # width, height of the source frame: the keypoints' pixel space
    person: Person | None
    update: FrameUpdate | None  # None while not coaching (countdown, pause, rest)
    overlay: Overlay
    infer_ms: float = 0.0
    engine_ms: float = 0.0
    picked: float = 0.0  # time.monotonic() when the worker took the frame: the latency budget's stages start here
    samples: list[tuple[float, float]] = field(default_factory=list)  # (t, primary value or NaN)
    # The times of the frames the coach saw, this one's and those of frames the UI never saw:
    # the session's effective frame rate counts what reached the engine, not what was painted.
    coached_times: list[float] = field(default_factory=list)
    new_reps: list[RepResult] = field(default_factory=list)
    cues: list[CueEvent] = field(default_factory=list)

    def absorb(self, older: LiveResult) -> None:
        """Take over the events of a frame the UI will never see: only its picture may be dropped."""
        self.samples[:0] = older.samples
        self.coached_times[:0] = older.coached_times
        self.new_reps[:0] = older.new_reps
        self.cues[:0] = older.cues


def _sided(coach: Coach, name: str, side: str | None) -> list[str]:
    if not coach.template.measures[name].sided:
        return [name]
    sides = [side] if side in ("left", "right") else ["left", "right"]
    return [f"{name}_{s}" for s in sides]


def overlay_for(coach: Coach, update: FrameUpdate | None, side: str | None = None) -> Overlay:
    """Joints the exercise uses, and an arc for each primary joint angle being measured."""
    side = update.side if update is not None else side
    plan = coach.measurer.plan
    highlight: set[int] = set()
    for name in coach.template.measures:
        for variant in _sided(coach, name, side):
            highlight.update(j for j in plan.joints_of(variant) if j < NUM_KEYPOINTS)
    arcs = []
    primary = coach.template.primary.measure
    if update is not None and coach.template.measures[primary].type == "joint_angle":
        for variant in _sided(coach, primary, side):
            joints, value = plan.joints_of(variant), update.measures.get(variant, float("nan"))
            if max(joints) < NUM_KEYPOINTS and np.isfinite(value):
                arcs.append(AngleArc((joints[0], joints[1], joints[2]), float(value)))
    # Between reps (standing, rising back) a value out of the range is no error: no red cross on the joint.
    status = live_status(update.phase, update.primary_status) if update is not None else RangeStatus.UNKNOWN
    return Overlay(tuple(sorted(highlight)), tuple(arcs), status)


class LiveStep:
    """One frame through pose (unless it already is keypoints) and, while coaching, the coach.

    The backend is created on first use, on the worker thread: a keypoint replay never
    loads a model, and loading one never blocks the window. A shared `BackendHolder`
    outlives the step (sessions, worker restarts); a plain factory gets a holder of its own.
    `clock` stamps when a frame was picked and processed: `time.monotonic` live, the frame's own
    time in a headless run (`HeadlessPipeline`).
    """

    def __init__(
        self,
        coach: Coach,
        backend: BackendHolder | Callable[[], PoseBackend],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.coach, self.clock = coach, clock
        self._owns_backend = not isinstance(backend, BackendHolder)
        self.pose_model = backend if isinstance(backend, BackendHolder) else BackendHolder(backend)
        # The view's size in device pixels: frames are shrunk to it here, so painting is a plain copy.
        # Set from the GUI thread; one tuple assignment, read once per frame.
        self.display_limit = DISPLAY_MAX
        # The shrink runs beside the pose model (both release the GIL), off the frame's critical path:
        # 1.4 ms of a 1080x1920 frame that a GPU model would otherwise wait for on every frame.
        self._display = ThreadPoolExecutor(max_workers=1, thread_name_prefix="display shrink")

    def __call__(self, item: SourceItem, coaching: bool) -> LiveResult:
        picked = self.clock()
        shrunk = self._display.submit(display_image, item.image, self.display_limit) if item.image is not None else None
        start = time.perf_counter()
        frame = self._pose(item)
        posed = time.perf_counter()
        update = self.coach.process(frame) if coaching else None
        person = update.person if update is not None else self.coach.measurer.select_person(frame)
        infer_ms, engine_ms = 1000 * (posed - start), 1000 * (time.perf_counter() - posed)
        samples = []
        if update is not None:
            samples.append((frame.t, update.primary_value if update.primary_value is not None else float("nan")))
        return LiveResult(
            t=item.t,
            captured=item.captured,
            processed=self.clock(),
            image=shrunk.result() if shrunk is not None else None,
            frame_size=(frame.width, frame.height),
            person=person,
            update=update,
            overlay=overlay_for(self.coach, update, self.coach.measurer.sides.current),
            infer_ms=infer_ms,
            engine_ms=engine_ms,
            picked=picked,
            samples=samples,
            coached_times=[frame.t] if update is not None else [],
            new_reps=list(update.new_reps) if update else [],
            cues=[update.cue] if update and update.cue else [],
        )

    def _pose(self, item: SourceItem) -> PoseFrame:
        if item.image is None:
            if item.pose is None:
                raise ValueError("a source delivered a frame with neither an image nor keypoints")
            return replace(item.pose, t=item.t)
        frame = self.pose_model.infer(item.image, item.t)
        if not frame.width:
            height, width = item.image.shape[:2]
            frame = replace(frame, width=width, height=height)
        return frame

    def close(self) -> None:
        self._display.shutdown(wait=True)
        if self._owns_backend:
            self.pose_model.close()

    @property
    def backend(self) -> PoseBackend | None:
        return self.pose_model.loaded

    @property
    def backend_description(self) -> str:
        backend = self.pose_model.loaded
        return backend.full_description if backend is not None else "keypoint replay (no model)"
