"""The therapist's chosen patient through searches (issue 19, defect 1): the list's highlight, the
detail and Edit must never name different patients."""

from __future__ import annotations

from rehab_coach.session.patient_selection import PatientSelection

DEMO, BOB, JOSE = 1, 2, 3


def test_a_search_that_hides_the_chosen_patient_keeps_it_chosen_and_highlights_nobody() -> None:
    selection = PatientSelection()
    selection.show([BOB, JOSE, DEMO])
    assert selection.choose_row(2) and selection.chosen == DEMO
    selection.show([JOSE])  # "jose" typed in the search
    assert selection.chosen == DEMO and selection.highlighted_row is None
    selection.show([BOB, JOSE, DEMO])  # the search cleared
    assert selection.highlighted_row == 2


def test_choosing_the_row_where_another_patient_was_highlighted_chooses_that_patient() -> None:
    """The bug: José came to sit on the demo patient's row 0, so clicking him changed nothing."""
    selection = PatientSelection()
    selection.show([DEMO, JOSE])
    selection.choose_row(0)
    selection.show([JOSE])
    assert selection.choose_row(0) and selection.chosen == JOSE
    assert selection.highlighted_row == 0
    assert not selection.choose_row(0)  # the same patient again: nothing to load


def test_a_row_outside_the_list_chooses_nobody() -> None:
    selection = PatientSelection()
    selection.show([DEMO])
    assert not selection.choose_row(-1) and not selection.choose_row(1)
    assert selection.chosen is None and selection.highlighted_row is None
