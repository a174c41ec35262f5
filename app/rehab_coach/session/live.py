"""The live session pipeline without Qt: frame sources, pacing, the capture thread, the pose+coach step.

    source --capture thread (paced)--> LatestSlot --worker--> LiveStep --> LiveResult --> UI

The capture thread always overwrites the slot, so a slow model skips frames instead of
falling behind: the worker only ever sees the newest frame. Everything here is plain
Python so it can be tested headless; the Qt layer only wraps it in a thread and signals.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar

import cv2
import numpy as np

from rehab_coach.capture.camera import CameraError, CameraSource
from rehab_coach.capture.latest import LatestSlot
from rehab_coach.capture.video import VideoSource
from rehab_coach.engine.coach import Coach
from rehab_coach.engine.types import CueEvent, FrameUpdate, RangeStatus, RepResult
from rehab_coach.errors import RehabCoachError
from rehab_coach.i18n import _
from rehab_coach.pose.backend import PoseBackend
from rehab_coach.pose.stream import KeypointStream
from rehab_coach.pose.types import NUM_KEYPOINTS, Person, PoseFrame

if TYPE_CHECKING:  # the store pulls in SQLAlchemy: imported on its own thread, when first used
    from rehab_coach.engine.templates import Template
    from rehab_coach.session.store import ProgramItemInfo, SessionRecorder, Store

log = logging.getLogger(__name__)
T = TypeVar("T")

SourceKind = Literal["camera", "video", "replay"]
# What a source yields: its own time in seconds and either a BGR image or ready keypoints.
RawFrame = tuple[float, "np.ndarray | PoseFrame"]
# Largest image handed to the UI until it says how big its view is: scaling a 1080x1920
# frame while painting costs the GUI thread more than a frame time.
DISPLAY_MAX = (1280, 720)


# ---- sources -----------------------------------------------------------------


@dataclass(frozen=True)
class SourceSpec:
    kind: SourceKind
    target: int | str | Path  # camera number or device path; file path
    loop: bool = False
    speed: float = 1.0  # file sources only: 2.0 plays twice as fast (demos, tests)
    camera_size: tuple[int, int] = (1280, 720)
    camera_fps: float = 30.0

    @property
    def live(self) -> bool:
        """A camera cannot be paused or paced; files can."""
        return self.kind == "camera"

    def describe(self) -> str:
        if self.kind == "camera":
            return f"camera {self.target}"
        return f"{self.kind} {Path(str(self.target)).name}"


class FrameSource(Protocol):
    fps: float

    def read(self) -> RawFrame | None:
        """The next frame, None at the end of a file; raises CameraError when a camera drops out."""

    def close(self) -> None: ...


class CameraFrames:
    """A webcam, newest frame first; its time is the monotonic clock, so a reconnect keeps the real gap.

    The time of a frame is when the camera captured it (the driver's timestamp where it gives
    one), not when it was read: the latency the session reports starts there.
    """

    def __init__(self, spec: SourceSpec) -> None:
        width, height = spec.camera_size
        target = spec.target if isinstance(spec.target, int) else str(spec.target)
        self._camera = CameraSource(target, width, height, spec.camera_fps)
        self.fps = self._camera.fps or spec.camera_fps

    def read(self) -> RawFrame | None:
        _, image = self._camera.read()
        return self._camera.last_captured, image

    def close(self) -> None:
        self._camera.release()


class VideoFrames:
    def __init__(self, spec: SourceSpec) -> None:
        self._video = VideoSource(str(spec.target), loop=spec.loop)
        self.fps = self._video.fps
        self._frames = iter(self._video)

    def read(self) -> RawFrame | None:
        return next(self._frames, None)

    def close(self) -> None:
        _close_frames(self._frames)
        self._frames = iter(())


class ReplayFrames:
    """A keypoint stream file: frames are ready keypoints, painted on a blank canvas."""

    def __init__(self, spec: SourceSpec) -> None:
        self._stream = KeypointStream(str(spec.target))
        self._loop = spec.loop
        self.fps = self._stream.header.fps
        self._frames = self._iterate()

    def _iterate(self):
        while True:
            empty = True
            for frame in self._stream:
                empty = False
                yield frame.t, frame
            if not self._loop or empty:
                return

    def read(self) -> RawFrame | None:
        return next(self._frames, None)

    def close(self) -> None:
        _close_frames(self._frames)
        self._frames = iter(())


def _close_frames(frames: object) -> None:
    # Closing the generator runs its `finally` now, which releases the decoder or the file
    # handle at once rather than whenever the generator is collected: a kiosk opens a source
    # per session, for hours.
    close = getattr(frames, "close", None)
    if close is not None:
        close()


def open_source(spec: SourceSpec) -> FrameSource:
    """Open a source; raises InputError (bad file) or CameraError (no camera)."""
    kinds: dict[str, Callable[[SourceSpec], FrameSource]] = {
        "camera": CameraFrames,
        "video": VideoFrames,
        "replay": ReplayFrames,
    }
    return kinds[spec.kind](spec)


# ---- time --------------------------------------------------------------------


@dataclass
class Timeline:
    """Session time that never goes backwards across loops, reconnects and source switches.

    The coach measures rep durations and cue gaps from frame times, so a video that starts
    again at 0 s must continue the session clock instead of rewinding it.
    """

    step: float = 1 / 30
    offset: float = 0.0
    last: float | None = None
    _rebase: bool = False

    def new_source(self, fps: float) -> None:
        self.step = 1 / fps if fps > 0 else self.step
        self._rebase = True

    def stamp(self, t: float) -> float:
        if self.last is not None and (self._rebase or self.offset + t <= self.last):
            self.offset = self.last + self.step - t
        self._rebase = False
        self.last = self.offset + t
        return self.last


class Pacer:
    """Releases file frames at their media time (divided by `speed`), like a camera would."""

    def __init__(self, speed: float = 1.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.speed = speed if speed > 0 else 1.0
        self.clock = clock
        self._origin: tuple[float, float] | None = None  # (wall, media)

    def rebase(self) -> None:
        """Forget the schedule (after a pause), so the next frame goes out at once."""
        self._origin = None

    def delay(self, t: float) -> float:
        """Seconds to wait before frame time `t` is due."""
        now = self.clock()
        if self._origin is None:
            self._origin = (now, t)
            return 0.0
        due = self._origin[0] + (t - self._origin[1]) / self.speed
        if now - due > 0.25:
            self._origin = (now, t)  # fell behind (slow decode): go on from here rather than burst
        return max(0.0, due - now)


# ---- the capture thread ------------------------------------------------------


@dataclass(frozen=True)
class SourceItem:
    t: float  # session time, seconds
    captured: float  # time.monotonic() when the frame left the source: latency is measured from here
    image: np.ndarray | None = None
    pose: PoseFrame | None = None


END_OF_STREAM = SourceItem(t=-1.0, captured=0.0)
StatusCallback = Callable[[str, str], None]  # (state, message): state is "ok", "lost", "error", "ended"


class CaptureLoop:
    """Reads one source on its own thread into a LatestSlot.

    A camera that cannot be opened or drops out is retried every `retry_seconds`, and
    `on_status` hears "lost" then "ok": the session and its data go on meanwhile.
    While held, file sources stop advancing after their first frame; a camera keeps
    streaming (it cannot be paused) and the worker simply stops coaching.
    """

    def __init__(
        self,
        spec: SourceSpec,
        slot: LatestSlot[SourceItem],
        timeline: Timeline,
        *,
        opener: Callable[[SourceSpec], FrameSource] = open_source,
        on_status: StatusCallback | None = None,
        retry_seconds: float = 1.0,
    ) -> None:
        self.spec, self.slot, self.timeline = spec, slot, timeline
        self.opener, self.retry_seconds = opener, retry_seconds
        self.on_status = on_status or (lambda state, message: None)
        self.pacer = Pacer(spec.speed)
        self.frames = 0
        self._opened = False
        self._stop = threading.Event()
        self._running = threading.Event()
        self._running.set()
        self._thread = threading.Thread(target=self._run, name=f"capture {spec.describe()}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        self._running.set()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout)

    def hold(self, held: bool) -> None:
        if held:
            self._running.clear()
        else:
            self.pacer.rebase()
            self._running.set()

    @property
    def held(self) -> bool:
        return not self._running.is_set()

    def _run(self) -> None:
        source = None
        try:
            source = self._open()  # inside the try: a file that fails to open must surface, not end the thread silently
            while source is not None and not self._stop.is_set():
                if self.held and not self.spec.live and self.frames:
                    self._running.wait(0.1)
                    continue
                source = self._step(source)
        except Exception as exc:  # a crash here would freeze the picture silently: say it instead
            log.exception("capture failed")
            self.on_status("error", f"{self.spec.describe()}: {exc}")
        finally:
            if source is not None:
                source.close()

    def _open(self, lost_reported: bool = False) -> FrameSource | None:
        while not self._stop.is_set():
            try:
                source = self.opener(self.spec)
            except CameraError as exc:
                if not lost_reported:
                    self.on_status("lost", str(exc))
                    lost_reported = True
                self._stop.wait(self.retry_seconds)
                continue
            except RehabCoachError as exc:
                self.on_status("error", str(exc))
                return None
            if not self._opened:
                # A new source continues the session clock; a reconnected camera keeps its real gap.
                self.timeline.new_source(source.fps)
                self._opened = True
            if lost_reported or self.frames:
                self.on_status("ok", f"{self.spec.describe()} is back")
            return source
        return None

    def _step(self, source: FrameSource) -> FrameSource | None:
        """Read, pace and post one frame; returns the source to go on with (None: stop)."""
        try:
            raw = source.read()
        except CameraError as exc:
            source.close()
            self.on_status("lost", str(exc))
            return self._open(lost_reported=True)
        if raw is None:
            self.slot.put(END_OF_STREAM)
            self.on_status("ended", f"{self.spec.describe()} ended")
            return None
        t_source, payload = raw
        t = self.timeline.stamp(t_source)
        if not self.spec.live and self._stop.wait(self.pacer.delay(t)):
            return source
        image, pose = (None, payload) if isinstance(payload, PoseFrame) else (payload, None)
        # A camera's time is its capture time on the monotonic clock (CameraFrames): latency starts
        # there. A file frame, or a source on another clock, counts as captured when it is posted.
        now = time.monotonic()
        captured = t_source if self.spec.live and 0.0 <= now - t_source <= 1.0 else now
        self.slot.put(SourceItem(t=t, captured=captured, image=image, pose=pose))
        self.frames += 1
        return source


# ---- the pose + coach step ---------------------------------------------------


@dataclass(frozen=True)
class AngleArc:
    joints: tuple[int, int, int]  # COCO indices: one end, the vertex, the other end
    value: float


@dataclass(frozen=True)
class Overlay:
    """What to draw on top of the skeleton for the current exercise."""

    highlight: tuple[int, ...] = ()
    arcs: tuple[AngleArc, ...] = ()
    status: RangeStatus = "unknown"


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
    new_reps: list[RepResult] = field(default_factory=list)
    cues: list[CueEvent] = field(default_factory=list)

    def absorb(self, older: LiveResult) -> None:
        """Take over the events of a frame the UI will never see: only its picture may be dropped."""
        self.samples[:0] = older.samples
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
    plan = coach.plan
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
    status = update.primary_status if update is not None else "unknown"
    if update is not None and update.phase == "top" and status != "in_range":
        status = "resting"  # standing between reps is not an error: no red cross on the joint
    return Overlay(tuple(sorted(highlight)), tuple(arcs), status)


def display_image(image: np.ndarray, limit: tuple[int, int] = DISPLAY_MAX) -> np.ndarray:
    """The frame shrunk to fit `limit`, aspect kept; never enlarged.

    Area averaging over a non-integer factor costs ~4.5 ms for a 1080x1920 frame on this
    project's 2-core machine, a fifth of BlazePose's time, on every frame. Averaging by the
    whole factor first (OpenCV's fast box-filter path), then a bilinear step of less than 2x,
    takes ~1.4 ms and differs from it by 0.4 grey levels on average at view sizes (2 for a
    100 px thumbnail): the same picture.
    """
    height, width = image.shape[:2]
    scale = min(1.0, limit[0] / width, limit[1] / height)
    if scale >= 1.0:
        return image
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    whole = int(1 / scale)
    if whole >= 2:
        image = cv2.resize(image, (width // whole, height // whole), interpolation=cv2.INTER_AREA)
        if (image.shape[1], image.shape[0]) == size:
            return image
        return cv2.resize(image, size, interpolation=cv2.INTER_LINEAR)
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA)


class BackendHolder:
    """The pose model: created on first use (on a worker thread) and kept for later sessions.

    Loading a model takes seconds and leaves a great many long-lived objects. A kiosk runs a
    session per patient for hours: reloading the model each time would cost those seconds
    and, with `gc.freeze()` below, keep every session's leftovers alive for good.
    """

    def __init__(self, factory: Callable[[], PoseBackend]) -> None:
        self.factory = factory
        self._backend: PoseBackend | None = None
        self._lock = threading.Lock()
        self._offset = 0.0  # added to session time: the model's own clock
        self._last: float | None = None

    def get(self) -> PoseBackend:
        with self._lock:
            if self._backend is None:
                self._backend = self.factory()
                # A full garbage collection walking the model's objects holds the GIL ~100 ms,
                # a visible freeze. Exempt everything alive now, once per model.
                gc.freeze()
            return self._backend

    @property
    def loaded(self) -> PoseBackend | None:
        return self._backend

    def infer(self, image: np.ndarray, t: float) -> PoseFrame:
        """Pose of one frame at session time `t`.

        Each session's clock starts again at 0, but a model that tracks between frames
        (BlazePose) restarts its whole graph when time goes back: ~100 ms and a churn of
        native memory per session. Its own clock therefore runs on across sessions.
        """
        backend = self.get()
        if self._last is not None and t + self._offset <= self._last:
            self._offset = self._last + 1 / 30 - t
        self._last = t + self._offset
        frame = backend.infer(image, self._last)
        return replace(frame, t=t)

    def close(self) -> None:
        with self._lock:
            backend, self._backend, self._last, self._offset = self._backend, None, None, 0.0
        if backend is not None:
            backend.close()


class LiveStep:
    """One frame through pose (unless it already is keypoints) and, while coaching, the coach.

    The backend is created on first use, on the worker thread: a keypoint replay never
    loads a model, and loading one never blocks the window. A shared `BackendHolder`
    outlives the step (sessions, worker restarts); a plain factory gets a holder of its own.
    """

    def __init__(self, coach: Coach, backend: BackendHolder | Callable[[], PoseBackend]) -> None:
        self.coach = coach
        self._owns_backend = not isinstance(backend, BackendHolder)
        self.models = backend if isinstance(backend, BackendHolder) else BackendHolder(backend)
        # The view's size in device pixels: frames are shrunk to it here, so painting is a plain copy.
        # Set from the GUI thread; one tuple assignment, read once per frame.
        self.display_limit = DISPLAY_MAX
        # The shrink runs beside the pose model (both release the GIL), off the frame's critical path:
        # 1.4 ms of a 1080x1920 frame that a GPU model would otherwise wait for on every frame.
        self._display = ThreadPoolExecutor(max_workers=1, thread_name_prefix="display shrink")

    def __call__(self, item: SourceItem, coaching: bool) -> LiveResult:
        picked = time.monotonic()
        shrunk = self._display.submit(display_image, item.image, self.display_limit) if item.image is not None else None
        start = time.perf_counter()
        frame = self._pose(item)
        posed = time.perf_counter()
        update = self.coach.process(frame) if coaching else None
        person = update.person if update is not None else self.coach.select_person(frame)
        infer_ms, engine_ms = 1000 * (posed - start), 1000 * (time.perf_counter() - posed)
        samples = []
        if update is not None:
            samples.append((frame.t, update.primary_value if update.primary_value is not None else float("nan")))
        return LiveResult(
            t=item.t,
            captured=item.captured,
            processed=time.monotonic(),
            image=shrunk.result() if shrunk is not None else None,
            frame_size=(frame.width, frame.height),
            person=person,
            update=update,
            overlay=overlay_for(self.coach, update, self.coach.sides.current),
            infer_ms=infer_ms,
            engine_ms=engine_ms,
            picked=picked,
            samples=samples,
            new_reps=list(update.new_reps) if update else [],
            cues=[update.cue] if update and update.cue else [],
        )

    def _pose(self, item: SourceItem) -> PoseFrame:
        if item.image is None:
            if item.pose is None:
                raise ValueError("a source delivered a frame with neither an image nor keypoints")
            return replace(item.pose, t=item.t)
        frame = self.models.infer(item.image, item.t)
        if not frame.width:
            height, width = item.image.shape[:2]
            frame = replace(frame, width=width, height=height)
        return frame

    def close(self) -> None:
        self._display.shutdown(wait=True)
        if self._owns_backend:
            self.models.close()

    @property
    def backend(self) -> PoseBackend | None:
        return self.models.loaded

    @property
    def backend_description(self) -> str:
        backend = self.models.loaded
        return backend.full_description if backend is not None else "keypoint replay (no model)"


# ---- the session in the database ---------------------------------------------

SessionStatus = Literal["completed", "stopped"]


@dataclass(frozen=True)
class SaveResult:
    """Where a finished session ended up, in words for the summary screen."""

    uid: str | None
    offline: bool = False  # in the local journal, waiting for the database to come back
    error: str = ""

    def describe(self, language: str | None = None) -> str:
        if self.error:
            return _("Not saved: {0}", language).format(self.error)
        if self.offline:
            return _("Saved on this computer; it goes to the database as soon as the database is reachable", language)
        return _("Saved to the database", language)


class StoreThread:
    """Every database call of the live app, in order, on one thread of its own.

    The recorder commits each rep and cue as it comes, so a crash loses at most the rep in
    progress. But a call blocks while a database server is unreachable (up to its connect
    timeout) or a SQLite file is locked: the GUI and the worker only ever queue calls here
    and never wait for them. Reads for the screens (`call`) queue behind the writes, so a
    screen that reads after a session always sees it.

    Each write runs `delay` seconds after it was queued. A write is some 10 ms of Python in
    SQLAlchemy, and while it runs the GUI thread waits for the GIL at each of its Qt calls;
    the moments that queue writes (a rep, a new set) are exactly those when the screen
    redraws the most, so the write waits until the screen has reacted. A crash then loses
    at most the rep in progress and the last `delay` seconds.

    Recording errors are logged and never raised to the caller: a broken database must not
    end a patient's session. `finish_session` says what became of it.
    """

    def __init__(
        self,
        url: str | Path | None = None,
        *,
        delay: float = 0.3,
        recorder_factory: Callable[[Store], SessionRecorder] | None = None,
    ) -> None:
        self.url = url
        self.delay = delay
        self._recorder_factory = recorder_factory
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rehab-coach store")
        self._store: Store | None = None
        self._recorder: SessionRecorder | None = None
        self._error = ""  # the first recording error of the current session
        self._closed = False

    # ---- on the store thread --------------------------------------------------

    @property
    def store(self) -> Store:
        if self._store is None:
            from rehab_coach.session.store import Store

            self._store = Store(self.url, lock_timeout=1.0)
        return self._store

    @property
    def recorder(self) -> SessionRecorder:
        if self._recorder is None:
            from rehab_coach.session.store import SessionRecorder

            factory = self._recorder_factory or SessionRecorder
            self._recorder = factory(self.store)  # syncs old journals, marks dead sessions interrupted
        return self._recorder

    def _record(self, what: str, call: Callable[[SessionRecorder], object]) -> None:
        try:
            call(self.recorder)
        except Exception as exc:
            if not self._error:
                log.exception("could not record %s", what)
                self._error = f"{type(exc).__name__}: {exc}"

    # ---- queued from any thread -----------------------------------------------

    def call(self, fn: Callable[[Store], T]) -> Future[T]:
        """Run `fn(store)` on the store thread (screens' reads, the PIN check)."""
        return self._pool.submit(lambda: fn(self.store))

    def start_session(
        self,
        patient: str | None,
        template: Template,
        program_item: ProgramItemInfo | int | None = None,
        overrides: dict[str, Any] | None = None,
    ) -> None:
        def start(recorder: SessionRecorder) -> None:
            self._error = ""
            if recorder.session_uid is not None:  # the last one never finished (its finish failed): close it
                recorder.finish_session(None, status="stopped")
            recorder.start_session(patient, template, program_item, overrides=overrides)

        self._submit("the session start", start)

    def start_set(self, number: int) -> None:
        self._submit(f"set {number}", lambda r: r.start_set(number))

    def record_rep(self, rep: RepResult) -> None:
        self._submit(f"rep {rep.index}", lambda r: r.record_rep(rep))

    def record_cue(self, cue: CueEvent) -> None:
        self._submit(f"cue {cue.id}", lambda r: r.record_cue(cue))

    def finish_session(self, summary: dict[str, Any], status: SessionStatus) -> Future[SaveResult]:
        due = time.monotonic() + self.delay

        def finish() -> SaveResult:
            _wait_until(due)
            uid = self._recorder.session_uid if self._recorder is not None else None
            self._record("the session end", lambda r: r.finish_session(summary, status=status))
            offline = self._recorder is not None and self._recorder.offline
            return SaveResult(uid, offline, self._error)

        return self._pool.submit(finish)

    def _submit(self, what: str, call: Callable[[SessionRecorder], object]) -> None:
        if self._closed:
            return
        due = time.monotonic() + self.delay

        def record() -> None:
            _wait_until(due)
            self._record(what, call)

        self._pool.submit(record)

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until everything queued so far is done (tests, shutdown); False on timeout."""
        try:
            self._pool.submit(lambda: None).result(timeout)
        except TimeoutError:
            return False
        except RuntimeError:  # already shut down
            return True
        return True

    def close(self, timeout: float = 10.0) -> bool:
        """Finish the queued calls (up to `timeout`), then release the database."""
        if self._closed:
            return True
        done = self.wait_idle(timeout)
        self._closed = True
        self._pool.shutdown(wait=done, cancel_futures=not done)
        if done and self._store is not None:
            self._store.close()
        return done


def _wait_until(due: float) -> None:
    left = due - time.monotonic()
    if left > 0:
        time.sleep(left)
