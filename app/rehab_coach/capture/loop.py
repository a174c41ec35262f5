"""The capture thread: reads one source, paced, into a `LatestSlot` where the newest frame wins.

    source --capture thread (paced)--> LatestSlot --pipeline thread--> LiveStep --> LiveResult --> UI

The capture thread always overwrites the slot, so a slow model skips frames instead of
falling behind: the pipeline (session/live/pipeline.py) only ever sees the newest frame.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from rehab_coach.capture.camera import CameraError
from rehab_coach.capture.latest import LatestSlot
from rehab_coach.capture.pacing import Pacer, Timeline
from rehab_coach.capture.sources import FrameSource, SourceSpec, open_source
from rehab_coach.errors import RehabCoachError
from rehab_coach.i18n import _
from rehab_coach.keypoints.types import PoseFrame

log = logging.getLogger(__name__)


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
    While paused, file sources stop advancing after their first frame; a camera keeps
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

    def pause_file(self, paused: bool) -> None:
        if paused:
            self._running.clear()
        else:
            self.pacer.rebase()
            self._running.set()

    @property
    def file_paused(self) -> bool:
        return not self._running.is_set()

    def _run(self) -> None:
        source = None
        try:
            source = self._open()  # inside the try: a file that fails to open must surface, not end the thread silently
            while source is not None and not self._stop.is_set():
                if self.file_paused and not self.spec.live and self.frames:
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
                self.on_status("ok", _("{0} is back").format(self.spec.describe()))
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
            self.on_status("ended", _("{0} ended").format(self.spec.describe()))
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
