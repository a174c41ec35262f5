"""`rehab-coach protocols ...`: named programs to start patients from ("TKA weeks 0-2").

    rehab-coach protocols save "TKA weeks 0-2" --from-patient P-0042
    rehab-coach protocols save "Shoulder week 1" --item shoulder_abduction:2x8:'+1/1w,pain<4,max=12' --days mon,thu
    rehab-coach protocols list
    rehab-coach protocols show "TKA weeks 0-2"
    rehab-coach protocols apply "TKA weeks 0-2" P-0051 --start 2026-12-07
    rehab-coach protocols rename "TKA weeks 0-2" "TKA phase 1"
    rehab-coach protocols delete "TKA phase 1"

Every action takes `--db URL`, as `rehab-coach patients` does. Names ignore case, accents and
extra spaces; saving over a name that exists needs `--replace`.
"""

from __future__ import annotations

import argparse
import datetime as dt

from rehab_coach.commands.patients import ITEM_HELP, ITEM_METAVAR, parse_item, shown
from rehab_coach.errors import InputError
from rehab_coach.session.store import (
    ProgramSpec,
    Store,
    delete_protocol,
    get_protocol,
    list_protocols,
    open_store,
    program_from_protocol,
    rename_protocol,
    save_protocol,
    weekdays_mask,
    weekdays_names,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db", metavar="URL", help="database URL or SQLite file (default: settings, then local SQLite)"
    )
    parser = subparsers.add_parser("protocols", help="named programs to start patients from")
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

    listing = sub.add_parser("list", parents=[common], help="protocols by name")
    listing.add_argument("--search", default="", help="part of a name")
    listing.set_defaults(func=run_list)

    show = sub.add_parser("show", parents=[common], help="a protocol's exercises, days and progressions")
    show.add_argument("name")
    show.set_defaults(func=run_show)

    save = sub.add_parser("save", parents=[common], help="save a patient's program, or exercises, as a protocol")
    save.add_argument("name")
    source = save.add_mutually_exclusive_group(required=True)
    source.add_argument("--from-patient", metavar="CODE", help="the patient's current program")
    source.add_argument("--item", action="append", metavar=ITEM_METAVAR, help=ITEM_HELP)
    save.add_argument("--days", default=None, help="e.g. mon,wed,fri (default: the patient's, or every day)")
    save.add_argument("--notes", default=None)
    save.add_argument("--replace", action="store_true", help="replace the protocol of that name if there is one")
    save.set_defaults(func=run_save)

    apply = sub.add_parser("apply", parents=[common], help="start a patient's program from a protocol")
    apply.add_argument("name")
    apply.add_argument("code", help="the patient's code")
    apply.add_argument("--start", type=dt.date.fromisoformat, default=None, help="first day (default: today)")
    apply.set_defaults(func=run_apply)

    rename = sub.add_parser("rename", parents=[common], help="give a protocol another name")
    rename.add_argument("name")
    rename.add_argument("new_name")
    rename.set_defaults(func=run_rename)

    delete = sub.add_parser("delete", parents=[common], help="delete a protocol (programs started from it stay)")
    delete.add_argument("name")
    delete.set_defaults(func=run_delete)


def _store(args: argparse.Namespace) -> Store:
    return open_store(args.db)


def run_list(args: argparse.Namespace) -> int:
    protocols = list_protocols(_store(args), args.search)
    if not protocols:
        print("no protocols" + (f" matching {shown(args.search)!r}" if args.search else ""))
    for p in protocols:
        exercises = ", ".join(i.exercise_id for i in p.items)
        print(f"{shown(p.name):32} {','.join(weekdays_names(p.weekdays)):28} {exercises}")
    return 0


def run_show(args: argparse.Namespace) -> int:
    protocol = get_protocol(_store(args), args.name)
    print(f"{shown(protocol.name)}  on {','.join(weekdays_names(protocol.weekdays))}")
    if protocol.notes:
        print(f"  notes: {shown(protocol.notes)}")
    for item in protocol.items:
        extra = "  " + shown(", ".join(f"{k}={v}" for k, v in item.overrides.items())) if item.overrides else ""
        print(f"  {item.exercise_id:22} {item.sets}x{item.reps}{extra}")
        if item.progression is not None:
            print(f"  {'':22} progression: {item.progression.describe('en')}")
        if item.notes:
            print(f"  {'':22} notes: {shown(item.notes)}")
    return 0


def run_save(args: argparse.Namespace) -> int:
    store = _store(args)
    days = _days(args.days) if args.days is not None else None
    if args.from_patient:
        patient = store.patient(args.from_patient)
        program = store.active_program(patient.id)
        if program is None:
            raise InputError(f"{patient.code} has no program to save as a protocol")
        spec = program.as_spec()
        spec = ProgramSpec(spec.items, days or spec.weekdays, notes=spec.notes if args.notes is None else args.notes)
    else:
        items = [parse_item(text) for text in args.item]
        spec = ProgramSpec(items, days or weekdays_mask("mon,tue,wed,thu,fri,sat,sun"), notes=args.notes or "")
    protocol = save_protocol(store, args.name, spec, replace=args.replace)
    print(f"saved protocol {shown(protocol.name)!r}: {len(protocol.items)} exercise(s)")
    return 0


def run_apply(args: argparse.Namespace) -> int:
    store = _store(args)
    protocol = get_protocol(store, args.name)
    patient = store.patient(args.code)
    start = args.start or dt.date.today()
    program = store.save_program(patient.id, program_from_protocol(protocol, start))
    print(
        f"saved program version {store.program_version(program)} for {patient.code} from protocol "
        f"{shown(protocol.name)!r}, starting {start}: {len(program.items)} exercise(s)"
    )
    return 0


def run_rename(args: argparse.Namespace) -> int:
    protocol = rename_protocol(_store(args), args.name, args.new_name)
    print(f"renamed to {shown(protocol.name)!r}")
    return 0


def run_delete(args: argparse.Namespace) -> int:
    name = delete_protocol(_store(args), args.name)
    print(f"deleted protocol {shown(name)!r}")
    return 0


def _days(text: str) -> int:
    try:
        return weekdays_mask(text)
    except ValueError as exc:
        raise InputError(f"--days: {exc}") from None
