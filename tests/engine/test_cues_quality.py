import pytest

from rehab_coach.engine.cues import CueScheduler
from rehab_coach.engine.quality import rep_quality, rom_score, tempo_score
from rehab_coach.engine.templates import load_template_by_id


def test_one_cue_at_a_time_highest_priority_first():
    s = CueScheduler(global_gap_seconds=2.5, repeat_gap_seconds=8)
    s.offer(0.0, "fault", "lean", "Keep your chest up", 3)
    s.offer(0.0, "fault", "deeper", "Go deeper", 2)
    assert s.emit(0.0).id == "lean"
    s.offer(1.0, "fault", "deeper", "Go deeper", 2)
    assert s.emit(1.0) is None  # still inside the global gap
    assert s.emit(2.4) is None
    assert s.emit(2.5).id == "deeper"  # waited, still fresh


def test_same_cue_is_not_nagged_and_stale_cues_expire():
    s = CueScheduler(global_gap_seconds=2.5, repeat_gap_seconds=8, stale_seconds=1.5)
    s.offer(0.0, "fault", "lean", "x", 3)
    assert s.emit(0.0)
    for t in (3.0, 5.0, 7.0):
        s.offer(t, "fault", "lean", "x", 3)
        assert s.emit(t) is None
    s.offer(8.0, "fault", "lean", "x", 3)
    assert s.emit(8.0) is not None
    s.offer(9.0, "fault", "other", "y", 1)
    assert s.emit(12.0) is None  # offered 3 s ago: no longer relevant


def test_quality_formula():
    squat = load_template_by_id("squat")  # ideal 90, tempo 1.5-6 s, weights 0.5/0.2/0.3
    assert rom_score(170, 90, 90) == 1.0
    assert rom_score(170, 130, 90) == pytest.approx(0.5)
    assert tempo_score(3, 1.5, 6) == 1.0 and tempo_score(0.75, 1.5, 6) == 0.5 and tempo_score(12, 1.5, 6) == 0.5
    score, parts = rep_quality(squat, 170, 90, 3.0, [])
    assert score == 100.0 and parts == {"rom": 1.0, "tempo": 1.0, "form": 1.0}
    score, _ = rep_quality(squat, 170, 130, 3.0, [0.35])
    assert score == pytest.approx(100 * (0.5 * 0.5 + 0.2 * 1 + 0.3 * 0.65))
    assert rep_quality(squat, 170, 90, 3.0, [0.6, 0.6])[1]["form"] == 0.0
