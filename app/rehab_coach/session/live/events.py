"""What a live session says and what it needs: its states, its events, and the two ports an adapter fills.

The session (`LiveSession`) is plain Python. It never touches a thread, a timer or a widget:
it emits the events below to its subscribers (the Qt adapter renders them on the live page,
a headless run collects them), and it drives the frame pipeline and the database through the
`Pipeline` and `Recorder` protocols.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal, Protocol

from rehab_coach.capture.pacing import Timeline
from rehab_coach.capture.sources import SourceSpec
from rehab_coach.engine.coach import Coach
from rehab_coach.engine.frame_rate import FrameRateSummary
from rehab_coach.engine.framing import FramingState
from rehab_coach.engine.templates import Template
from rehab_coach.engine.types import CueEvent, RepResult
from rehab_coach.session.live.outcome import SessionOutcome
from rehab_coach.session.live.sets import SetProgress
from rehab_coach.session.live.store_thread import SaveResult, SessionStatus
from rehab_coach.session.store.views import ProgramItemInfo


class SessionState(StrEnum):
    """Where a live session is. A StrEnum: `state == "running"` reads as before."""

    IDLE = "idle"
    FRAMING = "framing"  # the picture with a guide until the body is in view and turned right
    COUNTDOWN = "countdown"
    RUNNING = "running"
    PAUSED = "paused"  # by the patient (or the raised-hand gesture)
    AWAY = "away"  # paused by itself: nobody, or not the needed joints, in view
    TURNED = "turned"  # paused by itself: standing the wrong way to the camera
    RESTING = "resting"  # between sets
    FINISHING = "finishing"  # waiting for the pipeline to stop
    DONE = "done"


# The states of a session in progress: the pipeline runs and user actions apply.
ACTIVE = frozenset(
    {
        SessionState.FRAMING,
        SessionState.COUNTDOWN,
        SessionState.RUNNING,
        SessionState.PAUSED,
        SessionState.AWAY,
        SessionState.TURNED,
        SessionState.RESTING,
    }
)


@dataclass(frozen=True)
class SessionSettings:
    """How a session runs: the launch options that matter to the lifecycle."""

    language: str = "en"
    countdown: int = 3  # seconds before each set (0: none)
    framing_check: bool | None = None  # the framing check before each set; None: for a live camera only
    kiosk: bool = False  # touch wording ("Tap Resume") instead of keys ("Press Space")
    # Offline analysis: one open-ended set (no rest, no end at the dosage) so every rep of a file counts.
    open_ended: bool = False
    raised_hand: bool = True  # a hand held up pauses and resumes (not in offline analysis: nobody resumes it)


# ---- events ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StateChanged:
    state: SessionState
    previous: SessionState


@dataclass(frozen=True)
class Prompt:
    """The big text over the picture and the banner's text; None leaves one as it is, "" clears it."""

    big_text: str | None = None
    banner: str | None = None


@dataclass(frozen=True)
class CountdownTick:
    seconds_left: int


@dataclass(frozen=True)
class FramingShown:
    """The framing check's guide over the picture (None: hide it)."""

    state: FramingState | None


NoticeKind = Literal["info", "warning", "error"]


@dataclass(frozen=True)
class Notice:
    """A line above the picture. `transient`: an info that goes away by itself after a few seconds."""

    text: str
    kind: NoticeKind
    retry: bool = False  # offer "Retry camera" (only where a camera is what failed)
    actions: bool = True
    transient: bool = False


@dataclass(frozen=True)
class RepCounted:
    rep: RepResult
    progress: SetProgress


@dataclass(frozen=True)
class CueShown:
    cue: CueEvent


@dataclass(frozen=True)
class CueWithdrawn:
    """A correction still on screen that the rep just counted does not bear out (a good rep, or
    one without that fault): it goes, so "Try to move a little further" never stands over a good rep."""

    cue: CueEvent


@dataclass(frozen=True)
class RestStarted:
    seconds: float
    next_set: int
    sets: int
    text: str  # how the last set went, in words


@dataclass(frozen=True)
class FrameRateLow:
    """Fewer frames have reached the engine than it needs to count reliably, for a few seconds.
    Said once per slow spell; `FrameRateRecovered` ends it."""

    fps: float  # frames per second through the engine over the last few seconds
    needed_fps: float
    text: str  # what the patient is told, in the session's language


@dataclass(frozen=True)
class FrameRateRecovered:
    """The engine has had the frames it needs again for a few seconds."""

    fps: float


@dataclass(frozen=True)
class SessionStarted:
    template: Template
    progress: SetProgress


@dataclass(frozen=True)
class SetStarted:
    """The next set (after a rest)."""

    progress: SetProgress


@dataclass(frozen=True)
class SessionFinished:
    """The session ended. `saving` resolves once the recorder has written its end (None: not recorded)."""

    outcome: SessionOutcome
    saving: Future[SaveResult] | None


SessionEvent = (
    StateChanged
    | Prompt
    | CountdownTick
    | FramingShown
    | Notice
    | RepCounted
    | CueShown
    | CueWithdrawn
    | RestStarted
    | FrameRateLow
    | FrameRateRecovered
    | SessionStarted
    | SetStarted
    | SessionFinished
)


# ---- ports ----------------------------------------------------------------------------


class Pipeline(Protocol):
    """The frame pipeline (capture, pose, coach) as the session drives it: `ThreadedPipeline` in the
    app (session/live/pipeline.py), `HeadlessPipeline` in a headless run.

    What the pipeline reports comes back through the session's `on_*` methods.
    """

    def start(self, spec: SourceSpec, coach: Coach, timeline: Timeline) -> None:
        """Start a worker on `spec`, coaching `coach` on `timeline` (the file paused, coaching off)."""

    def stop(self) -> bool:
        """Ask the running worker to stop; `LiveSession.on_pipeline_stopped` follows. False: none running."""

    def release(self) -> None:
        """Drop the stopped worker."""

    def set_coaching(self, on: bool) -> None:
        """On: frames go through the coach. Off: preview only."""

    def pause_file(self, paused: bool) -> None:
        """Stop a file source advancing; a camera keeps streaming."""

    def switch_source(self, spec: SourceSpec) -> None:
        """Go on from another source (or reopen this one)."""

    def is_running(self) -> bool: ...

    @property
    def dropped(self) -> int:
        """Frames skipped so far because a newer one came."""


class Recorder(Protocol):
    """Where the session is written as it goes (`StoreThread`: queued, never blocking). `start_session`
    returns the session's uid and every later write names it, so no write lands in another session."""

    def start_session(
        self,
        patient: str | None,
        template: Template,
        program_item: ProgramItemInfo | int | None = None,
        overrides: dict[str, Any] | None = None,
    ) -> str: ...

    def start_set(self, session: str, number: int) -> None: ...

    def record_rep(self, session: str, rep: RepResult) -> None: ...

    def record_cue(self, session: str, cue: CueEvent) -> None: ...

    def finish_session(
        self,
        session: str,
        summary: dict[str, Any],
        status: SessionStatus,
        frame_rate: FrameRateSummary | None = None,
    ) -> Future[SaveResult]: ...
