"""Copying a program from another patient (rehab_coach.session.prescribing): who can be copied from,
found as the patient list finds them, and what the copy carries over."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from rehab_coach.session.prescribing import copied_program, copy_sources, matching
from rehab_coach.session.progression import ProgressionRule
from rehab_coach.session.store import ItemSpec, ProgramSpec, Store, open_store, weekdays_mask

RULE = ProgressionRule(step=2, pain_ceiling=4, maximum=16)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / "copy.db")
    yield opened
    opened.close()


def test_only_other_patients_with_a_program_are_offered_and_the_search_ignores_accents(store: Store) -> None:
    ana = store.add_patient("P-1", "Ana García")
    jose = store.add_patient("P-2", "José Núñez")
    store.add_patient("P-3", "Gary Nobody")  # no program: nothing to copy
    for patient in (ana, jose):
        store.save_program(patient.id, ProgramSpec([ItemSpec("squat")]))
    assert [s.patient.code for s in copy_sources(store, jose.id)] == ["P-1"]
    everyone = copy_sources(store, None)
    assert [s.patient.code for s in everyone] == ["P-1", "P-2"]
    assert [s.patient.code for s in matching(everyone, "garcia")] == ["P-1"]
    assert [s.patient.code for s in matching(everyone, " NUNEZ ")] == ["P-2"]
    assert [s.patient.code for s in matching(everyone, "p-2")] == ["P-2"]
    assert matching(everyone, "nobody") == []
    assert matching(everyone, "") == everyone


def test_the_copy_keeps_targets_dosage_notes_and_days_and_starts_anew(store: Store) -> None:
    ana, ben = store.add_patient("P-1", "Ana"), store.add_patient("P-2", "Ben")
    source = store.save_program(
        ana.id,
        ProgramSpec(
            [ItemSpec("squat", 3, 12, {"primary.target": 95.0, "side": "left"}, "hold the rail", RULE)],
            weekdays_mask("tue,thu"),
            dt.date(2026, 10, 1),
            dt.date(2026, 10, 28),
            name="TKA weeks 0-2",
            notes="after TKA",
        ),
    )
    start = dt.date(2026, 12, 7)
    copy = copied_program(source, start)
    assert (copy.name, copy.notes, copy.weekdays) == ("TKA weeks 0-2", "after TKA", weekdays_mask("tue,thu"))
    assert (copy.start_date, copy.end_date) == (start, dt.date(2027, 1, 3))  # the same four weeks
    (item,) = copy.items
    assert (item.exercise_id, item.sets, item.reps, item.notes) == ("squat", 3, 12, "hold the rail")
    assert item.overrides == {"primary.target": 95.0, "side": "left"}
    assert item.progression == RULE  # without Ana's start day
    saved = store.save_program(ben.id, copy)
    assert saved.items[0].progression is not None and saved.items[0].progression.since == start
    assert store.active_program(ana.id) == source  # the source program is untouched
