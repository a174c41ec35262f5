"""Template measures and rules evaluated on clean synthetic keypoints.

An independent, whole-clip numpy implementation of the engine's measure semantics: the
generator uses it for its ground truth (when a rep starts and ends, which rules the
clean motion trips), so a mismatch with the engine points at one of the two.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from rehab_coach.engine.templates import SIDED_JOINTS, Measure, Primary, Rule, Template
from rehab_coach.keypoints.types import KEYPOINT_INDEX

_MIDPOINTS = {"mid_shoulder": "shoulder", "mid_hip": "hip", "mid_ankle": "ankle"}


def point(kp: np.ndarray, name: str) -> np.ndarray:
    """(T, 2) pixel track of a COCO joint or a mid_* point of keypoints (T, 17, 3)."""
    if name in _MIDPOINTS:
        joint = _MIDPOINTS[name]
        return (point(kp, f"left_{joint}") + point(kp, f"right_{joint}")) / 2
    return kp[:, KEYPOINT_INDEX[name], :2]


def torso_length(kp: np.ndarray) -> np.ndarray:
    return np.linalg.norm(point(kp, "mid_shoulder") - point(kp, "mid_hip"), axis=-1)


def facing(kp: np.ndarray) -> np.ndarray:
    """+1 where the person faces image +x: nose ahead of the mid-ear (or mid-shoulder)."""
    nose = point(kp, "nose")[:, 0]
    ears = (point(kp, "left_ear")[:, 0] + point(kp, "right_ear")[:, 0]) / 2
    anchor = np.where(np.isfinite(ears), ears, point(kp, "mid_shoulder")[:, 0])
    return np.where(nose >= anchor, 1.0, -1.0)


def rolling_low(x: np.ndarray, frames: int, percentile: float = 10.0) -> np.ndarray:
    """Causal low percentile over the last `frames` samples (this one included), NaN ignored:
    the rest position a displacement measure starts from, as the engine's RollingLow keeps it."""
    padded = np.concatenate([np.full(frames - 1, np.nan), x])
    windows = np.lib.stride_tricks.sliding_window_view(padded, frames)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN windows: nobody in view
        return np.nanpercentile(windows, percentile, axis=1)


def measure(kp: np.ndarray, m: Measure, side: str, fps: float = 30.0) -> np.ndarray:
    """One template measure on one side, (T,)."""
    pts = [point(kp, f"{side}_{j}" if j in SIDED_JOINTS else j) for j in m.joints]
    if m.type == "displacement":
        p = pts[0] if len(pts) == 1 else pts[1] - pts[0]
        along = {"y": -p[:, 1], "x": p[:, 0], "forward": facing(kp) * p[:, 0]}[m.direction]
        # The engine keeps samples no older than the window: floor(window * fps) + 1 frames.
        frames = int(math.floor(m.window_seconds * fps + 1e-9)) + 1
        return (along - rolling_low(along, frames)) / torso_length(kp)
    if m.type == "joint_angle":
        u, v = pts[0] - pts[1], pts[2] - pts[1]
        cos = np.sum(u * v, axis=-1) / (np.linalg.norm(u, axis=-1) * np.linalg.norm(v, axis=-1))
        return np.degrees(np.arccos(np.clip(cos, -1, 1)))
    d = pts[1] - pts[0]
    if m.type == "tilt":  # out of the image plane: shorter than the segment's own longest lately
        length = np.linalg.norm(d, axis=-1)
        longest = -rolling_low(-length, int(math.floor(m.window_seconds * fps + 1e-9)) + 1)
        return np.degrees(np.arccos(np.clip(length / longest, 0.0, 1.0)))
    if m.type == "segment_angle":
        up = np.degrees(np.arctan2(np.abs(d[:, 0]), -d[:, 1]))
        return up if m.reference == "vertical" else np.abs(90 - up)
    d = d / torso_length(kp)[:, None]
    if m.type == "distance":
        return np.linalg.norm(d, axis=-1) if not m.direction else np.abs(d[:, 1 if m.direction == "y" else 0])
    return {"forward": d[:, 0] * facing(kp), "x": d[:, 0], "y": -d[:, 1]}[m.direction]


def measures(
    kp: np.ndarray, template: Template, bare_side: np.ndarray | str, fps: float = 30.0, view: str | None = None
) -> dict[str, np.ndarray]:
    """Every name a rule may read. Sided measures get _left/_right and _asym; the bare name is
    one side ("left"/"right", per frame allowed) or "both" for their mean, as the engine
    resolves it; each gets a `_vel`, per side first, as the engine computes it. A measure the
    camera `view` cannot see is missing, as in the engine."""
    out: dict[str, np.ndarray] = {}
    for key, m in template.measures.items():
        if view is not None and view not in m.seen_from:
            missing = np.full(len(kp), np.nan)
            names = [key, f"{key}_vel"] + ([f"{key}_left", f"{key}_right", f"{key}_asym"] if m.sided else [])
            out.update({name: missing for name in names})
            continue
        if not m.sided:
            out[key] = measure(kp, m, "left", fps)
            out[f"{key}_vel"] = velocity(out[key], fps)
            continue
        left, right = measure(kp, m, "left", fps), measure(kp, m, "right", fps)
        out[f"{key}_left"], out[f"{key}_right"], out[f"{key}_asym"] = left, right, np.abs(left - right)
        rate = {"left": velocity(left, fps), "right": velocity(right, fps)}
        if isinstance(bare_side, str) and bare_side == "both":
            out[key] = (left + right) / 2
            out[f"{key}_vel"] = velocity(out[key], fps)
        else:
            out[key] = np.where(np.asarray(bare_side) == "left", left, right)
            out[f"{key}_vel"] = np.where(np.asarray(bare_side) == "left", rate["left"], rate["right"])
    return out


def velocity(x: np.ndarray, fps: float) -> np.ndarray:
    """Per-second rate, each sample averaged half and half with the previous rate (the engine's
    smoothing); NaN where a sample or its predecessor is missing and no rate is known yet."""
    raw = np.concatenate([[np.nan], np.diff(x) * fps])
    out = np.full_like(raw, np.nan)
    old = math.nan
    for i, r in enumerate(raw):
        old = r if not math.isfinite(old) else (old if not math.isfinite(r) else 0.5 * old + 0.5 * r)
        out[i] = old
    return out


# ---- thresholds ---------------------------------------------------------------------

_VALUE = r"(-?\d+(?:\.\d*)?|-?\.\d+|[a-z][a-z0-9_]*)"  # a number or a template parameter
_COMPARISON = re.compile(r"(<=|>=|<|>)\s*" + _VALUE + r"\s*$")
_COMPARISON_LEFT = re.compile(r"^\s*" + _VALUE + r"\s*(<=|>=|<|>)")
_FLIP = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}


@dataclass(frozen=True)
class Threshold:
    value: float
    above: bool  # the rule fires when the measure is above the value


def rule_threshold(rule: Rule, params: Mapping[str, float] | None = None) -> Threshold | None:
    """The number a simple rule compares with (`trunk_lean > 45`, `rep_min(knee) > 100`,
    `30 < x`, `lean > max_lean` with a template parameter); None for compound rules, which the
    generator cannot aim at."""
    if " and " in rule.when or " or " in rule.when:
        return None
    if match := _COMPARISON.search(rule.when):
        op, value = match.group(1), match.group(2)
    elif match := _COMPARISON_LEFT.search(rule.when):
        value, op = match.group(1), _FLIP[match.group(2)]
    else:
        return None
    if value[0].isalpha():
        if value not in (params or {}):
            return None
        return Threshold(float(params[value]), op.startswith(">"))  # type: ignore[index]
    return Threshold(float(value), op.startswith(">"))


# ---- reps and rules on clean data ---------------------------------------------------


def rep_window(primary: np.ndarray, p: Primary, lo: int, hi: int) -> tuple[int, int] | None:
    """Frames [start, end] of a rep inside frames lo..hi as the engine's counter sees it:
    from the last frame at rest (past `end`) before the value crosses `start`, to the first
    frame back past `end`. None when the value never crosses `start`."""
    fold = primary[lo:hi] if p.direction == "down" else -primary[lo:hi]
    start, end = (p.start, p.end) if p.direction == "down" else (-p.start, -p.end)
    crossed = np.flatnonzero(fold < start)
    if crossed.size == 0:
        return None
    first = int(crossed[0])
    rest_before = np.flatnonzero(fold[:first] >= end)
    back = np.flatnonzero(fold[first:] >= end)
    s = lo + (int(rest_before[-1]) if rest_before.size else 0)
    e = lo + first + (int(back[0]) if back.size else hi - lo - first - 1)
    return s, e


def phases(primary: np.ndarray, p: Primary) -> np.ndarray:
    """descent / bottom / ascent per frame of one rep window, as the engine labels them."""
    fold = primary if p.direction == "down" else -primary
    target = p.target if p.direction == "down" else -p.target
    extreme = np.minimum.accumulate(np.where(np.isfinite(fold), fold, np.inf))
    reached = np.maximum.accumulate(fold <= target)
    return np.where(
        reached & (fold <= target), "bottom", np.where(fold > extreme + p.ascent_margin, "ascent", "descent")
    )


def hold_mask(values: Mapping[str, np.ndarray], template: Template) -> np.ndarray:
    """Frames where the hold condition is true."""
    assert template.hold is not None
    condition = template.expression(template.hold.when, "frame")
    n = len(values[template.primary.measure])
    return np.array([condition.test({k: float(v[i]) for k, v in values.items()}) for i in range(n)], dtype=bool)


def rule_hits(
    values: Mapping[str, np.ndarray],
    template: Template,
    window: tuple[int, int],
    fps: float,
    phase: np.ndarray | None = None,
) -> list[str]:
    """Rules a rep over frames window[0]..window[1] trips: frame rules held for their
    persistence within their phases, rep rules over the whole window. `phase` (per frame of
    the window) replaces the rep phases, e.g. "hold" for a hold."""
    s, e = window
    span = {k: np.asarray(v[s : e + 1], dtype=float) for k, v in values.items()}
    phase = phases(span[template.primary.measure], template.primary) if phase is None else phase
    hits = []
    for rule in template.rules:
        expression = template.expression(rule.when, rule.scope)
        if rule.scope == "rep":
            if expression.test({**{k: v.tolist() for k, v in span.items()}, "duration": (e - s) / fps}):
                hits.append(rule.id)
            continue
        in_phase = np.isin(phase, [*rule.phase, *(("descent", "bottom", "ascent") if "rep" in rule.phase else ())])
        true = np.array(
            [bool(in_phase[i]) and expression.test({k: float(v[i]) for k, v in span.items()}) for i in range(e - s + 1)]
        )
        if _longest_run(true) - 1 >= rule.for_seconds * fps - 1e-6:
            hits.append(rule.id)
    return hits


def _longest_run(mask: np.ndarray) -> int:
    if not mask.any():
        return 0
    edges = np.diff(np.concatenate([[0], mask.astype(int), [0]]))
    return int((np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1)).max())


def finite_or_none(value: float) -> float | None:
    return round(float(value), 2) if math.isfinite(value) else None
