"""The store's plain views: a patient's label for narrow places (issue 19, defect 12c)."""

from __future__ import annotations

from rehab_coach.session.store.views import PatientInfo, elide_middle

LONG = "Alexandra Konstantina Papadopoulou-Smithington"


def test_a_long_name_loses_its_middle_and_the_code_always_shows() -> None:
    label = PatientInfo(1, "P-0042", LONG).label(28)
    name, code = label.rsplit(" ", 1)
    assert code == "[P-0042]"  # the code tells two patients apart: never cut
    assert len(name) <= 28 and "…" in name
    assert name.startswith("Alexandra Kon") and name.endswith("Smithington")  # the start and the end stay
    assert PatientInfo(2, "P-7", "Ann Smith").label(28) == "Ann Smith [P-7]"  # a short name whole
    assert PatientInfo(3, "Z-1", "王小明").label(2) == "王小明 [Z-1]"  # too small a limit to cut sensibly


def test_elide_middle_keeps_the_limit_and_tidies_spaces() -> None:
    for limit in range(3, len(LONG) + 2):
        assert len(elide_middle(LONG, limit)) <= limit
    assert elide_middle("  Ann   Smith ", 20) == "Ann Smith"
