"""Protocols: named programs ("TKA weeks 0-2") a therapist saves once and starts patients from.

A protocol holds what a program holds except its dates: the exercises with their dosage,
per-patient overrides and progression rules (which count from the day a patient's program
starts), and the days of the week. Starting a patient from one makes an ordinary program
(`ProtocolInfo` -> `program_from_protocol`), edited and saved like any other; the protocol
does not change with it.

Names are compared as people read them: "TKA weeks 0-2", "tka  Weeks 0-2" and "TKA wéeks 0-2"
are one name, so a second one is refused with a message that says so.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from rehab_coach.i18n import _
from rehab_coach.session.progression import stored_rule
from rehab_coach.session.store.db import StoreError
from rehab_coach.session.store.ops import now_utc
from rehab_coach.session.store.store import Store, check_item
from rehab_coach.session.store.tables import Protocol, ProtocolItem
from rehab_coach.session.store.text import folded
from rehab_coach.session.store.views import ItemSpec, ProgramSpec, ProtocolInfo

NAME_LENGTH = 200


class ProtocolNameTaken(StoreError):
    """Another protocol has that name (as names are compared)."""


def name_key(name: str) -> str:
    """The name as names are compared: case, accents and runs of spaces ignored."""
    return re.sub(r"\s+", " ", folded(name)).strip()


def check_name(name: str) -> str:
    name = re.sub(r"\s+", " ", name).strip()
    if not name or len(name) > NAME_LENGTH:
        raise StoreError(_("a protocol name is 1-200 characters"))
    return name


def list_protocols(store: Store, search: str = "") -> list[ProtocolInfo]:
    """Every protocol by name; `search` matches part of the name, ignoring case and accents."""
    with store.reading() as db:
        rows = db.scalars(select(Protocol).options(selectinload(Protocol.items))).all()
        protocols = [_info(p) for p in rows]
    needle = name_key(search)
    return sorted((p for p in protocols if needle in name_key(p.name)), key=lambda p: name_key(p.name))


def get_protocol(store: Store, key: int | str) -> ProtocolInfo:
    """By id (int) or by name (str, compared as names are)."""
    with store.reading() as db:
        protocol = _find(db, key)
        if protocol is None:
            raise StoreError(_missing(key))
        return _info(protocol)


def save_protocol(store: Store, name: str, spec: ProgramSpec, *, replace: bool = False) -> ProtocolInfo:
    """Save the program in `spec` (its exercises, days and notes) as a protocol called `name`.
    A name already taken is refused unless `replace`, which gives that protocol the new content."""
    name = check_name(name)
    if not spec.items:
        raise StoreError(_("a protocol needs at least one exercise"))
    if not spec.weekdays & 0b1111111:
        raise StoreError(_("a protocol needs at least one day of the week"))
    for item in spec.items:
        check_item(item)
    at = now_utc()
    try:
        with store.transaction() as db:
            protocol = _find(db, name)
            if protocol is not None and not replace:
                raise ProtocolNameTaken(_clash(protocol.name))
            if protocol is None:
                protocol = Protocol(name_key=name_key(name), created_at=at)
                db.add(protocol)
            protocol.name, protocol.weekdays, protocol.notes, protocol.updated_at = name, spec.weekdays, spec.notes, at
            protocol.items = [_row(position, item) for position, item in enumerate(spec.items)]
            db.flush()
            return _info(protocol)
    except IntegrityError:  # saved by another computer at the same moment
        raise ProtocolNameTaken(_clash(name)) from None


def rename_protocol(store: Store, key: int | str, new_name: str) -> ProtocolInfo:
    new_name = check_name(new_name)
    try:
        with store.transaction() as db:
            protocol = _find(db, key)
            if protocol is None:
                raise StoreError(_missing(key))
            taken = _find(db, new_name)
            if taken is not None and taken.id != protocol.id:
                raise ProtocolNameTaken(_clash(taken.name))
            protocol.name, protocol.name_key, protocol.updated_at = new_name, name_key(new_name), now_utc()
            db.flush()
            return _info(protocol)
    except IntegrityError:
        raise ProtocolNameTaken(_clash(new_name)) from None


def delete_protocol(store: Store, key: int | str) -> str:
    """Delete a protocol; returns its name. Programs started from it stay as they are."""
    with store.transaction() as db:
        protocol = _find(db, key)
        if protocol is None:
            raise StoreError(_missing(key))
        name = protocol.name
        db.delete(protocol)
        return name


def program_from_protocol(protocol: ProtocolInfo, start: dt.date, end: dt.date | None = None) -> ProgramSpec:
    """A patient's program from the protocol, starting on `start`: its progressions count from then."""
    items = [
        ItemSpec(
            i.exercise_id,
            i.sets,
            i.reps,
            dict(i.overrides),
            i.notes,
            i.progression.model_copy(update={"since": None}) if i.progression else None,
        )
        for i in protocol.items
    ]
    return ProgramSpec(items, protocol.weekdays, start, end, protocol.name, protocol.notes)


def _clash(name: str) -> str:
    return _("a protocol named {0!r} already exists: choose another name, or replace that one").format(name)


def _missing(key: int | str) -> str:
    return _("no protocol named {0!r}").format(key) if isinstance(key, str) else f"no protocol with id {key}"


def _find(db: DbSession, key: int | str) -> Protocol | None:
    where = Protocol.id == key if isinstance(key, int) else Protocol.name_key == name_key(key)
    return db.scalar(select(Protocol).where(where).options(selectinload(Protocol.items)))


def _row(position: int, item: ItemSpec) -> ProtocolItem:
    # A protocol's rule has no start day: it counts from each patient's own program start.
    rule = item.progression.model_copy(update={"since": None}).stored() if item.progression else None
    return ProtocolItem(
        position=position,
        exercise_id=item.exercise_id,
        sets=item.sets,
        reps=item.reps,
        overrides=dict(item.overrides),
        notes=item.notes,
        progression=rule,
    )


def _info(protocol: Protocol) -> ProtocolInfo:
    items = []
    for i in protocol.items:
        rule, _problem = stored_rule(i.progression, f"protocol {protocol.name!r} item {i.position + 1}")
        items.append(ItemSpec(i.exercise_id, i.sets, i.reps, dict(i.overrides or {}), i.notes, rule))
    return ProtocolInfo(protocol.id, protocol.name, protocol.weekdays, items, protocol.notes, protocol.updated_at)
