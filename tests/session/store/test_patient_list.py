"""The patient list as a model (session/store/patient_list.py): "Needs attention" keeps the patients
with a pain flag nobody reviewed, and the list sorts by name, by the newest flag, or by adherence."""

from __future__ import annotations

import datetime as dt

import pytest

from rehab_coach.session.pain_rule import PainFlag
from rehab_coach.session.store import (
    Adherence,
    LatestRead,
    PatientInfo,
    PatientListRequest,
    Store,
    arrange,
    arranged,
    attention_count,
    read_patient_list,
)
from rehab_coach.session.store.flags import PatientOverview

DAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def row(
    code: str, name: str, *, flag_days: tuple[int, ...] = (), done: int = 0, prescribed: int = 0, others: int = 0
) -> PatientOverview:
    flags = [PainFlag(100 + d, DAY + dt.timedelta(days=d), "squat", 8, None) for d in sorted(flag_days, reverse=True)]
    other = ["2 missed this week"] * others
    return PatientOverview(
        PatientInfo(len(code), code, name),
        None,
        Adherence(DAY.date(), DAY.date(), prescribed, done, 0),
        None,
        open_flags=flags,
        other_flags=other,
    )


ROWS = [
    row("P-1", "Zoë Adams", flag_days=(1,), done=9, prescribed=10),
    row("P-22", "álvaro Díaz", done=2, prescribed=10, others=1),
    row("P-333", "Bob Jones", flag_days=(0, 5), done=5, prescribed=10),
    row("P-4444", "Carla Diaz"),  # no program: no adherence
    row("P-55555", "Ann Lee", done=9, prescribed=10),
]


def codes(rows: list[PatientOverview]) -> list[str]:
    return [r.patient.code for r in rows]


def test_needs_attention_keeps_the_patients_with_an_open_flag_newest_first() -> None:
    shown = arrange(ROWS, needs_attention=True, sort="flags")
    assert codes(shown) == ["P-333", "P-1"]  # Bob's newest flag (day 5) is newer than Zoë's (day 1)
    assert attention_count(ROWS) == 2


def test_sort_by_flags_puts_open_pain_first_then_other_flags_then_everyone_by_name() -> None:
    assert codes(arrange(ROWS, sort="flags")) == ["P-333", "P-1", "P-22", "P-55555", "P-4444"]


def test_sort_by_name_ignores_case_and_accents() -> None:
    assert codes(arrange(ROWS)) == ["P-22", "P-55555", "P-333", "P-4444", "P-1"]


def test_sort_by_adherence_lowest_first_and_no_program_last() -> None:
    assert codes(arrange(ROWS, sort="adherence")) == ["P-22", "P-333", "P-55555", "P-1", "P-4444"]


def test_an_unknown_sort_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown sort 'age'"):
        arrange(ROWS, sort="age")  # type: ignore[arg-type]


def test_only_the_newest_reads_answer_counts() -> None:
    reads = LatestRead()
    assert not reads.loading
    first = reads.begin()  # "c"
    second = reads.begin()  # "ca"
    assert reads.loading
    assert reads.finish(second)  # the newer answer comes first: shown
    assert not reads.loading
    assert not reads.finish(first)  # the older keystroke's answer, late: dropped
    assert not reads.loading


def test_a_stale_answer_leaves_the_list_loading() -> None:
    reads = LatestRead()
    first = reads.begin()
    second = reads.begin()
    assert not reads.finish(first) and reads.loading  # still waiting for "ca"
    assert reads.finish(second) and not reads.loading


def test_after_a_cancel_no_answer_on_its_way_counts() -> None:
    reads = LatestRead()
    first = reads.begin()
    reads.cancel()  # the screen was filled from elsewhere meanwhile
    assert not reads.loading
    assert not reads.finish(first) and not reads.loading
    third = reads.begin()
    assert reads.loading and reads.finish(third)


def test_the_list_is_read_with_its_search_in_one_batched_read(store: Store) -> None:
    """On SQLite and PostgreSQL: the search filters code and name (case and accents ignored),
    archived patients only when asked for, then the sort."""
    store.add_patient("P-001", "José García")
    store.add_patient("P-002", "Ann Garner")
    store.add_patient("P-003", "Bob Jones")
    old = store.add_patient("P-004", "Gary Old")
    store.update_patient(old.id, archived=True)
    page = read_patient_list(store, PatientListRequest("gar"))
    assert [r.patient.code for r in page.rows] == ["P-002", "P-001"]  # by name: Ann, José
    assert page.attention == 0
    archived = read_patient_list(store, PatientListRequest("GAR", include_archived=True))
    assert [r.patient.code for r in archived.rows] == ["P-002", "P-004", "P-001"]
    assert [r.patient.code for r in read_patient_list(store, PatientListRequest("p-003")).rows] == ["P-003"]
    assert read_patient_list(store, PatientListRequest("nobody")).rows == []
    assert len(read_patient_list(store, PatientListRequest()).rows) == 3


def test_the_filter_and_the_sort_arrange_rows_already_read() -> None:
    page = arranged(ROWS, needs_attention=True, sort="flags")
    assert [r.patient.code for r in page.rows] == ["P-333", "P-1"] and page.attention == 2
    assert page.everyone == ROWS  # kept, so that switching the filter off needs no read either
    everyone = arranged(page.everyone, needs_attention=False, sort="name")
    assert [r.patient.code for r in everyone.rows] == ["P-22", "P-55555", "P-333", "P-4444", "P-1"]
