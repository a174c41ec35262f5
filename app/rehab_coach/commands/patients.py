"""`rehab-coach patients ...`: patients, their programs and the therapist PIN, from the command line.

    rehab-coach patients add P-0042 "Ann Smith"
    rehab-coach patients program P-0042 --item squat:3x10:primary.target=100 --item lunge:2x8 --days mon,wed,fri
    rehab-coach patients program P-0042 --item squat:3x10:+2/1w,pain<4,max=16   # 2 more reps a week
    rehab-coach patients show P-0042
    rehab-coach patients review            # the therapist screens (locked by the PIN)

The PIN locks the screens only: these commands read and export without it, like anything run as
the account that owns the data. The account protects the data (docs/storage.md, Security).

Every action takes `--db URL` (PostgreSQL to share one database between kiosks);
without it the settings or the local SQLite database are used.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import math
import re
import sys
from typing import Any

import yaml
from pydantic import ValidationError

from rehab_coach.commands.days import MAX_DAYS, calendar_day, day_count
from rehab_coach.engine.templates import load_template_by_id
from rehab_coach.errors import InputError, first_problem
from rehab_coach.session.progression import HOLD_SECONDS, ProgressionRule
from rehab_coach.session.security import PinError, check_pin_format
from rehab_coach.session.store import (
    ItemSpec,
    ProgramSpec,
    Store,
    StoreError,
    adherence,
    open_store,
    today_plan,
    weekdays_mask,
    weekdays_names,
)

ITEM_METAVAR = "EXERCISE[:SETSxREPS][:PATH=VALUE,...][:+STEP/EVERY,...]"
ITEM_HELP = (
    "e.g. squat:3x10:primary.target=100 (repeat for each exercise); a progression: "
    "+2/1w,pain<4,max=16 adds 2 reps a week while pain stays under 4, up to 16; "
    "+5s/3d,max=60 adds 5 s of hold every 3 days (hold exercises)"
)
PROGRESSION = re.compile(r"\+(?P<step>\d+)(?P<seconds>s?)/(?P<every>\d*)(?P<period>[dw])(?P<options>(?:,[^,]*)*)")


def register(subparsers: argparse._SubParsersAction) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db", metavar="URL", help="database URL or SQLite file (default: settings, then local SQLite)"
    )
    parser = subparsers.add_parser("patients", help="patients, programs, therapist PIN and review screens")
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

    listing = sub.add_parser("list", parents=[common], help="patients, optionally filtered")
    listing.add_argument("--search", default="", help="part of a code or name")
    listing.add_argument("--all", action="store_true", help="include archived patients")
    listing.set_defaults(func=run_list)

    add = sub.add_parser("add", parents=[common], help="add a patient (pseudonymous code + display name)")
    add.add_argument("code", help="pseudonymous code: letters, digits, '.', '-' (up to 32)")
    add.add_argument("name", help="display name shown on this clinic's screens (never exported)")
    add.add_argument("--notes", default="")
    add.set_defaults(func=run_add)

    show = sub.add_parser("show", parents=[common], help="program, recent sessions and adherence")
    show.add_argument("code")
    show.add_argument("--days", type=day_count, default=28, help=f"adherence window, 1 to {MAX_DAYS} days (default 28)")
    show.set_defaults(func=run_show)

    program = sub.add_parser("program", parents=[common], help="set a patient's program (saved as a new version)")
    program.add_argument("code")
    program.add_argument(
        "--item",
        action="append",
        required=True,
        metavar=ITEM_METAVAR,
        help=ITEM_HELP,
    )
    program.add_argument("--days", default="mon,tue,wed,thu,fri,sat,sun", help="e.g. mon,wed,fri")
    program.add_argument("--start", type=calendar_day, default=None, help="first day (YYYY-MM-DD)")
    program.add_argument("--end", type=calendar_day, default=None, help="last day (YYYY-MM-DD)")
    program.add_argument("--name", default="")
    program.set_defaults(func=run_program)

    pin = sub.add_parser("set-pin", parents=[common], help="set the therapist PIN (4-12 digits)")
    pin.add_argument(
        "--stdin",
        action="store_true",
        help="read the new PIN from standard input, then the current one on a second line (scripts)",
    )
    pin.set_defaults(func=run_set_pin)

    review = sub.add_parser("review", parents=[common], help="open the therapist screens")
    review.add_argument("--language", default="en", choices=["en", "zh"], help="language of the screens")
    review.set_defaults(func=run_review)

    demo = sub.add_parser("demo", parents=[common], help="add a demonstration patient with three weeks of sessions")
    demo.add_argument("--code", default="DEMO-01")
    demo.set_defaults(func=run_demo)

    sync = sub.add_parser("sync", parents=[common], help="push sessions recorded offline and mark interrupted ones")
    sync.set_defaults(func=run_sync)


def _store(args: argparse.Namespace) -> Store:
    return open_store(args.db)


def run_list(args: argparse.Namespace) -> int:
    store = _store(args)
    for p in store.list_patients(args.search, include_archived=args.all):
        last = p.last_session_at.astimezone().strftime("%Y-%m-%d") if p.last_session_at else "never"
        flag = " (archived)" if p.archived else ""
        print(f"{p.code:16} {shown(p.display_name):32} last session {last}{flag}")
    return 0


def run_add(args: argparse.Namespace) -> int:
    patient = _store(args).add_patient(args.code, args.name, args.notes)
    print(f"added {patient.code}")
    return 0


def shown(text: str) -> str:
    """Text someone typed, safe for a terminal: control characters (ESC sequences, newlines,
    bidi overrides) are written as escapes instead of acting on the screen."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def run_show(args: argparse.Namespace) -> int:
    store = _store(args)
    patient = store.patient(args.code)
    print(f"{patient.code}  {shown(patient.display_name)}")
    program = store.active_program(patient.id)
    if program is None:
        print("no program")
    else:
        print(
            f"program {shown(program.name) or '#' + str(program.id)} from {program.start_date} on "
            f"{','.join(weekdays_names(program.weekdays))}"
        )
        progressions = {entry.item.id: entry.progression for entry in today_plan(store, patient.id).items}
        for item in program.items:
            extra = "  " + shown(", ".join(f"{k}={v}" for k, v in item.overrides.items())) if item.overrides else ""
            print(f"  {item.exercise_id:22} {item.sets}x{item.reps}{extra}")
            if item.progression is not None:
                print(f"  {'':22} progression: {item.progression.describe('en')}")
            status = progressions.get(item.id)
            if status is not None:
                print(f"  {'':22} today: {status.reason('en')}")
            if item.progression_problem:
                print(f"  {'':22} progression not used: {shown(item.progression_problem)}")
    today = dt.date.today()
    # The last N days count today as the first of them: --days 1 is today alone.
    record = adherence(store, patient.id, today - dt.timedelta(days=args.days - 1), today)
    ratio = f"{100 * record.ratio:.0f} %" if record.ratio is not None else "n/a"
    window = "today" if args.days == 1 else f"last {args.days} days"
    print(f"adherence {window}: {record.done}/{record.prescribed} ({ratio}), {record.partial} partial")
    for s in store.sessions_for(patient.id, limit=10):
        quality = f"{s.mean_quality:.0f}" if s.mean_quality is not None else "-"
        # The count that adherence uses; the app's own count stays beside a correction.
        recorded = f" (recorded {s.reps_complete})" if s.corrected_reps is not None else ""
        print(
            f"  {s.started_at.astimezone():%Y-%m-%d %H:%M} {s.exercise_id:22} {s.status:12} "
            f"{s.reps_counted:3} reps{recorded}  quality {quality}"
        )
    return 0


def parse_item(text: str) -> ItemSpec:
    """`squat:3x10:primary.target=100,dosage.reps=8:+2/1w,pain<4,max=16` -> ItemSpec; checks the
    overrides on the template. A progression in seconds takes the template's hold time when no
    `hold.seconds` is given, so it has a time to grow from."""
    exercise, *rest = text.split(":")
    sets, reps, overrides = 3, 10, {}
    progression = None
    for part in rest:
        if part.startswith("+"):
            progression = parse_progression(text, part)
        elif "x" in part and "=" not in part:
            try:
                sets, reps = (int(v) for v in part.lower().split("x"))
            except ValueError:
                raise InputError(f"--item {text!r}: dosage must be SETSxREPS, e.g. 3x10") from None
        elif part:
            overrides.update(_overrides(text, part))
    if not (1 <= sets <= 20 and 1 <= reps <= 100):
        raise InputError(f"--item {text!r}: 1-20 sets and 1-100 reps")
    template = load_template_by_id(exercise, overrides)  # unknown exercise or impossible override: TemplateError
    if progression is not None and progression.unit == "seconds":
        if template.hold is None:
            raise InputError(f"--item {text!r}: {exercise} is not a hold exercise; progress its reps instead (+2/1w)")
        overrides.setdefault(HOLD_SECONDS, float(template.hold.seconds))
    return ItemSpec(exercise, sets, reps, overrides, progression=progression)


def parse_progression(text: str, part: str) -> ProgressionRule:
    """`+2/1w,pain<4,max=16` (reps) or `+5s/3d,max=60` (seconds of hold) -> ProgressionRule."""
    match = PROGRESSION.fullmatch(part.replace(" ", ""))
    if match is None:
        raise InputError(
            f"--item {text!r}: a progression is +STEP/EVERY then options, e.g. +2/1w,pain<4,max=16 "
            "(w: weeks, d: days; +5s/3d for seconds of hold)"
        )
    fields: dict[str, Any] = {
        "step": int(match["step"]),
        "unit": "seconds" if match["seconds"] else "reps",
        "every": int(match["every"] or 1),
        "period": "weeks" if match["period"] == "w" else "days",
    }
    for option in filter(None, match["options"].split(",")):
        name, _, value = option.partition("<" if option.startswith("pain") else "=")
        if name == "pain" and value.isdigit():
            fields["pain_ceiling"] = int(value)
        elif name == "max" and value.isdigit():
            fields["maximum"] = int(value)
        else:
            raise InputError(f"--item {text!r}: unknown progression option {option!r}; use pain<N and max=N")
    if "maximum" not in fields:
        raise InputError(f"--item {text!r}: a progression needs its maximum, e.g. max=16")
    try:
        return ProgressionRule(**fields)
    except ValidationError as exc:
        where, problem = first_problem(exc)
        raise InputError(f"--item {text!r}: progression {where}{': ' if where else ''}{problem}") from None


def _overrides(text: str, part: str) -> dict[str, Any]:
    result = {}
    for pair in part.split(","):
        path, sep, value = pair.partition("=")
        if not sep or not path:
            raise InputError(f"--item {text!r}: overrides are PATH=VALUE, e.g. primary.target=100")
        result[path.strip()] = _override_value(text, path.strip(), value)
    return result


def _override_value(text: str, path: str, value: str) -> Any:
    """A value as YAML reads it (100, 0.5, true, a word); anything YAML refuses (an unclosed `[` or
    `{`, an alias, a tag) is the user's typo, said in one line."""
    try:
        return yaml.safe_load(value)
    except yaml.YAMLError as exc:
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(
            f"--item {text!r}: {path}={value} is not a value ({reason}); give a number, true/false or a word"
        ) from None


def run_program(args: argparse.Namespace) -> int:
    items = [parse_item(text) for text in args.item]
    try:
        days = weekdays_mask(args.days)
    except ValueError as exc:
        raise InputError(f"--days: {exc}") from None
    store = _store(args)
    patient = store.patient(args.code)
    program = store.save_program(patient.id, ProgramSpec(items, days, args.start, args.end, args.name))
    print(f"saved program version {program.id} for {patient.code}: {len(program.items)} exercise(s)")
    return 0


def run_set_pin(args: argparse.Namespace) -> int:
    """Changing an existing PIN needs the current one (it counts towards the lockout)."""
    store = _store(args)
    lines = sys.stdin.read().splitlines() if args.stdin else []
    if store.has_pin():
        current = lines[1].strip() if len(lines) > 1 else "" if args.stdin else getpass.getpass("Current PIN: ")
        check = store.check_pin(current)
        if check.locked_until is not None:  # while locked no PIN is even checked, so "wrong" would be untrue
            raise InputError(f"the PIN is locked after too many wrong tries: {_lock_left(check.locked_until)}")
        if not check.ok:
            raise InputError("the current PIN is wrong")
    if args.stdin:
        pin = lines[0].strip() if lines else ""
    else:
        pin = getpass.getpass("New therapist PIN (4-12 digits): ")
        if getpass.getpass("Repeat it: ") != pin:
            raise InputError("the two PINs differ")
    try:
        check_pin_format(pin)
    except PinError as exc:
        raise InputError(str(exc)) from None
    store.set_pin(pin)
    print("therapist PIN set")
    return 0


def _lock_left(until: dt.datetime) -> str:
    minutes = max(1, math.ceil((until - dt.datetime.now(dt.UTC)).total_seconds() / 60))
    return f"try again in {minutes} min (at {until.astimezone():%H:%M})"


def run_review(args: argparse.Namespace) -> int:
    from rehab_coach.ui.app import run_therapist_app  # Qt only when asked for

    return run_therapist_app(_store(args), args.language)


def run_demo(args: argparse.Namespace) -> int:
    from rehab_coach.session.store.demo import seed_demo

    patient = seed_demo(_store(args), code=args.code)
    print(f"demo patient {patient.code} ready")
    return 0


def run_sync(args: argparse.Namespace) -> int:
    """Push every waiting session journal; a journal the database does not take is an error, not "synced"."""
    from sqlalchemy.exc import SQLAlchemyError

    from rehab_coach.session.store.journal import journal_dir, pending

    store = _store(args)
    folder = journal_dir()
    synced = 0
    try:
        for journal in pending(folder):
            store.apply_ops(journal.read())
            journal.clear()
            synced += 1
        marked = store.recover_interrupted()
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        left = len(pending(folder))
        raise StoreError(
            f"{left} session journal(s) still wait in {folder}: the database did not take them "
            f"({reason}); nothing was lost, run `rehab-coach patients sync` again once it is fixed"
        ) from None
    print(f"{synced} pending session(s) synced; {len(marked)} interrupted session(s) marked")
    return 0
