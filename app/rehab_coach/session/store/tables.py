"""The database schema, as SQLAlchemy 2 ORM classes.

The migrations in `migrations/versions/` create exactly this schema (a test compares
them), so change both together: edit a model, then add a migration.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Named constraints keep migrations portable (SQLite batch mode needs names to alter them).
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SESSION_STATUSES = ("in_progress", "completed", "stopped", "interrupted")


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes on every backend (SQLite forgets the zone; we put it back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use datetime.now(timezone.utc)")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Patient(Base):
    """A pseudonymous patient: `code` is what leaves the clinic (exports); `display_name` stays local."""

    __tablename__ = "patients"
    # Codes ignore case (P-0042 and p-0042 are one patient), on every database and under concurrent adds.
    __table_args__ = (Index("uq_patients_code_lower", func.lower("code"), unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    notes: Mapped[str] = mapped_column(Text, default="")
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # Optional second check-in factor on the kiosk: "birth_year" or "pin", kept as a scrypt hash.
    checkin_factor: Mapped[str | None] = mapped_column(String(16), nullable=True)
    checkin_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)
    # Optional, for reading a clinical test against norms by age and sex (only the year: less identifying).
    birth_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    sex: Mapped[str | None] = mapped_column(String(8), nullable=True)  # "female" or "male"

    programs: Mapped[list[Program]] = relationship(back_populates="patient", order_by="Program.id")


class Program(Base):
    """One version of a patient's program. Editing saves a new version so old sessions keep their item."""

    __tablename__ = "programs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    weekdays: Mapped[int] = mapped_column(Integer, default=0b1111111)  # bit 0 = Monday
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    patient: Mapped[Patient] = relationship(back_populates="programs")
    items: Mapped[list[ProgramItem]] = relationship(
        back_populates="program", order_by="ProgramItem.position", cascade="all, delete-orphan"
    )


class ProgramItem(Base):
    """An exercise in a program with its dosage and per-patient template overrides ({"primary.target": 95})."""

    __tablename__ = "program_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    exercise_id: Mapped[str] = mapped_column(String(64))
    sets: Mapped[int] = mapped_column(Integer)
    reps: Mapped[int] = mapped_column(Integer)
    overrides: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    notes: Mapped[str] = mapped_column(Text, default="")
    # A ProgressionRule (session/progression.py) as JSON; NULL: the dosage stays as prescribed.
    progression: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)

    program: Mapped[Program] = relationship(back_populates="items")


class Protocol(Base):
    """A named program to start patients from ("TKA weeks 0-2"). `name_key` is the name as people
    compare names (case, accents and spacing ignored), unique: two protocols cannot be told apart otherwise."""

    __tablename__ = "protocols"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), unique=True)
    weekdays: Mapped[int] = mapped_column(Integer, default=0b1111111)  # bit 0 = Monday
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    items: Mapped[list[ProtocolItem]] = relationship(
        back_populates="protocol", order_by="ProtocolItem.position", cascade="all, delete-orphan"
    )


class ProtocolItem(Base):
    """An exercise of a protocol: as a program item, with a progression rule that has no start day yet."""

    __tablename__ = "protocol_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    protocol_id: Mapped[int] = mapped_column(ForeignKey("protocols.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    exercise_id: Mapped[str] = mapped_column(String(64))
    sets: Mapped[int] = mapped_column(Integer)
    reps: Mapped[int] = mapped_column(Integer)
    overrides: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    notes: Mapped[str] = mapped_column(Text, default="")
    progression: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)

    protocol: Mapped[Protocol] = relationship(back_populates="items")


class SessionRow(Base):
    """One exercise session. `uid` is made by the recorder so a journal replay can find it again."""

    __tablename__ = "sessions"
    # One patient's sessions, newest first, without reading anyone else's; with the exercise, the patient
    # list's per-exercise and per-day reads need no row of the table.
    __table_args__ = (Index("ix_sessions_patient_started", "patient_id", "started_at", "exercise_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), nullable=True)
    program_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("program_items.id", ondelete="SET NULL"), nullable=True
    )
    exercise_id: Mapped[str] = mapped_column(String(64))
    measure: Mapped[str] = mapped_column(String(64), default="")
    direction: Mapped[str] = mapped_column(String(8), default="")
    target: Mapped[float | None] = mapped_column(Float, nullable=True)
    ideal: Mapped[float | None] = mapped_column(Float, nullable=True)
    overrides: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="in_progress", index=True)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_activity_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    host: Mapped[str] = mapped_column(String(255), default="")
    pid: Mapped[int] = mapped_column(Integer, default=0)
    app_version: Mapped[str] = mapped_column(String(32), default="")
    # Only set when the user explicitly turned recording on; the video file itself never enters the database.
    recording_path: Mapped[str | None] = mapped_column(String(1024), nullable=True)
    # Frames that reached the engine per second: over the whole session, and in its slowest few
    # seconds (below the counting rate a rep may be missed). None: older sessions, or not measured.
    fps_mean: Mapped[float | None] = mapped_column(Float, nullable=True)
    fps_lowest: Mapped[float | None] = mapped_column(Float, nullable=True)

    sets: Mapped[list[ExerciseSet]] = relationship(order_by="ExerciseSet.number", cascade="all, delete-orphan")
    reps: Mapped[list[Rep]] = relationship(order_by="Rep.seq", cascade="all, delete-orphan")
    cues: Mapped[list[CueRecord]] = relationship(order_by="CueRecord.seq", cascade="all, delete-orphan")


class ExerciseSet(Base):
    __tablename__ = "sets"
    __table_args__ = (UniqueConstraint("session_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class Rep(Base):
    """Every per-rep metric of `RepResult` (`convert.py` maps one to the other). `seq` counts reps across the
    session's sets (the dedup key)."""

    __tablename__ = "reps"
    __table_args__ = (
        UniqueConstraint("session_id", "seq"),
        # Covers the per-session aggregates (counts, mean quality and range, best extreme): they read this
        # index for the sessions asked for, never the table, and never another patient's reps.
        Index("ix_reps_session_stats", "session_id", "complete", "quality", "rom", "extreme"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    set_id: Mapped[int | None] = mapped_column(ForeignKey("sets.id", ondelete="CASCADE"), nullable=True, index=True)
    seq: Mapped[int] = mapped_column(Integer)
    rep_index: Mapped[int] = mapped_column(Integer)
    complete: Mapped[bool] = mapped_column(Boolean)
    partial_reason: Mapped[str] = mapped_column(String(32), default="")
    side: Mapped[str | None] = mapped_column(String(8), nullable=True)
    start_t: Mapped[float] = mapped_column(Float)
    end_t: Mapped[float] = mapped_column(Float)
    # Null: not measurable from the camera's view (see engine/anatomy.py), or a hold.
    rom: Mapped[float | None] = mapped_column(Float, nullable=True)
    extreme: Mapped[float | None] = mapped_column(Float, nullable=True)
    start_value: Mapped[float | None] = mapped_column(Float, nullable=True)
    quality: Mapped[float] = mapped_column(Float)
    quality_parts: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    peaks: Mapped[dict[str, float | None]] = mapped_column(JSON, default=dict)
    faults: Mapped[list[str]] = mapped_column(JSON, default=list)
    angle_source: Mapped[dict[str, str] | None] = mapped_column(JSON, nullable=True)  # measure -> image/world/...
    held_seconds: Mapped[float | None] = mapped_column(Float, nullable=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    series: Mapped[RepSeries | None] = relationship(cascade="all, delete-orphan", uselist=False)


class RepSeries(Base):
    """The primary measure over one rep, downsampled and packed (see `series.py`)."""

    __tablename__ = "rep_series"

    rep_id: Mapped[int] = mapped_column(ForeignKey("reps.id", ondelete="CASCADE"), primary_key=True)
    measure: Mapped[str] = mapped_column(String(64))
    encoding: Mapped[str] = mapped_column(String(16))
    points: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class CueRecord(Base):
    __tablename__ = "cue_events"
    __table_args__ = (UniqueConstraint("session_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    t: Mapped[float] = mapped_column(Float)
    kind: Mapped[str] = mapped_column(String(16))
    cue_id: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(String(500))
    priority: Mapped[int] = mapped_column(Integer)


class CheckIn(Base):
    """The patient's answers after an exercise: pain on the 0-10 numeric rating scale (NRS) and
    effort on the Borg CR10 scale (0-10). Either may be skipped (NULL). One per session."""

    __tablename__ = "check_ins"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), unique=True)
    pain: Mapped[int | None] = mapped_column(Integer, nullable=True)
    effort: Mapped[int | None] = mapped_column(Integer, nullable=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class CountCorrection(Base):
    """A therapist's correction of a session's rep count, with the reason. The recorded reps stay
    as they are and every correction is kept: the newest one is the count in force (an audit trail)."""

    __tablename__ = "count_corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    original_count: Mapped[int] = mapped_column(Integer)  # complete reps as recorded by the app
    corrected_count: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    host: Mapped[str] = mapped_column(String(255), default="")
    corrected_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class PainFlagReview(Base):
    """A therapist saw a session's pain flag: the patient leaves "Needs attention" for it. Kept for
    the record: who (name or initials as typed; the PIN is shared), the computer, when, and a note.
    One per session: the first review stands."""

    __tablename__ = "pain_flag_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), unique=True)
    reviewed_by: Mapped[str] = mapped_column(String(100))
    note: Mapped[str] = mapped_column(Text, default="")
    host: Mapped[str] = mapped_column(String(255), default="")
    reviewed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ClinicalResultRow(Base):
    """One trial of a standard clinical test (session/clinical/), kept beside its session: the number
    and how it ended as columns, everything the engine reported (`ClinicalResult`) as JSON."""

    __tablename__ = "clinical_results"
    __table_args__ = (UniqueConstraint("session_id", "trial"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    trial: Mapped[int] = mapped_column(Integer)  # 1, or 2 for the second leg of a single-leg stance
    test_id: Mapped[str] = mapped_column(String(64))
    side: Mapped[str | None] = mapped_column(String(8), nullable=True)
    value: Mapped[float | None] = mapped_column(Float, nullable=True)  # None: not completed
    unit: Mapped[str] = mapped_column(String(16))
    completed: Mapped[bool] = mapped_column(Boolean)
    ended_by: Mapped[str] = mapped_column(String(32))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ClinicalCorrection(Base):
    """A therapist's value for a clinical test result, with the reason, beside the measured one (as
    `CountCorrection` for reps): every correction is kept, the newest is in force."""

    __tablename__ = "clinical_corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("clinical_results.id", ondelete="CASCADE"), index=True)
    original_value: Mapped[float | None] = mapped_column(Float, nullable=True)  # as measured by the app
    corrected_value: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text)
    host: Mapped[str] = mapped_column(String(255), default="")
    corrected_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class TherapistPin(Base):
    """The single therapist PIN (row id 1): a salted scrypt hash and the lockout counters."""

    __tablename__ = "therapist_pin"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pin_hash: Mapped[str] = mapped_column(String(255))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    lockouts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
