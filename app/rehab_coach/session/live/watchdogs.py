"""The two watchdogs that keep an unattended session going (kiosk): worker crashes and a silent camera.

Plain bookkeeping on the session's clock; the live session restarts or reopens what they point at.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_RESTARTS = 3  # worker crashes within RESTART_WINDOW before the session is ended instead
RESTART_WINDOW = 60.0
STALL_SECONDS = 5.0  # a camera silent this long (without reporting an error) is reopened


@dataclass
class Watchdogs:
    last_frame_at: float = 0.0  # clock time of the last frame, or of the source's last word
    source_down: bool = False  # the source said it is lost or broken: its capture loop retries by itself
    crash: str = ""  # the crash that stopped the worker, until it is restarted
    crashes: list[float] = field(default_factory=list)  # clock times of the crashes within the window

    def reset(self, now: float) -> None:
        self.last_frame_at, self.source_down, self.crash, self.crashes = now, False, "", []

    def restart_allowed(self, now: float) -> bool:
        """The crashed worker may be restarted: no more than MAX_RESTARTS crashes within RESTART_WINDOW."""
        self.crashes = [t for t in self.crashes if now - t < RESTART_WINDOW] + [now]
        self.crash = ""
        return len(self.crashes) <= MAX_RESTARTS

    def stalled(self, now: float) -> bool:
        """No frame for STALL_SECONDS and no word from the source: reopen it (and wait as long again)."""
        if self.source_down or now - self.last_frame_at <= STALL_SECONDS:
            return False
        self.last_frame_at = now
        return True
