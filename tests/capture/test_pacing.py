"""Session time that never goes back, and files paced at media time and speed (fake clocks)."""

from __future__ import annotations

import numpy as np
import pytest

from rehab_coach.capture.pacing import Pacer, Timeline


def test_timeline_never_goes_backwards_on_loops_and_switches() -> None:
    timeline = Timeline()
    timeline.new_source(10.0)
    first = [timeline.stamp(t) for t in (0.0, 0.1, 0.2)]
    looped = [timeline.stamp(t) for t in (0.0, 0.1)]  # the file started again
    timeline.new_source(20.0)
    switched = [timeline.stamp(t) for t in (5.0, 5.05)]  # another source with its own clock
    stamps = first + looped + switched
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
    np.testing.assert_allclose(stamps, [0.0, 0.1, 0.2, 0.3, 0.4, 0.45, 0.5])


def test_pacer_releases_frames_at_media_time_and_speed() -> None:
    now = [100.0]
    pacer = Pacer(speed=2.0, clock=lambda: now[0])
    assert pacer.delay(0.0) == 0.0
    assert pacer.delay(1.0) == pytest.approx(0.5)  # 1 s of media at double speed
    now[0] = 101.0  # fell far behind: no burst, carry on from here
    assert pacer.delay(1.1) == 0.0
    assert pacer.delay(1.3) == pytest.approx(0.1)
    pacer.rebase()  # after a pause the next frame goes out at once
    assert pacer.delay(5.0) == 0.0
