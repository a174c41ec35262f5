"""The published norms as data: every file reads and is checked, a result is read against the band for
the patient's age (and sex where the norms differ by it), cut-offs say whether it is past them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rehab_coach.engine.clinical import CLINICAL_TESTS
from rehab_coach.errors import InputError
from rehab_coach.session.clinical.norms import (
    NORMS_DIR,
    age_on,
    all_norm_tables,
    load_norms,
    read_against_norms,
    read_result,
)


def test_every_test_has_a_norm_table_with_its_sources_cited() -> None:
    tables = {t.test: t for t in all_norm_tables()}
    assert set(tables) == set(CLINICAL_TESTS)
    for table in tables.values():
        assert table.bands and table.cutoffs
        assert all(s.citation and s.short for s in table.sources)


@pytest.mark.parametrize(
    ("value", "level", "past_steadi"),
    [(9, "worse", True), (10, "typical", False), (15, "typical", False), (16, "better", False)],
)
def test_chair_stand_against_rikli_and_jones_and_steadi(value: int, level: str, past_steadi: bool) -> None:
    reading = read_against_norms("chair_stand_30s", value, 72, "female")
    assert reading.band is not None and (reading.band.low, reading.band.high) == (10, 15)
    assert reading.source is not None and reading.source.short == "Rikli & Jones 1999"
    assert reading.level == level
    [cut] = reading.cutoffs
    assert cut.source.short == "CDC STEADI 2017" and cut.cutoff.value == 10 and cut.past is past_steadi


def test_men_and_women_have_their_own_bands() -> None:
    assert read_against_norms("chair_stand_30s", 13, 67, "male").level == "typical"  # men 65-69: 12-18
    assert read_against_norms("chair_stand_30s", 13, 62, "male").level == "worse"  # men 60-64: 14-19


@pytest.mark.parametrize(
    ("test", "value", "age", "level"),
    [
        ("five_times_sit_to_stand", 11.4, 65, "typical"),  # Bohannon: worse than average above 11.4 s
        ("five_times_sit_to_stand", 11.5, 65, "worse"),
        ("five_times_sit_to_stand", 14.0, 85, "typical"),
        ("timed_up_and_go", 6.9, 65, "better"),  # below the 95 % interval 7.1-9.0
        ("timed_up_and_go", 8.5, 65, "typical"),
        ("timed_up_and_go", 10.5, 75, "worse"),  # above 8.2-10.2
        ("single_leg_stance_test", 16.0, 72, "typical"),  # at or above the mean of 15 s
        ("single_leg_stance_test", 9.0, 72, "worse"),
    ],
)
def test_times_against_their_bands(test: str, value: float, age: int, level: str) -> None:
    assert read_against_norms(test, value, age, None).level == level


def test_cut_offs_are_read_on_their_own_side() -> None:
    [tug] = read_against_norms("timed_up_and_go", 12.0, 80, None).cutoffs
    assert tug.past and tug.cutoff.flagged == "at_or_above"  # STEADI: 12 s or more
    assert not read_against_norms("timed_up_and_go", 11.9, 80, None).cutoffs[0].past
    [one_leg] = read_against_norms("single_leg_stance_test", 4.9, 70, None).cutoffs
    assert one_leg.past and one_leg.source.short == "Vellas et al. 1997"


def test_without_an_age_or_a_needed_sex_or_a_table_for_the_age_there_is_no_norm() -> None:
    no_age = read_against_norms("timed_up_and_go", 9.0, None, None)
    assert no_age.band is None and no_age.level is None and no_age.cutoffs == () and no_age.missing == "age"
    no_sex = read_against_norms("chair_stand_30s", 12, 70, None)
    assert no_sex.band is None and no_sex.missing == "sex" and no_sex.cutoffs == ()
    young = read_against_norms("timed_up_and_go", 9.0, 40, "male")
    assert young.band is None and young.missing == "table"


def test_age_comes_from_the_birth_year_on_the_day_of_the_test() -> None:
    assert age_on(1950, dt.date(2026, 3, 1)) == 76
    assert age_on(None, dt.date(2026, 3, 1)) is None
    assert age_on(2030, dt.date(2026, 3, 1)) is None
    reading = read_result("timed_up_and_go", 9.5, 1950, "female", dt.date(2026, 3, 1))
    assert reading is not None and reading.age == 76
    assert read_result("timed_up_and_go", None, 1950, "female", dt.date(2026, 3, 1)) is None
    assert read_result("chair_stand_30s", 12, 1950, "other", dt.date(2026, 3, 1)).missing == "sex"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda t: t.replace(
                "source: rikli_jones_1999, kind: range, sex: female, ages: [60, 64]",
                "source: nobody, kind: range, sex: female, ages: [60, 64]",
            ),
            "bands\\[0\\]: source 'nobody' is not among the sources",
        ),  # fmt: skip
        (
            lambda t: t.replace("ages: [60, 64], low: 12, high: 17", "ages: [64, 60], low: 12, high: 17", 1),
            "bands.0: ages \\[64, 60\\]",
        ),  # fmt: skip
        (lambda t: t.replace("low: 12, high: 17", "low: 17, high: 12", 1), "bands.0: a range needs low and high"),
        (lambda t: t.replace("unit: stands", "unit: s"), "the test is measured in 'stands'"),
        (lambda t: t.replace("flagged: below", "flagged: sideways", 1), "cutoffs.0.flagged"),
        (lambda t: t + "\nextra: 1\n", "extra: Extra inputs are not permitted"),
        (lambda t: "bands: [", "cannot read the norm table"),
    ],
)
def test_a_broken_norm_file_names_the_file_the_entry_and_the_problem(tmp_path: Path, edit, message: str) -> None:
    broken = tmp_path / "chair_stand_30s.yaml"
    broken.write_text(edit((NORMS_DIR / "chair_stand_30s.yaml").read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(InputError, match=message) as caught:
        load_norms(broken)
    assert str(broken) in str(caught.value)
