"""Demonstration clinical test results for a patient (the screenshots, `patients demo`, the tests):
a few weeks of each standard test getting better, written through the recorder's ops like real ones."""

from __future__ import annotations

import datetime as dt
import uuid

from rehab_coach.engine.clinical import ClinicalResult, StandTimes, TimedPhase
from rehab_coach.session.store.ops import Finish, Op, RecordClinicalResult, StartSession
from rehab_coach.session.store.store import Store

WEEKS = 4


def _five_times(value: float) -> ClinicalResult:
    step = (value - 1.0) / 5
    stands = [
        StandTimes(rise=round(0.5 + i * step, 2), up=round(1.2 + i * step, 2), sit=round(1.0 + (i + 1) * step, 2))
        for i in range(5)
    ]
    return ClinicalResult(
        test="five_times_sit_to_stand",
        value=value,
        unit="s",
        completed=True,
        ended_by="five_stands",
        stands=5,
        secondary={"fifth_stand": round(value - 0.7, 2)},
        stand_times=stands,
        duration=value,
        frames=round(value * 30),
        mean_fps=30.0,
    )


def _chair_stand(count: int, arms: bool) -> ClinicalResult:
    every = 30.0 / (count + 0.5)
    stands = [
        StandTimes(
            rise=round(0.6 + i * every, 2),
            up=round(1.3 + i * every, 2),
            sit=round(2.0 + i * every, 2),
            arms_used=arms and i < 2,
        )
        for i in range(count)
    ]
    return ClinicalResult(
        test="chair_stand_30s",
        value=float(count),
        unit="stands",
        completed=True,
        ended_by="time_up",
        stands=count,
        stand_times=stands,
        flags=["arms_used"] if arms else [],
        duration=30.0,
        frames=900,
        mean_fps=30.0,
    )


def _tug(value: float) -> ClinicalResult:
    share = value / 10.0
    cuts = [0.0, 1.4, 4.2, 5.6, 8.4, 10.0]
    names = ["rise", "walk_out", "turn", "walk_back", "sit"]
    phases = [
        TimedPhase(name=n, start=round(a * share, 2), end=round(b * share, 2))
        for n, a, b in zip(names, cuts, cuts[1:], strict=False)
    ]
    return ClinicalResult(
        test="timed_up_and_go",
        value=value,
        unit="s",
        completed=True,
        ended_by="seated",
        secondary={"rise_start": round(0.5 * share, 2)},
        phases=phases,
        duration=value,
        frames=round(value * 30),
        mean_fps=30.0,
    )


def _stance(trial: int, side: str, value: float) -> ClinicalResult:
    return ClinicalResult(
        test="single_leg_stance_test",
        trial=trial,
        value=value,
        unit="s",
        completed=True,
        ended_by="foot_down" if value < 30 else "ceiling",
        side=side,
        secondary={"lift": 1.1},
        duration=round(value + 1.1, 2),
        frames=round((value + 1.1) * 30),
        mean_fps=30.0,
    )


def seed_clinical_demo(store: Store, code: str, today: dt.date | None = None, weeks: int = WEEKS) -> list[str]:
    """A test session of each kind once a week for `weeks` weeks up to `today`, results improving; returns
    the session uids, oldest first."""
    today = today or dt.date.today()
    uids = []
    for week in range(weeks):
        day = today - dt.timedelta(days=7 * (weeks - 1 - week))
        start = dt.datetime.combine(day, dt.time(10, 0)).astimezone(dt.UTC)
        progress = week / max(weeks - 1, 1)
        trials = {
            "timed_up_and_go": [_tug(round(13.8 - 3.1 * progress, 1))],
            "five_times_sit_to_stand": [_five_times(round(16.9 - 3.6 * progress, 1))],
            "chair_stand_30s": [_chair_stand(8 + round(4 * progress), arms=week == 0)],
            "single_leg_stance_test": [
                _stance(1, "right", round(6.2 + 8.0 * progress, 1)),
                _stance(2, "left", round(4.1 + 6.5 * progress, 1)),
            ],
        }
        for minutes, (test, results) in enumerate(trials.items()):
            at = start + dt.timedelta(minutes=6 * minutes)
            uid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"rehab-coach-demo/{code}/{test}/{day}"))
            ops: list[Op] = [StartSession(session=uid, at=at, exercise_id=test, patient_code=code)]
            ops += [RecordClinicalResult(session=uid, at=at + dt.timedelta(seconds=40), result=r) for r in results]
            ops.append(
                Finish(
                    session=uid,
                    at=at + dt.timedelta(seconds=60),
                    summary={"clinical_test": test, "results": [r.model_dump(mode="json") for r in results]},
                )
            )
            store.apply_ops(ops)
            uids.append(uid)
    return uids
