"""How fast a live session replays headless: synthetic squats through the real `LiveSession` and coach
on a simulated clock (no Qt, no threads, no pacing), as `analyze` and the evaluation harness run it.

    python scripts/bench_session.py --seconds 60 --runs 5
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "app"), str(ROOT / "synth")]


def main() -> int:
    # Imported here, after the path set-up above: the checkout's code, not an installed copy.
    from rehab_coach.capture.sources import SourceSpec
    from rehab_coach.engine.templates import load_template_by_id
    from rehab_coach.session.live.events import SessionSettings
    from rehab_coach.session.live.headless import HeadlessPipeline, SimulatedClock, replay
    from rehab_coach.session.live.lifecycle import LiveSession
    from rehab_synth.squat_stream import SquatPlan, squat_frames

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the replayed session")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    plan = SquatPlan()
    reps = max(1, round((args.seconds - plan.lead_in) / plan.rep_seconds))
    frames = squat_frames(SquatPlan(reps=reps))
    template = load_template_by_id("squat", {"dosage.sets": 1, "dosage.reps": reps})
    times = []
    for _ in range(args.runs):
        clock, pipeline = SimulatedClock(), HeadlessPipeline()
        session = LiveSession(pipeline, settings=SessionSettings(countdown=3), clock=clock)
        started = time.perf_counter()
        session.start(template, SourceSpec("replay", "bench"))
        replay(session, pipeline, clock, frames)
        times.append(time.perf_counter() - started)
        assert session.coach is not None and session.coach.rep_count == reps, "the replay lost reps"
    best, median = min(times), statistics.median(times)
    print(f"{frames[-1].t:.1f} s session, {len(frames)} frames, {reps} reps")
    print(f"replayed in {median * 1000:.0f} ms median, {best * 1000:.0f} ms best of {args.runs}")
    print(f"{len(frames) / median:.0f} frames/s, {frames[-1].t / median:.0f}x real time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
