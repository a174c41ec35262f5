"""Published norms of the clinical tests, read from the data files in `norms/`, and a result read
against them for a patient's age and sex.

One YAML file per test (docs/clinical-tests.md lists every figure with its source). A file holds the
sources, the **bands** (what is usual for an age, and for some tests a sex) and the **cut-offs** (a
value past which a screen such as CDC STEADI calls for a closer look). A band is one of:

- `range`: the middle of the population, low to high (Rikli and Jones: 25th-75th percentile);
- `mean`: the mean, with its confidence interval where the source gives one (low, high);
- `limit`: one value past which a result is worse than average (Bohannon's 5xSTS).

Files are validated when read: an error names the file, the entry and what is wrong. Without an age,
or without a sex where the bands are split by sex, a result is shown with no norm.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from rehab_coach.engine.clinical.catalog import CLINICAL_TESTS, TestId, TestUnit, clinical_test
from rehab_coach.errors import InputError, first_problem

NORMS_DIR = Path(__file__).resolve().parent / "norms"
Sex = Literal["female", "male"]
Level = Literal["better", "typical", "worse"]


class NormSource(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    short: str = Field(min_length=1)  # "Rikli & Jones 1999": on the screens and in the PDF
    citation: str = Field(min_length=1)
    url: str | None = None


class _Ages(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str
    sex: Sex | Literal["any"] = "any"
    ages: tuple[int, int]

    @model_validator(mode="after")
    def _ages_in_order(self) -> _Ages:
        if not 0 <= self.ages[0] <= self.ages[1] <= 120:
            raise ValueError(f"ages {list(self.ages)}: the first age must not be above the second (0-120)")
        return self

    def covers(self, age: int, sex: Sex | None) -> bool:
        return self.ages[0] <= age <= self.ages[1] and (self.sex == "any" or self.sex == sex)

    @property
    def age_text(self) -> str:
        return f"{self.ages[0]}-{self.ages[1]}"


class NormBand(_Ages):
    kind: Literal["range", "mean", "limit"]
    low: float | None = None
    high: float | None = None
    mean: float | None = None

    @model_validator(mode="after")
    def _values_for_kind(self) -> NormBand:
        if self.kind == "range" and (self.low is None or self.high is None or self.low > self.high):
            raise ValueError("a range needs low and high, low not above high")
        if self.kind == "mean" and self.mean is None:
            raise ValueError("a mean band needs its mean")
        if self.kind == "limit" and (self.low is None) == (self.high is None):
            raise ValueError("a limit band needs either low (worse below) or high (worse above)")
        return self


class NormCutoff(_Ages):
    value: float
    flagged: Literal["below", "at_or_above"]  # which side of the value the screen calls for a closer look

    def past(self, value: float) -> bool:
        return value < self.value if self.flagged == "below" else value >= self.value


class NormTable(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    test: TestId
    unit: TestUnit
    sources: list[NormSource] = Field(min_length=1)
    bands: list[NormBand] = Field(default_factory=list)
    cutoffs: list[NormCutoff] = Field(default_factory=list)

    @model_validator(mode="after")
    def _sources_named(self) -> NormTable:
        known = {s.id for s in self.sources}
        for kind, entries in (("bands", self.bands), ("cutoffs", self.cutoffs)):
            for i, entry in enumerate(entries):
                if entry.source not in known:
                    raise ValueError(
                        f"{kind}[{i}]: source {entry.source!r} is not among the sources ({', '.join(known)})"
                    )
        if self.unit != clinical_test(self.test).unit:
            raise ValueError(f"unit {self.unit!r}: the test is measured in {clinical_test(self.test).unit!r}")
        return self

    def source(self, source_id: str) -> NormSource:
        return next(s for s in self.sources if s.id == source_id)

    @property
    def by_sex(self) -> bool:
        """Whether the bands differ by sex (then a result needs the patient's sex to be read)."""
        return any(b.sex != "any" for b in self.bands)


def load_norms(path: Path) -> NormTable:
    """One norm file; `InputError` names the file, the entry and the problem."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"{path}: cannot read the norm table ({exc})") from None
    try:
        return NormTable.model_validate(data)
    except ValidationError as exc:
        where, problem = first_problem(exc, "the file")
        raise InputError(f"{path}: {where}: {problem}") from None


@cache
def norm_table(test_id: str) -> NormTable:
    """The shipped norm table of a test (read once)."""
    clinical_test(test_id)
    table = load_norms(NORMS_DIR / f"{test_id}.yaml")
    if table.test != test_id:
        raise InputError(f"{NORMS_DIR / (test_id + '.yaml')}: test: says {table.test!r}, the file is for {test_id!r}")
    return table


def all_norm_tables() -> list[NormTable]:
    return [norm_table(test_id) for test_id in CLINICAL_TESTS]


# ---- a result against the norms ----------------------------------------------------------------


@dataclass(frozen=True)
class CutoffReading:
    cutoff: NormCutoff
    source: NormSource
    past: bool  # the result is on the flagged side


@dataclass(frozen=True)
class NormReading:
    """A result against the norms for one patient: the band it was read against (None: no norm for
    this age and sex), the level, and every cut-off for the age with whether the result is past it."""

    test: TestId
    value: float
    age: int | None
    sex: Sex | None
    band: NormBand | None
    source: NormSource | None
    level: Level | None
    cutoffs: tuple[CutoffReading, ...]

    @property
    def missing(self) -> Literal["age", "sex", "table", ""]:
        """Why there is no band: no age, no sex where the bands need one, or none for this age."""
        if self.band is not None:
            return ""
        if self.age is None:
            return "age"
        if self.sex is None and norm_table(self.test).by_sex:
            return "sex"
        return "table"


def age_on(birth_year: int | None, day: dt.date) -> int | None:
    """The age in whole years on `day` from a birth year (the record keeps only the year): the age the
    patient turns that year, so up to one year more than the true age before the birthday."""
    if birth_year is None or birth_year > day.year:
        return None
    return day.year - birth_year


def read_against_norms(test_id: str, value: float, age: int | None, sex: Sex | None) -> NormReading:
    table = norm_table(test_id)
    lower_is_better = clinical_test(test_id).lower_is_better
    band = None
    if age is not None:
        band = next((b for b in table.bands if b.covers(age, sex)), None)
    cutoffs: tuple[CutoffReading, ...] = ()
    if age is not None:
        cutoffs = tuple(
            CutoffReading(c, table.source(c.source), c.past(value)) for c in table.cutoffs if c.covers(age, sex)
        )
    level = _level(band, value, lower_is_better) if band is not None else None
    source = table.source(band.source) if band is not None else None
    return NormReading(table.test, value, age, sex, band, source, level, cutoffs)


def _level(band: NormBand, value: float, lower_is_better: bool) -> Level:
    """better / typical / worse, in the sense of performance (a shorter time is better)."""
    if band.kind == "limit":
        if band.high is not None:
            return "worse" if value > band.high else "typical"
        assert band.low is not None
        return "worse" if value < band.low else "typical"
    if band.kind == "mean" and (band.low is None or band.high is None):
        assert band.mean is not None
        behind = value > band.mean if lower_is_better else value < band.mean
        return "worse" if behind else "typical"
    low, high = band.low, band.high
    assert low is not None and high is not None
    if lower_is_better:
        return "worse" if value > high else "better" if value < low else "typical"
    return "worse" if value < low else "better" if value > high else "typical"


def read_result(
    test_id: str, value: float | None, birth_year: int | None, sex: str | None, day: dt.date
) -> NormReading | None:
    """A result (the value in force) against the norms for the patient as they were on the test's day;
    None for a test with no value (not completed)."""
    if value is None:
        return None
    known_sex: Sex | None = sex if sex in ("female", "male") else None  # type: ignore[assignment]
    return read_against_norms(test_id, value, age_on(birth_year, day), known_sex)
