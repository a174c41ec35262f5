"""The therapist's screens and PDF show "not measurable from this view" in place of an angle the view
could not give, and mark a 3D one; the store keeps such an angle as null, never as 0 degrees."""

from __future__ import annotations

import datetime as dt
import math
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from rehab_coach.engine.types import RepResult
from rehab_coach.session.store.convert import rep_info, rep_row
from rehab_coach.ui.therapist.history import _rep_angle


def _rep(extreme: float, source: str) -> RepResult:
    return RepResult(
        index=1,
        start_t=1.0,
        end_t=3.0,
        complete=True,
        side=None,
        rom=math.nan if math.isnan(extreme) else 170.0 - extreme,
        extreme=extreme,
        start_value=math.nan if math.isnan(extreme) else 170.0,
        quality=80.0,
        quality_parts={"rom": None, "tempo": 1.0, "form": 1.0},
        peaks={"elbow_min": None, "elbow_max": None},
        faults=[],
        angle_source={"elbow": source},
    )


def test_an_unmeasurable_angle_is_stored_as_null_and_read_back_with_its_reason():
    row = rep_row(_rep(math.nan, "wrong_view"), session_id=1, set_id=None, seq=1, recorded_at=dt.datetime.now(dt.UTC))
    assert (row.rom, row.extreme, row.start_value) == (None, None, None)
    back = rep_info(row, None)
    assert math.isnan(back.extreme) and back.angle_source == {"elbow": "wrong_view"}


def test_the_rep_table_says_why_an_angle_is_missing_in_both_languages(qapp):  # type: ignore[no-untyped-def]
    assert _rep_angle(math.nan, "wrong_view", "en") == "not measurable from this view"
    assert _rep_angle(math.nan, "wrong_view", "zh") == "此视角无法测量"
    assert _rep_angle(48.2, "world", "en") == "48.2 (3D)"
    assert _rep_angle(48.2, "image", "en") == "48.2"
    assert _rep_angle(math.nan, None, "en") == "-"  # a hold, or a rep recorded before honest angles
