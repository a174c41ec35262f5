"""The therapist sees how fast the session's computer was beside its counts, and a warning when its
slowest spell was below what counting needs (issue: the live count is wrong on a slow computer)."""

from __future__ import annotations

import os
from types import SimpleNamespace

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from rehab_coach.ui.therapist.history import frame_rate_text


def test_the_session_says_how_fast_its_computer_was_and_warns_when_too_slow_to_count(qapp):  # type: ignore[no-untyped-def]
    slow = SimpleNamespace(fps_mean=11.9, fps_lowest=5.0)
    expected = "12 frames a second (too slow to count reliably at times: 5 at the slowest, 8 needed)"
    assert frame_rate_text(slow, "en") == expected  # type: ignore[arg-type]
    assert frame_rate_text(slow, "zh").startswith("每秒 12 帧 （有时太慢")  # type: ignore[arg-type]
    assert frame_rate_text(SimpleNamespace(fps_mean=29.8, fps_lowest=27.0), "en") == "30 frames a second"  # type: ignore[arg-type]
    assert frame_rate_text(SimpleNamespace(fps_mean=None, fps_lowest=None), "en") == ""  # type: ignore[arg-type]
