"""`rehab-coach exercises list | show ID | validate FILE...`."""

from __future__ import annotations

import argparse
from pathlib import Path

import yaml

from rehab_coach.engine.templates import load_library, load_template, load_template_by_id
from rehab_coach.errors import TemplateError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("exercises", help="list, show and validate exercise templates")
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = sub.add_parser("list", help="every exercise that loads (and the files that do not)")
    listing.add_argument("--language", default="en", choices=["en", "zh"])
    listing.set_defaults(func=run_list)
    show = sub.add_parser("show", help="one exercise as validated YAML")
    show.add_argument("id")
    show.set_defaults(func=run_show)
    validate = sub.add_parser("validate", help="check template files; exit 5 when any is invalid")
    validate.add_argument("files", nargs="+", type=Path)
    validate.set_defaults(func=run_validate)


def run_list(args: argparse.Namespace) -> int:
    library = load_library()
    for exercise_id, template in sorted(library.templates.items()):
        primary = template.primary
        print(
            f"{exercise_id:24} {template.name.get(args.language):28} {template.view:5} view  {template.kind:5} "
            f"{primary.measure} {primary.direction} to {primary.target:g}"
            + (
                f"  (user file {library.overridden[exercise_id]} replaces the built-in)"
                if exercise_id in library.overridden
                else ""
            )
        )
    for exercise_id, error in sorted(library.errors.items()):
        print(f"{exercise_id:24} INVALID: {error.splitlines()[0]}")
    return 0


def run_show(args: argparse.Namespace) -> int:
    template = load_template_by_id(args.id)
    print(yaml.safe_dump(template.model_dump(exclude_none=True), allow_unicode=True, sort_keys=False))
    return 0


def run_validate(args: argparse.Namespace) -> int:
    failed = 0
    for path in args.files:
        try:
            template = load_template(path)
        except TemplateError as exc:
            failed += 1
            print(f"INVALID {exc}")
        else:
            print(f"ok      {path} ({template.id}: {len(template.measures)} measures, {len(template.rules)} rules)")
    if failed:
        raise TemplateError(f"{failed} of {len(args.files)} template(s) invalid")
    return 0
