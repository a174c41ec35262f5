"""Demonstration data: a patient with a program and a few weeks of plausible sessions.

For trying the therapist screens without a camera (`rehab-coach patients demo`) and
for tests. Reps are built like the engine builds them (a smooth excursion from the rest
angle to the extreme and back), sessions improve over time so the trends show it.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import uuid
from dataclasses import dataclass

from rehab_coach.engine.types import RepResult
from rehab_coach.session.store import series
from rehab_coach.session.store.ops import Finish, Op, RecordCue, RecordRep, StartSession, StartSet
from rehab_coach.session.store.store import Store
from rehab_coach.session.store.views import ItemSpec, PatientInfo, ProgramSpec, weekdays_mask


@dataclass(frozen=True)
class DemoExercise:
    exercise_id: str
    measure: str
    direction: str  # "down": the angle falls during a rep (knee), "up": it rises (shoulder)
    rest: float
    first_extreme: float  # early sessions
    last_extreme: float  # by the end of the period
    target: float
    ideal: float
    faults: tuple[str, ...]


SQUAT = DemoExercise("squat", "knee", "down", 170.0, 122.0, 96.0, 105.0, 90.0, ("trunk_lean", "knee_past_toes"))
ABDUCTION = DemoExercise("shoulder_abduction", "abduction", "up", 20.0, 95.0, 140.0, 85.0, 150.0, ("bent_elbows",))


def synthetic_rep(
    index: int,
    start_t: float,
    exercise: DemoExercise,
    extreme: float,
    duration: float,
    quality: float,
    faults: list[str],
    fps: float = 30.0,
    complete: bool = True,
) -> RepResult:
    """A rep whose curve is a half cosine from rest to `extreme` and back."""
    frames = max(2, int(duration * fps))
    curve = []
    for k in range(frames + 1):
        depth = 0.5 - 0.5 * math.cos(2 * math.pi * k / frames)
        curve.append((round(start_t + k / fps, 3), round(exercise.rest + (extreme - exercise.rest) * depth, 2)))
    rom = abs(exercise.rest - extreme)
    return RepResult(
        index=index,
        start_t=round(start_t, 3),
        end_t=round(start_t + frames / fps, 3),
        complete=complete,
        side=None,
        rom=round(rom, 1),
        extreme=round(extreme, 1),
        start_value=exercise.rest,
        quality=round(quality, 1),
        quality_parts={
            "rom": round(min(1.0, quality / 100 + 0.1), 3),
            "tempo": 0.9,
            "form": round(1 - 0.3 * len(faults), 3),
        },
        peaks={
            f"{exercise.measure}_min": round(min(exercise.rest, extreme), 2),
            f"{exercise.measure}_max": round(max(exercise.rest, extreme), 2),
        },
        faults=faults,
        curve=curve,
        partial_reason="" if complete else "shallow",
    )


def session_ops(
    patient_code: str,
    exercise: DemoExercise,
    started: dt.datetime,
    progress: float,
    rng: random.Random,
    *,
    sets: int = 2,
    reps: int = 8,
    program_item_id: int | None = None,
    status: str = "completed",
) -> list[Op]:
    """The ops a recorder would have written for one session, at `started` (progress 0..1 over the period)."""
    uid = str(uuid.UUID(int=rng.getrandbits(128)))
    at = started

    ops: list[Op] = [
        StartSession(
            session=uid,
            at=at,
            patient_code=patient_code,
            exercise_id=exercise.exercise_id,
            measure=exercise.measure,
            direction=exercise.direction,
            target=exercise.target,
            ideal=exercise.ideal,
            program_item_id=program_item_id,
            host="demo",
            pid=0,
            app_version="demo",
        )
    ]
    seq, t = 0, 2.0
    for set_number in range(1, sets + 1):
        ops.append(StartSet(session=uid, at=at, number=set_number))
        for index in range(1, reps + 1):
            seq += 1
            extreme = (
                exercise.first_extreme + (exercise.last_extreme - exercise.first_extreme) * progress + rng.gauss(0, 3)
            )
            faults = [f for f in exercise.faults if rng.random() < 0.35 * (1 - progress) + 0.05]
            quality = min(100.0, 55 + 35 * progress + rng.gauss(0, 5) - 8 * len(faults))
            rep = synthetic_rep(index, t, exercise, extreme, rng.uniform(2.0, 3.2), quality, faults)
            t = rep.end_t + rng.uniform(0.5, 1.2)
            at = started + dt.timedelta(seconds=t)
            ops.append(
                RecordRep(session=uid, at=at, seq=seq, set=set_number, rep=rep, curve=series.downsample(rep.curve))
            )
            if faults:
                ops.append(
                    RecordCue(
                        session=uid,
                        at=at,
                        seq=seq,
                        t=rep.end_t,
                        kind="fault",
                        cue_id=faults[0],
                        text=f"cue for {faults[0]}",
                        priority=2,
                    )
                )
        t += 40.0
    if status != "in_progress":
        at = started + dt.timedelta(seconds=t)
        ops.append(Finish(session=uid, at=at, status=status, summary={"rep_count": seq}))
    return ops


def seed_demo(
    store: Store,
    *,
    code: str = "DEMO-01",
    name: str = "Demo patient",
    days: int = 21,
    today: dt.date | None = None,
    seed: int = 7,
) -> PatientInfo:
    """A patient with squats and shoulder abductions on Mon/Wed/Fri for `days` days, one session missed."""
    rng = random.Random(seed)
    today = today or dt.date.today()
    start = today - dt.timedelta(days=days)
    patient = store.get_patient(code) or store.add_patient(code, name)
    program = store.save_program(
        patient.id,
        ProgramSpec(
            [ItemSpec("squat", 2, 8, {"primary.target": 105}), ItemSpec("shoulder_abduction", 2, 8)],
            weekdays_mask("mon,wed,fri"),
            start_date=start,
            name="Knee and shoulder",
        ),
    )
    items = {i.exercise_id: i.id for i in program.items}
    ops: list[Op] = []
    scheduled = [
        start + dt.timedelta(days=d) for d in range(days) if program.scheduled_on(start + dt.timedelta(days=d))
    ]
    for number, day in enumerate(scheduled):
        progress = number / max(1, len(scheduled) - 1)
        for slot, exercise in enumerate((SQUAT, ABDUCTION)):
            if number == 2 and exercise is ABDUCTION:
                continue  # a missed one, so adherence is not a perfect 100 %
            started = dt.datetime.combine(day, dt.time(9 + slot, 0)).astimezone(dt.UTC)
            # One session the app died in after its first set: short of the dosage, so a partial day.
            status = "interrupted" if number == 3 and exercise is SQUAT else "completed"
            ops += session_ops(
                code,
                exercise,
                started,
                progress,
                rng,
                sets=1 if status == "interrupted" else 2,
                program_item_id=items[exercise.exercise_id],
                status=status,
            )
    store.apply_ops(ops)
    return patient
