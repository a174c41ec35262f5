"""`rehab-coach` command line. Each subcommand lives in `rehab_coach.commands.<name>`.

A command module exposes `register(subparsers)`, which adds its parser and sets
`func=run` where `run(args) -> int` returns the exit code.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from typing import NoReturn

from rehab_coach import __version__
from rehab_coach.errors import RehabCoachError

COMMAND_MODULES = (
    "analyze",
    "pose",
    "exercises",
    "bench",
    "models",
    "synth",
    "evaluate",
    "patients",
    "protocols",
    "export",
    "gui",
)


class OneLineErrors(argparse.ArgumentParser):
    """A parser whose usage errors are one line, like every other error of the CLI: what is wrong
    with which argument, and where the usage is. Exit status 2, as argparse's own."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    # Subcommand parsers are made by add_subparsers with the parent's class, so they say errors alike.
    parser = OneLineErrors(prog="rehab-coach", description="Coach rehabilitation exercises from a camera or video.")
    parser.add_argument("--version", action="version", version=f"rehab-coach {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress and diagnostics")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"rehab_coach.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"rehab_coach.commands.{name}":
                continue
            raise
        module.register(subparsers)
    return parser


def _with_default_command(parser: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """A bare `rehab-coach [--video F ...]` opens the app: put `gui` in front when no command is named."""
    choices = parser._subparsers._group_actions[0].choices if parser._subparsers else None
    commands = set(choices or ())
    if (
        "gui" not in commands
        or any(a in commands for a in argv)
        or any(a in ("-h", "--help", "--version") for a in argv)
    ):
        return argv
    leading = [a for a in argv[:1] if a in ("-v", "--verbose")]
    return [*leading, "gui", *argv[len(leading) :]]


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(_with_default_command(parser, list(sys.argv[1:] if argv is None else argv)))
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # inside the try: a reader that left shows up here, not as a traceback at exit
        return code
    except RehabCoachError as exc:
        print(f"rehab-coach: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("rehab-coach: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `rehab-coach patients show X | head`: the reader left; later writes would fail again at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # what a shell reports for a writer stopped by SIGPIPE
    except Exception as exc:
        message = _database_problem(exc)
        if message is None:
            raise
        print(f"rehab-coach: error: {message}", file=sys.stderr)
        return RehabCoachError.exit_code


def _database_problem(exc: Exception) -> str | None:
    """A database error as one line (read-only file, damaged pages, server gone), or None for other errors."""
    from sqlalchemy.exc import SQLAlchemyError

    if not isinstance(exc, SQLAlchemyError):
        return None
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    if "readonly database" in reason or "read-only" in reason:
        return f"the database cannot be written ({reason}): check the permissions of the database file and its folder"
    return f"the database failed: {reason}"
