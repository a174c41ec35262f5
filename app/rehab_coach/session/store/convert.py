"""The one place where a rep crosses between the engine's `RepResult` and the ORM `Rep` row."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from rehab_coach.engine.types import RepResult
from rehab_coach.session.store import series
from rehab_coach.session.store.tables import Rep
from rehab_coach.session.store.views import RepInfo


def jsonable(value: Any) -> Any:
    """JSON the databases accept: plain floats (numpy scalars converted), NaN/inf as null."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return int(value)
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return number if math.isfinite(number) else None


def finite(value: Any, default: float = 0.0) -> float:
    number = float(value) if value is not None else math.nan
    return number if math.isfinite(number) else default


def measured(value: Any) -> float | None:
    """An angle as stored: null when it could not be measured, never a made-up 0."""
    number = float(value) if value is not None else math.nan
    return number if math.isfinite(number) else None


def _nan_if_null(value: float | None) -> float:
    return math.nan if value is None else value


def rep_row(rep: RepResult, *, session_id: int, set_id: int | None, seq: int, recorded_at: dt.datetime) -> Rep:
    """The row for a rep; an angle the engine could not measure (NaN) is stored as null (rows written
    before migration 0003 hold 0 there)."""
    return Rep(
        session_id=session_id,
        set_id=set_id,
        seq=seq,
        rep_index=rep.index,
        complete=rep.complete,
        partial_reason=rep.partial_reason,
        side=rep.side,
        start_t=finite(rep.start_t),
        end_t=finite(rep.end_t),
        rom=measured(rep.rom),
        extreme=measured(rep.extreme),
        start_value=measured(rep.start_value),
        quality=finite(rep.quality),
        quality_parts=jsonable(rep.quality_parts),
        peaks=jsonable(rep.peaks),
        faults=list(rep.faults),
        angle_source=dict(rep.angle_source),
        held_seconds=rep.held_seconds,
        recorded_at=recorded_at,
    )


def rep_info(row: Rep, set_number: int | None) -> RepInfo:
    """The detached view of a stored rep, with its curve unpacked."""
    curve = series.unpack(row.series.data, row.start_t, row.series.encoding) if row.series else []
    return RepInfo(
        seq=row.seq,
        set_number=set_number,
        index=row.rep_index,
        complete=row.complete,
        partial_reason=row.partial_reason,
        side=row.side,
        start_t=row.start_t,
        end_t=row.end_t,
        rom=_nan_if_null(row.rom),
        extreme=_nan_if_null(row.extreme),
        start_value=_nan_if_null(row.start_value),
        quality=row.quality,
        quality_parts=dict(row.quality_parts or {}),
        peaks=dict(row.peaks or {}),
        faults=list(row.faults or []),
        angle_source=dict(row.angle_source or {}),
        held_seconds=row.held_seconds,
        curve=curve,
    )
