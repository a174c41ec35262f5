"""Soak test of the kiosk: visit after visit for a long stretch, memory, threads and file handles
must stay flat.

The real kiosk window (`rehab-coach --kiosk`, built as the app builds it) is driven by touch
events like a stream of patients: check in, pick the exercise, start, exercise, summary, Done,
check-in again. Visits rotate through:

- replay:   a looping synthetic squat keypoint stream, played `--speed` times faster than real time;
- video:    the real lunge clip in tests/data, looped, through the real pose model (BlazePose);
- crash:    like replay, but one frame makes the worker raise: the controller restarts it;
- walkaway: the patient starts and leaves (nobody in view): the session pauses itself, the idle
  timeout asks "Still there?", and its countdown ends the session;
and every third summary is left alone until the idle timeout returns to check-in.

After each visit, back at check-in with the store thread idle, it samples the process's
resident memory (RSS), OS threads, open file descriptors and Python objects. Samples from
the warm-up (the first visits, which load the model and fill caches) are left out of the
verdict. Exit status 0 when the figures stayed flat.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/soak_kiosk.py --minutes 15
    xvfb-run -a .venv/bin/python scripts/soak_kiosk.py --minutes 30 --json soak.json
    .venv/bin/python scripts/soak_kiosk.py --minutes 1 --video-every 0     # quick, no model
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "app"), str(ROOT / "synth")]  # a checkout tool: the app and the motion generator
LUNGE_CLIP = ROOT / "tests" / "data" / "lunge_single_cam01.mp4"
KINDS = ("replay", "video", "crash", "walkaway")


@dataclass(frozen=True)
class SoakConfig:
    seconds: float = 900.0  # wall time; with `visits`, only a safety cap
    visits: int | None = None  # stop after this many visits (a test: the same work on any machine)
    speed: float = 4.0  # keypoint replays: media seconds per wall second
    video_every: int = 4  # every n-th visit on the real clip with the real model (0: never)
    crash_every: int = 5  # every n-th visit crashes the worker once (0: never)
    walkaway_every: int = 6  # every n-th visit the patient walks away (0: never)
    video_seconds: float = 12.0  # how long a video visit exercises before tapping Finish
    idle_timeout: float = 4.0
    still_there_seconds: float = 3.0  # the "Still there?" countdown before an idle session ends
    warmup_visits: int = 6
    backend: str = "blazepose"


@dataclass(frozen=True)
class Sample:
    at: float  # wall seconds since the start
    visits: int
    simulated: float  # session (media) seconds coached so far
    rss_mb: float
    threads: int  # OS threads of the process (Qt's, Python's, the model's)
    fds: int
    objects: int  # objects the Python garbage collector tracks
    sessions: int  # sessions in the database


@dataclass
class SoakResult:
    config: SoakConfig
    samples: list[Sample] = field(default_factory=list)
    visits_by_kind: dict[str, int] = field(default_factory=dict)
    verdict: dict[str, object] = field(default_factory=dict)

    @property
    def flat(self) -> bool:
        return bool(self.verdict.get("flat"))


# ---- what the process holds -------------------------------------------------------


def process_figures() -> tuple[float, int, int]:
    """Resident memory (MB), OS threads, open file descriptors of this process (Linux /proc)."""
    with open("/proc/self/statm") as statm:
        rss_pages = int(statm.read().split()[1])
    rss_mb = rss_pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    return rss_mb, len(os.listdir("/proc/self/task")), len(os.listdir("/proc/self/fd"))


def judge(samples: list[Sample], warmup_visits: int, rss_tolerance_mb: float = 12.0) -> dict[str, object]:
    """Flat means: after warm-up, the same thread and descriptor counts at every check-in,
    and resident memory of the last quarter within `rss_tolerance_mb` of the first quarter."""
    steady = [s for s in samples if s.visits > warmup_visits]
    if len(steady) < 4:
        return {"flat": False, "reason": "too few samples after warm-up: run longer"}
    quarter = max(1, len(steady) // 4)
    first, last = steady[:quarter], steady[-quarter:]
    rss_growth = statistics.median(s.rss_mb for s in last) - statistics.median(s.rss_mb for s in first)
    hours = (steady[-1].at - steady[0].at) / 3600 or 1e-9
    threads = sorted({s.threads for s in steady})
    fds = sorted({s.fds for s in steady})
    objects_growth = statistics.median(s.objects for s in last) - statistics.median(s.objects for s in first)
    flat = len(threads) == 1 and len(fds) == 1 and rss_growth <= rss_tolerance_mb
    return {
        "flat": flat,
        "steady_samples": len(steady),
        "rss_growth_mb": round(rss_growth, 1),
        "rss_mb_per_hour": round(rss_growth / hours, 1),
        "rss_min_mb": round(min(s.rss_mb for s in steady), 1),
        "rss_max_mb": round(max(s.rss_mb for s in steady), 1),
        "threads_seen": threads,
        "fds_seen": fds,
        "objects_growth": int(objects_growth),
        "rss_tolerance_mb": rss_tolerance_mb,
    }


# ---- the clinic --------------------------------------------------------------------

PIN = "97531"
PATIENTS = (("S-01", "Ada Brook"), ("S-02", "Ben Cole"), ("S-03", "Cleo Dunn"), ("S-04", "Dev Eames"))


def seed_clinic(db: Path) -> None:
    """Patients expected today: a squat item (2 sets of 2, 1 s rest) and a lunge item each."""
    from rehab_coach.session.store import ItemSpec, ProgramSpec, Store

    store = Store(db)
    try:
        for code, name in PATIENTS:
            patient = store.add_patient(code, name)
            store.save_program(
                patient.id,
                ProgramSpec(
                    [
                        ItemSpec("squat", sets=2, reps=2, overrides={"dosage.rest_seconds": 1}),
                        ItemSpec("lunge", sets=1, reps=50),
                    ]
                ),
            )
        store.set_pin(PIN)
    finally:
        store.close()


def write_streams(folder: Path) -> dict[str, Path]:
    from rehab_synth.generator import Absent, compose, generate

    squats = generate("squat", reps=8, seed=7, tempo=2.0, rest=0.5).write(folder / "squats.jsonl")
    nobody = compose("squat", [Absent(30.0)], seed=1).write(folder / "nobody.jsonl")
    return {"squats": squats, "nobody": nobody}


class PoisonOnce:
    """Wraps the kiosk's source opener: the first source of a visit yields one frame the worker
    cannot process (neither an image nor keypoints), as a model or engine bug would."""

    def __init__(self, opener: Callable[..., object], at_frame: int = 90) -> None:
        self.opener, self.at_frame, self.armed = opener, at_frame, False

    def __call__(self, spec):  # type: ignore[no-untyped-def]
        source = self.opener(spec)
        if not self.armed:
            return source
        self.armed = False
        return _Poisoned(source, self.at_frame)


class _Poisoned:
    def __init__(self, source, at_frame: int) -> None:  # type: ignore[no-untyped-def]
        self.source, self.at_frame, self.reads, self.fps = source, at_frame, 0, source.fps

    def read(self):  # type: ignore[no-untyped-def]
        self.reads += 1
        raw = self.source.read()
        return (raw[0], None) if raw is not None and self.reads == self.at_frame else raw

    def close(self) -> None:
        self.source.close()


# ---- driving the kiosk by touch ------------------------------------------------------


def pump(ms: int) -> None:
    """Run the Qt event loop for `ms` milliseconds. Not QTest.qWait: PySide's binding of it keeps
    the GIL while it sleeps, which starves the worker, capture and store threads."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


class Driver:
    def __init__(self, window, config: SoakConfig, streams: dict[str, Path]) -> None:  # type: ignore[no-untyped-def]
        from PySide6.QtGui import QInputDevice
        from PySide6.QtTest import QTest

        from rehab_coach.capture.sources import SourceSpec

        self.window, self.config = window, config
        self.qtest = QTest
        self.device = QTest.createTouchDevice(QInputDevice.DeviceType.TouchScreen)
        self.sources = {
            "replay": SourceSpec("replay", streams["squats"], loop=True, speed=config.speed),
            "crash": SourceSpec("replay", streams["squats"], loop=True, speed=config.speed),
            "walkaway": SourceSpec("replay", streams["nobody"], loop=True, speed=config.speed),
            "video": SourceSpec("video", LUNGE_CLIP, loop=True, speed=1.0),
        }
        self.poison = PoisonOnce(window.options.opener)
        window.options.opener = self.poison
        self.visits = 0
        self.simulated = 0.0
        self.by_kind = {kind: 0 for kind in KINDS}

    def kind(self, n: int) -> str:
        c = self.config
        if c.video_every and n % c.video_every == 1:
            return "video"
        if c.walkaway_every and n % c.walkaway_every == 3:
            return "walkaway"
        if c.crash_every and n % c.crash_every == 2:
            return "crash"
        return "replay"

    def wait(self, condition: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError(f"visit {self.visits}: {what} did not happen within {timeout:.0f} s")
            pump(20)

    def tap(self, widget) -> None:  # type: ignore[no-untyped-def]
        from PySide6.QtCore import QPoint

        pump(30)
        window = widget.window()
        centre = widget.mapTo(window, widget.rect().center())
        down = self.qtest.touchEvent(window, self.device)
        down.press(0, centre, window)
        down.commit()
        up = self.qtest.touchEvent(window, self.device)
        up.release(0, QPoint(centre), window)
        up.commit()

    def visit(self) -> None:
        w, c = self.window, self.config
        n = self.visits = self.visits + 1
        kind = self.kind(n)
        w.options.source = self.sources[kind]
        self.poison.armed = kind == "crash"
        # Today's list is read again after each visit: tap once that answer is in, not before.
        self.wait(
            lambda: (
                w.stack.currentWidget() is w.checkin
                and w.results.pending == 0
                and len(w.checkin.buttons) == len(PATIENTS)
            ),
            15,
            "today's list",
        )
        button = w.checkin.buttons[n % len(PATIENTS)]
        w.checkin.area.ensureWidgetVisible(button)  # what the patient's finger on the scroll bar does
        self.tap(button)
        self.wait(lambda: len(w.program.buttons) == 2 and w.results.pending == 0, 15, "the program")
        self.tap(w.program.buttons[1 if kind == "video" else 0])
        self.wait(lambda: w.stack.currentWidget() is w.instructions, 5, "the instructions")
        self.tap(w.instructions.start_button)
        self.wait(lambda: w.controller.session.state == "running", 10, "the start")
        if kind == "walkaway":  # nobody in view: the idle timeout ends it and checks out
            self.wait(
                lambda: w.stack.currentWidget() is w.checkin,
                c.idle_timeout + c.still_there_seconds + 20,
                "the idle check-out",
            )
        else:
            if kind == "video":  # the clip holds no complete lunge: exercise a while, then Finish
                pump(int(c.video_seconds * 1000))
                self.tap(w.live_page.finish_button)
                self.tap(w.live.finish_prompt.primary)  # Finish asks first
            self.wait(lambda: w.stack.currentWidget() is w.summary, 90, "the summary")
            if n % 3 == 0:  # left alone: the idle timeout checks out
                self.wait(lambda: w.stack.currentWidget() is w.checkin, c.idle_timeout + 10, "the idle check-out")
            else:
                self.tap(w.summary.quit_button)
        self.simulated += w.controller.session.timeline.last or 0.0
        self.by_kind[kind] += 1
        self.wait(lambda: w.stack.currentWidget() is w.checkin, 10, "check-in")
        w.store.wait_idle(30)


def count_sessions(window) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import func, select

    from rehab_coach.session.store.tables import SessionRow

    def count(store) -> int:  # type: ignore[no-untyped-def]
        with store.reading() as db:
            return int(db.scalar(select(func.count(SessionRow.id))) or 0)

    return int(window.store.call(count).result(30))


# ---- the run -------------------------------------------------------------------------


def soak(config: SoakConfig, data_dir: Path, report: Callable[[Sample], None] = lambda s: None) -> SoakResult:
    """Run the kiosk for `config.seconds` of wall time, or for `config.visits` visits when given, in
    this process (a QApplication may exist)."""
    from rehab_coach.capture.sources import SourceSpec
    from rehab_coach.ui.app import build_kiosk
    from rehab_coach.ui.options import LaunchOptions

    db = data_dir / "soak.db"
    seed_clinic(db)
    streams = write_streams(data_dir)
    options = LaunchOptions(
        source=SourceSpec("replay", streams["squats"], loop=True),
        kiosk=True,
        db_url=str(db),
        backend=config.backend,
        countdown=0,
        audio=False,
        idle_timeout=config.idle_timeout,
        still_there_seconds=config.still_there_seconds,
    )
    window = build_kiosk(options)
    driver = Driver(window, config, streams)
    result = SoakResult(config)
    start = time.monotonic()
    try:
        while time.monotonic() - start < config.seconds and (config.visits is None or driver.visits < config.visits):
            driver.visit()
            rss, threads, fds = process_figures()
            sample = Sample(
                round(time.monotonic() - start, 1),
                driver.visits,
                round(driver.simulated, 1),
                round(rss, 1),
                threads,
                fds,
                len(gc.get_objects()),
                count_sessions(window),
            )
            result.samples.append(sample)
            report(sample)
    finally:
        window.terminate()
    result.visits_by_kind = dict(driver.by_kind)
    result.verdict = judge(result.samples, config.warmup_visits)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=15.0, help="wall-clock length of the run (default 15)")
    parser.add_argument("--speed", type=float, default=4.0, help="keypoint replay speed (default 4x real time)")
    parser.add_argument("--video-every", type=int, default=4, help="every n-th visit on real video (0: never)")
    parser.add_argument("--backend", default="blazepose", help="pose model for the video visits")
    parser.add_argument("--warmup", type=int, default=6, help="visits left out of the verdict (default 6)")
    parser.add_argument("--json", type=Path, help="write every sample and the verdict here")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("rehab_coach.session.live.pipeline").setLevel(
        logging.CRITICAL
    )  # the crashes we inject on purpose
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    data_dir = Path(tempfile.mkdtemp(prefix="rehab-coach-soak-"))
    os.environ["REHAB_COACH_DATA_DIR"] = str(data_dir)  # journal, models cache: never the user's
    os.environ["REHAB_COACH_CONFIG_DIR"] = str(data_dir / "config")
    config = SoakConfig(
        seconds=args.minutes * 60,
        speed=args.speed,
        video_every=args.video_every,
        backend=args.backend,
        warmup_visits=args.warmup,
    )
    print(f"soak: {args.minutes:.0f} min, data in {data_dir}")
    print(
        f"{'wall s':>7} {'visits':>6} {'sim s':>7} {'RSS MB':>8} {'threads':>7} {'fds':>4} {'objects':>8} {'sessions':>8}"
    )

    def report(s: Sample) -> None:
        print(
            f"{s.at:7.0f} {s.visits:6d} {s.simulated:7.0f} {s.rss_mb:8.1f} {s.threads:7d} {s.fds:4d} "
            f"{s.objects:8d} {s.sessions:8d}",
            flush=True,
        )

    result = soak(config, data_dir, report)
    print(f"visits by kind: {result.visits_by_kind}")
    print(f"verdict: {json.dumps(result.verdict)}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "config": asdict(config),
                    "visits_by_kind": result.visits_by_kind,
                    "verdict": result.verdict,
                    "samples": [asdict(s) for s in result.samples],
                },
                indent=2,
            ),
            encoding="utf-8",
        )
    return 0 if result.flat else 1


if __name__ == "__main__":
    raise SystemExit(main())
