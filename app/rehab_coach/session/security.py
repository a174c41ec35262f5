"""The therapist PIN: a salted scrypt hash, never the PIN itself, and a lockout after wrong guesses.

A 4-6 digit PIN has at most a million values, so the slow hash alone does not stop an
offline guesser who copied the database; what protects the live app is the lockout,
which the store keeps in the database so that every kiosk sharing it counts together.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
import re
from dataclasses import dataclass, replace

from rehab_coach.i18n import N_

# scrypt cost: n=2**15, r=8 takes about 50-100 ms and 32 MiB, slow for guessing, fine for a login.
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
KEY_BYTES = 32

MAX_FAILURES = 5  # wrong PINs in a row before a lockout
LOCKOUT = dt.timedelta(minutes=5)  # first lockout; each further one doubles
MAX_LOCKOUT = dt.timedelta(hours=2)

PIN_PATTERN = re.compile(r"^[0-9]{4,12}$")


class PinError(ValueError):
    """A PIN that does not meet the rules (4-12 digits)."""


def check_pin_format(pin: str) -> None:
    if not PIN_PATTERN.match(pin):
        raise PinError(N_("the PIN must be 4 to 12 digits"))  # the screens show it translated


def hash_pin(pin: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P, salt: bytes | None = None) -> str:
    """`scrypt$n$r$p$salt$key` with base64 salt and key; the parameters travel with the hash."""
    check_pin_format(pin)
    salt = salt if salt is not None else os.urandom(SALT_BYTES)
    key = _derive(pin, salt, n, r, p)
    return "$".join(["scrypt", str(n), str(r), str(p), _b64(salt), _b64(key)])


def verify_pin(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, key = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt" or not PIN_PATTERN.match(pin):
        return False
    candidate = _derive(pin, base64.b64decode(salt), int(n), int(r), int(p))
    return hmac.compare_digest(candidate, base64.b64decode(key))


def _derive(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    # maxmem above the default 32 MiB: n=2**15, r=8 needs exactly 32 MiB plus overhead.
    return hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, dklen=KEY_BYTES, maxmem=64 * 1024 * 1024)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@dataclass(frozen=True)
class LockState:
    """What the store persists between attempts."""

    failures: int = 0
    lockouts: int = 0
    locked_until: dt.datetime | None = None

    def locked(self, now: dt.datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until


@dataclass(frozen=True)
class PinCheck:
    ok: bool
    locked_until: dt.datetime | None = None
    attempts_left: int = MAX_FAILURES
    no_pin_set: bool = False

    @property
    def locked(self) -> bool:
        return self.locked_until is not None


def after_attempt(state: LockState, correct: bool, now: dt.datetime) -> tuple[LockState, PinCheck]:
    """The lockout policy as a pure function: the new state and the answer to give.

    While locked, even the right PIN is refused (otherwise the lock only slows guessing
    down for someone who already knows it, which is fine, but it would also tell a
    guesser that a guess was right).
    """
    if state.locked(now):
        return state, PinCheck(ok=False, locked_until=state.locked_until, attempts_left=0)
    if correct:
        return LockState(), PinCheck(ok=True)
    failures = state.failures + 1
    if failures < MAX_FAILURES:
        return replace(state, failures=failures, locked_until=None), PinCheck(
            ok=False, attempts_left=MAX_FAILURES - failures
        )
    lockouts = state.lockouts + 1
    until = now + min(LOCKOUT * 2 ** (lockouts - 1), MAX_LOCKOUT)
    return LockState(failures=0, lockouts=lockouts, locked_until=until), PinCheck(
        ok=False, locked_until=until, attempts_left=0
    )
