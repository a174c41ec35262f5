"""The period a therapist looks at: the last 7 days, the last 30 days, or everything.

Days are the patient's calendar days in the machine's local time (as in docs/adherence.md):
"the last 7 days" is today and the six days before it, from local midnight. The same bounds
filter the sessions list and the export of what it shows, so both cover the same sessions.
Plain Python (no Qt, no store).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

Period = Literal["7d", "30d", "all"]
PERIODS: tuple[Period, ...] = ("7d", "30d", "all")
PERIOD_DAYS: dict[Period, int] = {"7d": 7, "30d": 30}


def local_midnight(day: dt.date) -> dt.datetime:
    """The start of a local calendar day, as an aware UTC time (what the store compares)."""
    return dt.datetime.combine(day, dt.time()).astimezone().astimezone(dt.UTC)


@dataclass(frozen=True)
class PeriodBounds:
    """`since` included, `until` excluded (UTC); both None: all sessions."""

    period: Period
    first_day: dt.date | None  # the first local day included
    last_day: dt.date | None  # the last local day included (today)

    @property
    def since(self) -> dt.datetime | None:
        return local_midnight(self.first_day) if self.first_day is not None else None

    @property
    def until(self) -> dt.datetime | None:
        return local_midnight(self.last_day + dt.timedelta(days=1)) if self.last_day is not None else None

    def contains(self, moment: dt.datetime) -> bool:
        since, until = self.since, self.until
        return (since is None or moment >= since) and (until is None or moment < until)


def period_bounds(period: Period, today: dt.date | None = None) -> PeriodBounds:
    if period == "all":
        return PeriodBounds(period, None, None)
    if period not in PERIOD_DAYS:
        raise ValueError(f"unknown period {period!r}: choose one of {', '.join(PERIODS)}")
    today = today or dt.date.today()
    return PeriodBounds(period, today - dt.timedelta(days=PERIOD_DAYS[period] - 1), today)
