"""Calendar-day and day-count options for argparse, kept to what the calendar and the clock can hold.

Python's dates run from year 1 to 9999, but a day at either end cannot become local midnight
(the time zone pushes it past the range) or be followed by the next day, and Windows' clock
stops at 1970 and 3000: a day outside FIRST_DAY..LAST_DAY is refused as the option's error,
never as a traceback later.
"""

from __future__ import annotations

import argparse
import datetime as dt

FIRST_DAY = dt.date(1971, 1, 1)
LAST_DAY = dt.date(2999, 12, 31)
MAX_DAYS = 3660  # ten years: the longest look back any listing needs


def calendar_day(text: str) -> dt.date:
    """A YYYY-MM-DD day from FIRST_DAY to LAST_DAY."""
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day: use YYYY-MM-DD") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise argparse.ArgumentTypeError(f"{text} is out of range: give a day from {FIRST_DAY} to {LAST_DAY}")
    return day


def day_count(text: str) -> int:
    """A whole number of days from 1 to MAX_DAYS."""
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of days") from None
    if not 1 <= days <= MAX_DAYS:
        raise argparse.ArgumentTypeError(f"{text} is out of range: give 1 to {MAX_DAYS} days")
    return days
