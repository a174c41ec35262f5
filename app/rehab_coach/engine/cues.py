"""One clear instruction at a time: cues compete by priority and respect cool-downs.

A cue offered while another is still being heard waits briefly (`stale_seconds`); when
the gap opens, the most important waiting cue is spoken and the others are dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rehab_coach.engine.types import CueEvent, CueKind


@dataclass
class CueScheduler:
    global_gap_seconds: float = 2.5  # silence between any two cues, so each can be heard
    repeat_gap_seconds: float = 8.0  # the same cue is not nagged again sooner than this
    stale_seconds: float = 1.5  # a waiting cue older than this no longer fits the movement
    last_t: float = float("-inf")
    last_by_id: dict[str, float] = field(default_factory=dict)
    pending: dict[str, CueEvent] = field(default_factory=dict)

    def offer(self, t: float, kind: CueKind, cue_id: str, text: str, priority: int) -> None:
        if cue_id not in self.pending:
            self.pending[cue_id] = CueEvent(round(t, 3), kind, cue_id, text, priority)

    def withdraw(self, no_longer_fits: Callable[[CueEvent], bool]) -> None:
        """Drop the waiting cues that no longer fit (a correction a newer rep does not bear out)."""
        self.pending = {k: c for k, c in self.pending.items() if not no_longer_fits(c)}

    def emit(self, t: float) -> CueEvent | None:
        """The most important waiting cue, if the cool-downs allow one now."""
        self.pending = {
            k: c
            for k, c in self.pending.items()
            if t - c.t <= self.stale_seconds and t - self.last_by_id.get(k, float("-inf")) >= self.repeat_gap_seconds
        }
        if not self.pending or t - self.last_t < self.global_gap_seconds:
            return None
        chosen = max(self.pending.values(), key=lambda c: (c.priority, -c.t))
        self.pending.clear()
        cue = CueEvent(round(t, 3), chosen.kind, chosen.id, chosen.text, chosen.priority)
        self.last_t = t
        self.last_by_id[cue.id] = t
        return cue
