"""The definition of "done" on its own (rehab_coach.session.done): prescribed reps reached across a
day's sessions, a therapist's correction counting instead of the app's count."""

from __future__ import annotations

from dataclasses import dataclass

from rehab_coach.session.done import ItemProgress, reps_counted


@dataclass(frozen=True)
class Counted:
    reps_complete: int
    corrected_reps: int | None = None


def test_reps_add_up_across_the_days_sessions_whatever_their_status() -> None:
    assert ItemProgress.of(1, 10, [Counted(5), Counted(5)]).state == "done"
    assert ItemProgress.of(2, 10, [Counted(5), Counted(5)]).state == "partial"
    assert ItemProgress.of(1, 10, []).state == "not_started"
    assert ItemProgress.of(1, 10, [Counted(0)]).state == "not_started"


def test_a_correction_wins_over_the_apps_count() -> None:
    assert reps_counted(Counted(10, corrected_reps=5)) == 5
    assert reps_counted(Counted(3, corrected_reps=0)) == 0  # a correction to zero is a count too
    assert reps_counted(Counted(7)) == 7
    assert not ItemProgress.of(1, 10, [Counted(10, corrected_reps=5)]).done
    assert ItemProgress.of(1, 10, [Counted(5, corrected_reps=10)]).done
