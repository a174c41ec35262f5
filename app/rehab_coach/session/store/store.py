"""`Store`: patients, programs, the session history and the therapist PIN, on SQLite or PostgreSQL.

Every query goes through the SQLAlchemy ORM or Core with bound parameters: nothing a
patient types or a template says is ever pasted into SQL text.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from sqlalchemy import func, select
from sqlalchemy.engine import URL
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload, sessionmaker

from rehab_coach.engine.templates import EXERCISE_ID
from rehab_coach.i18n import _
from rehab_coach.session import security
from rehab_coach.session.pain_rule import FlagReview, PainFlag, pain_flags
from rehab_coach.session.progression import HOLD_SECONDS, ProgressionRule
from rehab_coach.session.store.convert import rep_info
from rehab_coach.session.store.db import (
    READ_ONLY_OPTION,
    StoreError,
    check_integrity,
    create_db_engine,
    describe,
    migrate,
    normalise_url,
    resolve_url,
)
from rehab_coach.session.store.liveness import host_name, pid_alive
from rehab_coach.session.store.ops import Op, OpError, RawOp, now_utc
from rehab_coach.session.store.queries import (
    aware_utc,
    correction_info,
    flag_review,
    item_info,
    patient_info,
    program_info,
    programs_of,
    session_info,
    session_query,
)
from rehab_coach.session.store.tables import (
    CheckIn,
    CountCorrection,
    CueRecord,
    ExerciseSet,
    PainFlagReview,
    Patient,
    Program,
    ProgramItem,
    Rep,
    SessionRow,
    TherapistPin,
)
from rehab_coach.session.store.text import folded
from rehab_coach.session.store.views import (
    CheckInInfo,
    CorrectionInfo,
    CueInfo,
    ItemSpec,
    PainAnswerInfo,
    PatientInfo,
    ProgramInfo,
    ProgramItemInfo,
    ProgramSpec,
    SessionDetail,
    SessionInfo,
    TrendPoint,
)
from rehab_coach.session.store.writes import apply_op

log = logging.getLogger(__name__)

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.-]{0,31}$")  # also a valid FHIR id
CHECKIN_FACTORS = ("birth_year", "pin")
STALE_AFTER = dt.timedelta(hours=2)  # no news from another machine's session for this long: interrupted


class Unchanged:
    """A field left as it is (None would mean "not recorded")."""


UNCHANGED = Unchanged()
SEXES = ("female", "male")


class Store:
    """One database. Cheap to create: it connects (and migrates) on first use."""

    def __init__(
        self, url: str | Path | URL | None = None, *, lock_timeout: float = 5.0, auto_migrate: bool = True
    ) -> None:
        self.url = normalise_url(url if isinstance(url, URL) else resolve_url(url))
        self.engine = create_db_engine(self.url, lock_timeout=lock_timeout)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._readers = sessionmaker(self.engine.execution_options(**{READ_ONLY_OPTION: True}), expire_on_commit=False)
        self._auto_migrate = auto_migrate
        self._migrated = False
        self._migrate_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Store({describe(self.url)!r})"

    @property
    def backend(self) -> str:
        return self.url.get_backend_name()

    def ready(self) -> None:
        """Create or upgrade the schema once per process; raises SQLAlchemy's error when unreachable."""
        if self._migrated or not self._auto_migrate:
            return
        with self._migrate_lock:
            if not self._migrated:
                check_integrity(self.engine)  # before the migration, which would write
                migrate(self.engine)
                self._migrated = True

    @contextmanager
    def transaction(self) -> Iterator[DbSession]:
        """A write transaction (on SQLite it takes the write lock at once, waiting up to lock_timeout)."""
        self.ready()
        with self._sessions.begin() as db:
            yield db

    @contextmanager
    def reading(self) -> Iterator[DbSession]:
        """A read-only transaction: never waits for a writer (WAL on SQLite, MVCC on PostgreSQL)."""
        self.ready()
        with self._readers.begin() as db:
            yield db

    def close(self) -> None:
        self.engine.dispose()

    # ---- the recorder's writes ---------------------------------------------

    def apply_ops(self, ops: Iterable[Op | RawOp]) -> None:
        """Apply recorder ops in one transaction; each is idempotent, so a replay is safe."""
        ops = list(ops)
        try:
            with self.transaction() as db:
                for op in ops:
                    self._apply_one(db, op)
        except IntegrityError:
            # Another process synced the same journal at the same moment: redo op by op,
            # now that its rows exist the idempotent checks skip them.
            for op in ops:
                with self.transaction() as db:
                    self._apply_one(db, op)

    @staticmethod
    def _apply_one(db: DbSession, op: Op | RawOp) -> None:
        # No savepoint needed: an op raises OpError before it changes anything.
        try:
            apply_op(db, op)
        except OpError as exc:
            log.error("dropping a session op that cannot apply: %s", exc)

    def recover_interrupted(
        self, *, is_alive: Callable[[int], bool] = pid_alive, now: dt.datetime | None = None
    ) -> list[str]:
        """Mark sessions whose app died (crash, power cut) as interrupted; returns their uids.

        Same machine: the owning process is gone. Another machine: it has been silent for
        `STALE_AFTER` (we cannot see its processes).
        """
        now = now or now_utc()
        here = host_name()
        marked = []
        with self.transaction() as db:
            for session in db.scalars(select(SessionRow).where(SessionRow.status == "in_progress")):
                dead = (
                    not is_alive(session.pid) if session.host == here else now - session.last_activity_at > STALE_AFTER
                )
                if dead:
                    session.status = "interrupted"
                    session.ended_at = session.last_activity_at
                    marked.append(session.uid)
        if marked:
            log.info("marked %d interrupted session(s)", len(marked))
        return marked

    # ---- patients ------------------------------------------------------------

    def add_patient(
        self, code: str, display_name: str, notes: str = "", *, birth_year: int | None = None, sex: str | None = None
    ) -> PatientInfo:
        """A new patient; a code already stored, in any case, is refused. When another process adds the same
        code at the same moment (the database's unique index on the lower-cased code refuses the second),
        both get the one patient that was stored."""
        code, display_name = _check_code(code), _check_name(display_name)
        check_birth_year(birth_year)
        check_sex(sex)
        at = now_utc()
        try:
            with self.transaction() as db:
                # Codes are compared without case: P-1 and p-1 are one patient to a therapist.
                taken = db.scalar(select(Patient.code).where(func.lower(Patient.code) == code.lower()))
                if taken is not None:
                    raise StoreError(_("a patient with code {0!r} already exists (codes ignore case)").format(taken))
                patient = Patient(
                    code=code,
                    display_name=display_name,
                    notes=notes,
                    archived=False,
                    created_at=at,
                    updated_at=at,
                    birth_year=birth_year,
                    sex=sex,
                )
                db.add(patient)
                db.flush()
                return patient_info(patient)
        except IntegrityError:
            existing = self.get_patient(code)
            if existing is None:
                raise StoreError(_("a patient with code {0!r} already exists").format(code)) from None
            log.info("patient %s was added by another process at the same moment: using it", existing.code)
            return existing

    def update_patient(
        self,
        patient_id: int,
        *,
        display_name: str | None = None,
        notes: str | None = None,
        archived: bool | None = None,
        birth_year: int | None | Unchanged = UNCHANGED,
        sex: str | None | Unchanged = UNCHANGED,
    ) -> PatientInfo:
        """Change what is given; `birth_year` and `sex` may be set to None (not recorded)."""
        if not isinstance(birth_year, Unchanged):
            check_birth_year(birth_year)
        if not isinstance(sex, Unchanged):
            check_sex(sex)
        with self.transaction() as db:
            patient = db.get(Patient, patient_id)
            if patient is None:
                raise StoreError(f"no patient with id {patient_id}")
            if display_name is not None:
                patient.display_name = _check_name(display_name)
            if notes is not None:
                patient.notes = notes
            if archived is not None:
                patient.archived = archived
            if not isinstance(birth_year, Unchanged):
                patient.birth_year = birth_year
            if not isinstance(sex, Unchanged):
                patient.sex = sex
            patient.updated_at = now_utc()
            return patient_info(patient)

    def set_checkin_factor(self, patient_id: int, kind: str | None, value: str = "") -> PatientInfo:
        """The second check-in factor the kiosk asks for after the name: a birth year (4 digits) or a
        PIN (4-12 digits), stored as a salted hash; kind None removes it."""
        hashed = checkin_factor_hash(kind, value)
        with self.transaction() as db:
            patient = db.get(Patient, patient_id)
            if patient is None:
                raise StoreError(f"no patient with id {patient_id}")
            patient.checkin_factor, patient.checkin_hash, patient.updated_at = kind, hashed, now_utc()
            return patient_info(patient)

    def verify_checkin_factor(self, patient_id: int, value: str) -> bool:
        """True when the patient has no second factor or `value` matches it."""
        with self.reading() as db:
            patient = db.get(Patient, patient_id)
            if patient is None:
                return False
            return patient.checkin_hash is None or security.verify_pin(value.strip(), patient.checkin_hash)

    def get_patient(self, key: int | str) -> PatientInfo | None:
        """By id (int) or pseudonymous code (str)."""
        with self.reading() as db:
            where = Patient.id == key if isinstance(key, int) else func.lower(Patient.code) == key.strip().lower()
            patient = db.scalar(select(Patient).where(where).order_by(Patient.id))
            return patient_info(patient) if patient else None

    def patient(self, key: int | str) -> PatientInfo:
        found = self.get_patient(key)
        if found is None:
            raise StoreError(f"no patient {key!r}")
        return found

    def list_patients(self, search: str = "", *, include_archived: bool = False) -> list[PatientInfo]:
        """Patients by name; `search` matches code or name ignoring case and accents ("garcia" finds
        "García"). That folding is done here, not in SQL: neither SQLite nor a stock PostgreSQL
        can ignore accents, and a clinic's list is small."""
        last = (
            select(SessionRow.patient_id, func.max(SessionRow.started_at).label("last"))
            .group_by(SessionRow.patient_id)
            .subquery()
        )
        query = select(Patient, last.c.last).outerjoin(last, last.c.patient_id == Patient.id)
        if not include_archived:
            query = query.where(Patient.archived.is_(False))
        with self.reading() as db:
            rows = db.execute(query.order_by(Patient.display_name, Patient.code)).all()
            patients = [patient_info(p, aware_utc(last_at)) for p, last_at in rows]
        needle = folded(search.strip())
        return [p for p in patients if needle in folded(p.code) or needle in folded(p.display_name)]

    # ---- programs ------------------------------------------------------------

    def save_program(self, patient_id: int, spec: ProgramSpec) -> ProgramInfo:
        """Save a new version of the patient's program; the previous one is kept, inactive. A
        progression rule without its own start day counts from the program's start."""
        if not spec.items:
            raise StoreError(_("a program needs at least one exercise"))
        if not spec.weekdays & 0b1111111:
            raise StoreError(_("a program needs at least one day of the week"))
        start = spec.start_date or dt.date.today()
        if spec.end_date is not None and spec.end_date < start:
            raise StoreError(_("a program cannot end ({0}) before it starts ({1})").format(spec.end_date, start))
        for item in spec.items:
            check_item(item)
        with self.transaction() as db:
            if db.get(Patient, patient_id) is None:
                raise StoreError(f"no patient with id {patient_id}")
            for old in db.scalars(select(Program).where(Program.patient_id == patient_id, Program.active.is_(True))):
                old.active = False
            program = Program(
                patient_id=patient_id,
                name=spec.name,
                weekdays=spec.weekdays,
                start_date=start,
                end_date=spec.end_date,
                active=True,
                notes=spec.notes,
                created_at=now_utc(),
            )
            program.items = [
                ProgramItem(
                    position=i,
                    exercise_id=item.exercise_id,
                    sets=item.sets,
                    reps=item.reps,
                    overrides=dict(item.overrides),
                    notes=item.notes,
                    progression=_rule_from(item.progression, start),
                )
                for i, item in enumerate(spec.items)
            ]
            db.add(program)
            db.flush()
            return program_info(program)

    def active_program(self, patient_id: int) -> ProgramInfo | None:
        with self.reading() as db:
            program = db.scalar(programs_of(patient_id).where(Program.active.is_(True)).order_by(Program.id.desc()))
            return program_info(program) if program else None

    def program_history(self, patient_id: int) -> list[ProgramInfo]:
        with self.reading() as db:
            return [program_info(p) for p in db.scalars(programs_of(patient_id).order_by(Program.id))]

    def program_version(self, program: ProgramInfo) -> int:
        """The program's number among its patient's versions, 1 for the first (its id counts every patient's)."""
        return [p.id for p in self.program_history(program.patient_id)].index(program.id) + 1

    def program_item(self, item_id: int) -> ProgramItemInfo | None:
        with self.reading() as db:
            item = db.get(ProgramItem, item_id)
            return item_info(item) if item else None

    # ---- sessions --------------------------------------------------------------

    def sessions_for(
        self,
        patient_id: int | None,
        *,
        exercise_id: str | None = None,
        limit: int | None = None,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
    ) -> list[SessionInfo]:
        """Newest first, with per-session rep aggregates."""
        where = [SessionRow.patient_id == patient_id if patient_id is not None else SessionRow.patient_id.is_(None)]
        if exercise_id:
            where.append(SessionRow.exercise_id == exercise_id)
        if since:
            where.append(SessionRow.started_at >= since)
        if until:
            where.append(SessionRow.started_at < until)
        query = session_query(*where).order_by(SessionRow.started_at.desc(), SessionRow.id.desc()).limit(limit)
        with self.reading() as db:
            return [session_info(*cast(tuple[Any, ...], row)) for row in db.execute(query).all()]

    def session(self, key: int | str) -> SessionInfo:
        where = SessionRow.id == key if isinstance(key, int) else SessionRow.uid == key
        with self.reading() as db:
            row = db.execute(session_query(where)).first()
            if row is None:
                raise StoreError(f"no session {key!r}")
            return session_info(*cast(tuple[Any, ...], row))

    def session_detail(self, key: int | str) -> SessionDetail:
        info = self.session(key)
        with self.reading() as db:
            reps = db.scalars(
                select(Rep).where(Rep.session_id == info.id).options(selectinload(Rep.series)).order_by(Rep.seq)
            ).all()
            set_rows = db.execute(select(ExerciseSet.id, ExerciseSet.number).where(ExerciseSet.session_id == info.id))
            set_numbers = {set_id: number for set_id, number in set_rows}
            cues = db.scalars(select(CueRecord).where(CueRecord.session_id == info.id).order_by(CueRecord.seq)).all()
            corrections = db.scalars(
                select(CountCorrection).where(CountCorrection.session_id == info.id).order_by(CountCorrection.id)
            ).all()
            return SessionDetail(
                info,
                [rep_info(r, set_numbers.get(r.set_id) if r.set_id is not None else None) for r in reps],
                [CueInfo(c.seq, c.t, c.kind, c.cue_id, c.text, c.priority) for c in cues],
                [correction_info(c) for c in corrections],
            )

    # ---- check-ins and corrections ---------------------------------------------

    def record_check_in(self, session: int | str, pain: int | None, effort: int | None) -> CheckInInfo:
        """The patient's pain (NRS 0-10) and effort (Borg CR10 0-10) after the exercise; None: skipped.
        Answering again replaces the earlier answer."""
        check_answers(pain, effort)
        with self.transaction() as db:
            session_id = _session_id(db, session)
            row = db.scalar(select(CheckIn).where(CheckIn.session_id == session_id))
            if row is None:
                row = CheckIn(session_id=session_id)
                db.add(row)
            row.pain, row.effort, row.recorded_at = pain, effort, now_utc()
            db.flush()
            return CheckInInfo(session_id, row.pain, row.effort, row.recorded_at)

    def correct_count(self, session: int | str, corrected: int, reason: str) -> CorrectionInfo:
        """A therapist's rep count for a session, with the reason. The recorded reps are not touched and
        earlier corrections are kept: the newest is the count in force."""
        reason = reason.strip()
        if not reason:
            raise StoreError(_("say why the count is corrected (the reason is kept with the correction)"))
        if isinstance(corrected, bool) or not isinstance(corrected, int) or not 0 <= corrected <= 1000:
            raise StoreError(_("a rep count is a whole number from 0 to 1000, not {0!r}").format(corrected))
        info = self.session(session)
        with self.transaction() as db:
            row = CountCorrection(
                session_id=info.id,
                original_count=info.reps_complete,
                corrected_count=corrected,
                reason=reason,
                host=host_name(),
                corrected_at=now_utc(),
            )
            db.add(row)
            db.flush()
            log.info(
                "session %s: rep count corrected from %d to %d (%s)", info.uid, info.reps_complete, corrected, reason
            )
            return correction_info(row)

    # ---- pain flags ------------------------------------------------------------

    def pain_flags_for(self, patient_id: int) -> dict[int, PainFlag]:
        """The patient's flagged sessions by id (session/pain_rule.py), with their reviews. Reads the
        patient's check-ins only, never their reps: cheap enough for every row of the patient list."""
        query = (
            select(SessionRow.id, SessionRow.started_at, SessionRow.exercise_id, CheckIn.pain, PainFlagReview)
            .join(CheckIn, CheckIn.session_id == SessionRow.id)
            .outerjoin(PainFlagReview, PainFlagReview.session_id == SessionRow.id)
            .where(SessionRow.patient_id == patient_id, CheckIn.pain.is_not(None))
        )
        with self.reading() as db:
            rows = db.execute(query).all()
        answers = [PainAnswerInfo(sid, started, exercise, pain) for sid, started, exercise, pain, _review in rows]
        reviews = {row[0]: flag_review(row[4]) for row in rows if row[4] is not None}
        return pain_flags(answers, reviews)

    def previous_pain(self, session: int | str) -> int | None:
        """The patient's pain answer before this session (the rise rule's "previous"): the newest from
        one of their sessions that started earlier. None: no earlier answer, or no patient."""
        info = self.session(session)
        if info.patient_id is None:
            return None
        earlier = (SessionRow.started_at < info.started_at) | (
            (SessionRow.started_at == info.started_at) & (SessionRow.id < info.id)
        )
        query = (
            select(CheckIn.pain)
            .join(SessionRow, SessionRow.id == CheckIn.session_id)
            .where(SessionRow.patient_id == info.patient_id, CheckIn.pain.is_not(None), earlier)
            .order_by(SessionRow.started_at.desc(), SessionRow.id.desc())
            .limit(1)
        )
        with self.reading() as db:
            return db.scalar(query)

    def review_pain_flags(self, session_ids: Iterable[int], reviewed_by: str, note: str = "") -> list[FlagReview]:
        """Mark these sessions' pain flags as seen by a therapist (`reviewed_by`: their name or
        initials). A flag already reviewed keeps its first review; a session without a flag is refused."""
        reviewed_by, note = reviewed_by.strip(), note.strip()
        if not reviewed_by:
            raise StoreError(_("say who reviewed the flag (a name or initials, kept with the review)"))
        if len(reviewed_by) > 100:
            raise StoreError(_("a reviewer's name is at most 100 characters"))
        wanted = list(dict.fromkeys(session_ids))
        by_patient: dict[int, dict[int, PainFlag]] = {}
        for session_id in wanted:
            patient_id = self.session(session_id).patient_id
            if patient_id is not None and patient_id not in by_patient:
                by_patient[patient_id] = self.pain_flags_for(patient_id)
            if patient_id is None or session_id not in by_patient[patient_id]:
                raise StoreError(_("session {0} has no pain flag to review").format(session_id))
        at, host = now_utc(), host_name()

        def write() -> dict[int, FlagReview]:
            with self.transaction() as db:
                for session_id in wanted:
                    if db.scalar(select(PainFlagReview.id).where(PainFlagReview.session_id == session_id)) is None:
                        db.add(
                            PainFlagReview(
                                session_id=session_id, reviewed_by=reviewed_by, note=note, host=host, reviewed_at=at
                            )
                        )
                db.flush()
                rows = db.scalars(select(PainFlagReview).where(PainFlagReview.session_id.in_(wanted))).all()
                return {row.session_id: flag_review(row) for row in rows}

        try:
            reviews = write()
        except IntegrityError:  # another computer reviewed one of them at this moment: its review stands
            reviews = write()
        log.info("pain flags of session(s) %s reviewed", ", ".join(map(str, wanted)))
        return [reviews[session_id] for session_id in wanted]

    def trends(self, patient_id: int, exercise_id: str | None = None) -> list[TrendPoint]:
        """Per-session figures, oldest first, for the trend plots."""
        points = []
        for s in reversed(self.sessions_for(patient_id, exercise_id=exercise_id)):
            points.append(
                TrendPoint(
                    s.id,
                    s.started_at,
                    s.exercise_id,
                    s.status,
                    s.reps_complete,
                    s.mean_rom,
                    s.max_rom,
                    s.best_extreme,
                    s.mean_quality,
                )
            )
        return points

    # ---- therapist PIN ---------------------------------------------------------

    def has_pin(self) -> bool:
        with self.reading() as db:
            return db.get(TherapistPin, 1) is not None

    def set_pin(self, pin: str) -> None:
        """Set or replace the PIN. The caller checks the old PIN first (the UI only offers this unlocked)."""
        hashed = security.hash_pin(pin)
        with self.transaction() as db:
            row = db.get(TherapistPin, 1)
            if row is None:
                db.add(TherapistPin(id=1, pin_hash=hashed, failures=0, lockouts=0, updated_at=now_utc()))
            else:
                row.pin_hash, row.failures, row.lockouts, row.locked_until = hashed, 0, 0, None
                row.updated_at = now_utc()

    def check_pin(self, pin: str, *, now: dt.datetime | None = None) -> security.PinCheck:
        now = now or now_utc()
        with self.transaction() as db:
            # FOR UPDATE: two kiosks guessing at once must both count (PostgreSQL; SQLite serialises writers).
            row = db.scalar(select(TherapistPin).where(TherapistPin.id == 1).with_for_update())
            if row is None:
                return security.PinCheck(ok=False, no_pin_set=True)
            state = security.LockState(row.failures, row.lockouts, row.locked_until)
            correct = not state.locked(now) and security.verify_pin(pin, row.pin_hash)
            new_state, answer = security.after_attempt(state, correct, now)
            row.failures, row.lockouts, row.locked_until = (
                new_state.failures,
                new_state.lockouts,
                new_state.locked_until,
            )
            row.updated_at = now
            return answer


def check_birth_year(year: int | None, today: dt.date | None = None) -> None:
    """Refuse a birth year that cannot be one (None: not recorded)."""
    today = today or dt.date.today()
    if year is None:
        return
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= today.year:
        raise StoreError(_("a birth year is a year from 1900 to this year, e.g. 1956"))


def check_sex(sex: str | None) -> None:
    if sex is not None and sex not in SEXES:
        raise StoreError(_("sex is female or male (or not recorded), not {0!r}").format(sex))


def checkin_factor_hash(kind: str | None, value: str) -> str | None:
    """The stored form of a second check-in factor (None for none); StoreError says what is wrong."""
    if kind is None:
        return None
    if kind not in CHECKIN_FACTORS:
        raise StoreError(f"unknown check-in factor {kind!r}; use {' or '.join(CHECKIN_FACTORS)}")
    value = value.strip()
    if kind == "birth_year" and not (
        value.isdigit() and len(value) == 4 and 1900 <= int(value) <= dt.date.today().year
    ):
        raise StoreError(_("a birth year is four digits, e.g. 1956"))
    try:
        return security.hash_pin(value)
    except security.PinError:
        raise StoreError(_("a check-in PIN is 4 to 12 digits")) from None


def open_store(url: str | Path | URL | None = None, **kwargs: object) -> Store:
    """A ready store, or a `StoreError` that says which database could not be opened and why."""
    store = Store(url, **kwargs)  # type: ignore[arg-type]
    try:
        store.ready()
    except SQLAlchemyError as exc:
        store.close()
        reason = getattr(exc, "orig", None) or exc
        raise StoreError(
            f"cannot open the database {describe(store.url)}: {str(reason).strip().splitlines()[0]}"
        ) from None
    return store


# ---- helpers -------------------------------------------------------------------


def check_item(item: ItemSpec) -> None:
    """Refuse an item the store cannot keep: a malformed exercise id, or a progression rule that
    could never move (its maximum not above where it starts, or a hold time it has nothing to grow from)."""
    if not EXERCISE_ID.fullmatch(item.exercise_id):
        raise StoreError(_("{0!r} is not an exercise id (lower-case letters, digits and _)").format(item.exercise_id))
    rule = item.progression
    if rule is None:
        return
    if rule.unit == "reps":
        start = item.reps
    else:
        hold = item.overrides.get(HOLD_SECONDS)
        if not isinstance(hold, int | float) or isinstance(hold, bool):
            raise StoreError(
                _("{0}: a progression in seconds needs the exercise's own hold time").format(item.exercise_id)
            )
        start = round(hold)
    if start >= rule.maximum:
        raise StoreError(
            _("{0}: the progression's maximum ({1}) must be above where it starts ({2})").format(
                item.exercise_id, rule.maximum, start
            )
        )


def _rule_from(rule: ProgressionRule | None, start: dt.date) -> dict[str, Any] | None:
    if rule is None:
        return None
    return (rule if rule.since is not None else rule.model_copy(update={"since": start})).stored()


def _check_code(code: str) -> str:
    code = code.strip()
    if not CODE_PATTERN.match(code):
        raise StoreError(_("a patient code is 1-32 letters, digits, '.' or '-' (it must not be the patient's name)"))
    return code


def _check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 200:
        raise StoreError(_("a display name is 1-200 characters"))
    return name


def check_answers(pain: int | None, effort: int | None) -> None:
    """Refuse a check-in answer that is not a whole number from 0 to 10 (None: skipped)."""
    for name, value in (("pain", pain), ("effort", effort)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10):
            raise StoreError(_("{0} is a whole number from 0 to 10, not {1!r}").format(name, value))


def _session_id(db: DbSession, key: int | str) -> int:
    found = db.scalar(
        select(SessionRow.id).where(SessionRow.id == key if isinstance(key, int) else SessionRow.uid == key)
    )
    if found is None:
        raise StoreError(f"no session {key!r}")
    return found
