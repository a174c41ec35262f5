"""The therapist PIN: salted scrypt hash, never stored in clear, lockout after wrong guesses."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from rehab_coach.session import security
from rehab_coach.session.store import Store

T0 = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


def test_hash_is_salted_scrypt_and_verifies() -> None:
    first, second = security.hash_pin("123456", n=2**10), security.hash_pin("123456", n=2**10)
    assert first != second  # salted
    assert first.startswith("scrypt$1024$8$1$") and "123456" not in first
    assert security.verify_pin("123456", first) and not security.verify_pin("123457", first)
    assert not security.verify_pin("123456", "plain-text-pin")
    with pytest.raises(security.PinError):
        security.hash_pin("12a4")
    with pytest.raises(security.PinError):
        security.hash_pin("123")


def test_lockout_policy_escalates() -> None:
    state = security.LockState()
    for left in (4, 3, 2, 1):
        state, answer = security.after_attempt(state, False, T0)
        assert not answer.ok and answer.attempts_left == left and not answer.locked
    state, answer = security.after_attempt(state, False, T0)
    assert answer.locked_until == T0 + security.LOCKOUT
    # locked: even the right PIN is refused until the time is up
    state, answer = security.after_attempt(state, True, T0 + dt.timedelta(minutes=4))
    assert not answer.ok and answer.locked
    for _ in range(5):
        state, answer = security.after_attempt(state, False, T0 + dt.timedelta(minutes=6))
    assert answer.locked_until == T0 + dt.timedelta(minutes=6) + 2 * security.LOCKOUT  # doubled
    state, answer = security.after_attempt(state, True, T0 + dt.timedelta(hours=1))
    assert answer.ok and state == security.LockState()


def test_store_keeps_only_the_hash_and_counts_across_kiosks(store: Store, store_url: str) -> None:
    assert not store.has_pin() and store.check_pin("1234").no_pin_set
    store.set_pin("482913")
    with store.engine.connect() as conn:
        dump = " ".join(str(v) for row in conn.execute(text("SELECT * FROM therapist_pin")) for v in row)
    assert "482913" not in dump and "scrypt$" in dump
    assert store.check_pin("482913").ok

    kiosk_b = Store(store_url)  # another kiosk on the same database
    for _ in range(3):
        assert not store.check_pin("000000", now=T0).ok
    assert kiosk_b.check_pin("111111", now=T0).attempts_left == 1
    locked = kiosk_b.check_pin("222222", now=T0)
    assert locked.locked and locked.locked_until == T0 + security.LOCKOUT
    assert store.check_pin("482913", now=T0 + dt.timedelta(minutes=1)).locked
    assert store.check_pin("482913", now=T0 + dt.timedelta(minutes=6)).ok
    kiosk_b.close()
