"""Errors the user can act on. The CLI prints them without a traceback."""

from __future__ import annotations

from pydantic import ValidationError


class RehabCoachError(Exception):
    """Base for every error that carries a message meant for the user."""

    exit_code = 2


class InputError(RehabCoachError):
    """A file the user gave us is missing, unreadable or malformed."""

    exit_code = 3


class BackendUnavailable(RehabCoachError):
    """A pose backend cannot load (package missing, model missing, bad model)."""

    exit_code = 4


class BackendNotInstalled(BackendUnavailable):
    """The backend's model was never installed: `auto` moves on without comment. Anything
    else (a damaged model, a failed verification) is worth telling the user about."""


class TemplateError(RehabCoachError):
    """An exercise template is invalid; the message names file, field and problem."""

    exit_code = 5


def first_problem(exc: ValidationError, whole: str = "") -> tuple[str, str]:
    """Where and what of the first problem pydantic found in a file or value: the field as a dotted
    path (`whole` when the problem is with the whole thing) and the message without pydantic's
    "Value error, " prefix. Every file format reports its errors through this, so they read alike."""
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or whole
    return where, first["msg"].removeprefix("Value error, ")
