"""The live pipeline's reports as Qt signals: the `PipelineListener` of the window's `ThreadedPipeline`.

The pipeline (session/live/pipeline.py) calls this on its own thread; each call becomes a signal,
connected queued, so what it reports reaches the session and the live page on the GUI thread, in
order. The frame's picture is made a QImage here, still on the pipeline thread, so painting is a copy.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from rehab_coach.session.live.step import LiveResult
from rehab_coach.ui.images import bgr_to_qimage
from rehab_coach.ui.shown_frame import ShownFrame


class PipelineSignals(QObject):
    """Connect every signal with Qt.QueuedConnection: they are emitted from the pipeline thread,
    and a waiting frame from the GUI thread itself (inside `frame_shown`)."""

    frameReady = Signal(object)  # ShownFrame
    sourceStatus = Signal(str, str)  # state ("ok", "lost", "error", "ended"), message
    failed = Signal(str)  # stopped on a known problem (no model, ...): the message says why
    crashed = Signal(str)  # stopped on an unexpected error: the session restarts it
    streamEnded = Signal()
    backendReady = Signal(str)  # what runs the pose model
    stopped = Signal()  # the pipeline thread has ended

    def picture(self, result: LiveResult) -> object:
        return bgr_to_qimage(result.image) if result.image is not None else None

    def on_frame(self, result: LiveResult, picture: object) -> None:
        self.frameReady.emit(ShownFrame(result, picture))  # type: ignore[arg-type]

    def on_source_status(self, state: str, message: str) -> None:
        self.sourceStatus.emit(state, message)

    def on_failed(self, message: str) -> None:
        self.failed.emit(message)

    def on_crashed(self, message: str) -> None:
        self.crashed.emit(message)

    def on_stream_ended(self) -> None:
        self.streamEnded.emit()

    def on_backend(self, description: str) -> None:
        self.backendReady.emit(description)

    def on_stopped(self) -> None:
        self.stopped.emit()
