"""`rehab-coach synth EXERCISE -o out.jsonl`: a synthetic keypoint stream and its ground truth.

The motion generator (`rehab_synth`, the repository's synth/) is a development package: it is installed
with the test extra and not shipped. Without it the command is still listed and says so in one line.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rehab_coach.commands.numbers import finite, positive
from rehab_coach.errors import InputError, RehabCoachError

try:
    from rehab_synth.generator import Bystander, generate
    from rehab_synth.motions import MOTIONS
    from rehab_synth.noise import NOISE_PRESETS
except ModuleNotFoundError as exc:  # an installed app: only a missing generator is expected, not a broken one
    if exc.name is None or exc.name.partition(".")[0] != "rehab_synth":
        raise
    GENERATOR_INSTALLED = False
else:
    GENERATOR_INSTALLED = True

NOT_INSTALLED = (
    "the synthetic motion generator is a development tool and is not installed "
    "(install rehab-coach-synth from a source checkout: pip install -e ./synth)"
)


def register(subparsers: argparse._SubParsersAction) -> None:
    if not GENERATOR_INSTALLED:
        # Whatever follows, --help included, is taken as plain words (no option prefix) and answered alike.
        parser = subparsers.add_parser(
            "synth", help="(development tool, not installed)", add_help=False, prefix_chars="\0"
        )
        parser.add_argument("words", nargs="*")
        parser.set_defaults(func=_not_installed)
        return
    parser = subparsers.add_parser(
        "synth",
        help="write a synthetic keypoint stream with known reps and faults",
        description="Generate a synthetic COCO-17 keypoint stream of an exercise and print its ground truth "
        "(JSON) on stdout. Rep indices count from 0.",
    )
    parser.add_argument("exercise", help=f"exercise id ({', '.join(sorted(MOTIONS))})")
    parser.add_argument("-o", "--output", type=Path, required=True, help="the .jsonl stream to write")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="REP:NAME",
        help="inject a fault (a rule id of the template) into rep REP; repeatable",
    )
    parser.add_argument(
        "--partial",
        action="append",
        type=int,
        default=[],
        metavar="REP",
        help="rep REP stops before the target; repeatable",
    )
    parser.add_argument("--noise", choices=list(NOISE_PRESETS), default="medium")
    parser.add_argument("--fps", type=positive, default=30.0)
    parser.add_argument("--tempo", type=positive, default=2.5, help="seconds per rep, down and up (default 2.5)")
    parser.add_argument(
        "--depth", type=finite, default=1.0, help="share of the range to the template's goal (default 1)"
    )
    parser.add_argument(
        "--facing", choices=["right", "left"], default="right", help="side view: the way the person faces"
    )
    parser.add_argument("--size", default="1280x720", help="frame size WxH (default 1280x720)")
    parser.add_argument("--bystander", action="store_true", help="add a second person in the background")
    parser.add_argument("--truth", type=Path, help="also write the ground truth to this JSON file")
    parser.set_defaults(func=run)


def _not_installed(args: argparse.Namespace) -> int:
    raise RehabCoachError(NOT_INSTALLED)


def _faults(specs: list[str]) -> dict[int, list[str]]:
    faults: dict[int, list[str]] = {}
    for spec in specs:
        rep, _, name = spec.partition(":")
        if not rep.strip().isdigit() or not name.strip():
            raise InputError(f"--fault {spec!r}: expected REP:NAME, e.g. 2:trunk_lean")
        faults.setdefault(int(rep), []).append(name.strip())
    return faults


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise InputError(f"--size {text!r}: expected WxH, e.g. 1280x720") from None
    if width < 64 or height < 64:
        raise InputError(f"--size {text!r}: the frame must be at least 64x64")
    return width, height


def run(args: argparse.Namespace) -> int:
    width, height = _size(args.size)
    if args.exercise not in MOTIONS:
        raise InputError(f"no motion script for {args.exercise!r}; available: {', '.join(sorted(MOTIONS))}")
    try:
        clip = generate(
            args.exercise,
            args.reps,
            fps=args.fps,
            seed=args.seed,
            tempo=args.tempo,
            depth=args.depth,
            faults=_faults(args.fault),
            partial_reps=args.partial,
            noise=args.noise,
            facing=args.facing,
            width=width,
            height=height,
            bystander=Bystander() if args.bystander else None,
        )
    except ValueError as exc:
        raise InputError(str(exc)) from None
    clip.write(args.output)
    truth = clip.ground_truth()
    text = json.dumps(truth, indent=2)
    if args.truth:
        args.truth.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0
