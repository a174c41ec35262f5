"""'Saved (version N)' counts the patient's own programs: a patient's first program is version 1,
however many programs other patients have."""

from __future__ import annotations

from pathlib import Path

from rehab_coach.session.store import ItemSpec, ProgramSpec, open_store


def test_a_patients_first_program_is_version_one(tmp_path: Path) -> None:
    store = open_store(tmp_path / "p.db")
    try:
        first = store.add_patient("P-001", "Ann")
        for reps in (8, 10, 12):
            store.save_program(first.id, ProgramSpec([ItemSpec("squat", 2, reps)]))
        second = store.add_patient("P-002", "Ben")
        program = store.save_program(second.id, ProgramSpec([ItemSpec("squat", 1, 8)]))
        assert program.id == 4  # the id counts every patient's programs: the number the screen showed
        assert store.program_version(program) == 1
        again = store.save_program(second.id, ProgramSpec([ItemSpec("squat", 2, 8)]))
        assert store.program_version(again) == 2
    finally:
        store.close()
