"""Number options for argparse: finite only. `float("inf")` and `float("nan")` parse, but no
option means them, and one that slips through overflows a timer or a loop much later."""

from __future__ import annotations

import argparse
import math


def finite(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def positive(text: str) -> float:
    value = finite(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value


def not_negative(text: str) -> float:
    value = finite(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value
