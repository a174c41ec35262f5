"""The therapist's periods: the last 7 or 30 local days including today, or everything."""

from __future__ import annotations

import datetime as dt

import pytest

from rehab_coach.session.period import local_midnight, period_bounds

TODAY = dt.date(2026, 3, 20)


def test_the_last_7_days_are_today_and_the_six_before_in_local_time() -> None:
    bounds = period_bounds("7d", TODAY)
    assert (bounds.first_day, bounds.last_day) == (dt.date(2026, 3, 14), TODAY)
    assert bounds.since == local_midnight(dt.date(2026, 3, 14)) and bounds.since.tzinfo == dt.UTC
    assert bounds.until == local_midnight(dt.date(2026, 3, 21))
    first_moment = dt.datetime(2026, 3, 14, 0, 0).astimezone()
    assert bounds.contains(first_moment) and not bounds.contains(first_moment - dt.timedelta(seconds=1))
    assert bounds.contains(dt.datetime(2026, 3, 20, 23, 59).astimezone())
    assert not bounds.contains(dt.datetime(2026, 3, 21, 0, 0).astimezone())


def test_30_days_and_all() -> None:
    month = period_bounds("30d", TODAY)
    assert (month.first_day, month.last_day) == (dt.date(2026, 2, 19), TODAY)
    everything = period_bounds("all", TODAY)
    assert (everything.since, everything.until) == (None, None)
    assert everything.contains(dt.datetime(1999, 1, 1, tzinfo=dt.UTC))


def test_an_unknown_period_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown period '90d'"):
        period_bounds("90d", TODAY)  # type: ignore[arg-type]
