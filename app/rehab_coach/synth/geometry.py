"""Template measures and rules evaluated on clean synthetic keypoints.

An independent, whole-clip numpy implementation of the engine's measure semantics: the
generator uses it for its ground truth (when a rep starts and ends, which rules the
clean motion trips), so a mismatch with the engine points at one of the two.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from rehab_coach.engine.expressions import compile_expression
from rehab_coach.engine.templates import SIDED_JOINTS, Measure, Primary, Rule, Template
from rehab_coach.pose.types import KEYPOINT_INDEX

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


def measure(kp: np.ndarray, m: Measure, side: str) -> np.ndarray:
    """One template measure on one side, (T,)."""
    pts = [point(kp, f"{side}_{j}" if j in SIDED_JOINTS else j) for j in m.joints]
    if m.type == "joint_angle":
        u, v = pts[0] - pts[1], pts[2] - pts[1]
        cos = np.sum(u * v, axis=-1) / (np.linalg.norm(u, axis=-1) * np.linalg.norm(v, axis=-1))
        return np.degrees(np.arccos(np.clip(cos, -1, 1)))
    d = pts[1] - pts[0]
    if m.type == "segment_angle":
        up = np.degrees(np.arctan2(np.abs(d[:, 0]), -d[:, 1]))
        return up if m.reference == "vertical" else np.abs(90 - up)
    d = d / torso_length(kp)[:, None]
    if m.type == "distance":
        return np.linalg.norm(d, axis=-1)
    return {"forward": d[:, 0] * facing(kp), "x": d[:, 0], "y": -d[:, 1]}[m.axis]


def measures(kp: np.ndarray, template: Template, bare_side: np.ndarray | str) -> dict[str, np.ndarray]:
    """Every name a rule may read. Sided measures get _left/_right; the bare name is one side
    ("left"/"right", per frame allowed) or "both" for their mean, as the engine resolves it."""
    out: dict[str, np.ndarray] = {}
    for key, m in template.measures.items():
        if not m.sided:
            out[key] = measure(kp, m, "left")
            continue
        left, right = measure(kp, m, "left"), measure(kp, m, "right")
        out[f"{key}_left"], out[f"{key}_right"] = left, right
        if isinstance(bare_side, str) and bare_side == "both":
            out[key] = (left + right) / 2
        else:
            out[key] = np.where(np.asarray(bare_side) == "left", left, right)
    return out


# ---- thresholds ---------------------------------------------------------------------

_COMPARISON = re.compile(r"(<=|>=|<|>)\s*(-?\d+(?:\.\d*)?|-?\.\d+)\s*$")
_COMPARISON_LEFT = re.compile(r"^\s*(-?\d+(?:\.\d*)?|-?\.\d+)\s*(<=|>=|<|>)")
_FLIP = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}


@dataclass(frozen=True)
class Threshold:
    value: float
    above: bool  # the rule fires when the measure is above the value


def rule_threshold(rule: Rule) -> Threshold | None:
    """The number a simple rule compares with (`trunk_lean > 45`, `rep_min(knee) > 100`,
    `30 < x`); None for compound rules, which the generator cannot aim at."""
    if " and " in rule.when or " or " in rule.when:
        return None
    if match := _COMPARISON.search(rule.when):
        op, value = match.group(1), match.group(2)
    elif match := _COMPARISON_LEFT.search(rule.when):
        value, op = match.group(1), _FLIP[match.group(2)]
    else:
        return None
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


def phases(primary: np.ndarray, p: Primary, back_margin: float = 4.0) -> np.ndarray:
    """descent / bottom / ascent per frame of one rep window, as the engine labels them."""
    fold = primary if p.direction == "down" else -primary
    target = p.target if p.direction == "down" else -p.target
    extreme = np.minimum.accumulate(np.where(np.isfinite(fold), fold, np.inf))
    reached = np.maximum.accumulate(fold <= target)
    return np.where(reached & (fold <= target), "bottom", np.where(fold > extreme + back_margin, "ascent", "descent"))


def rule_hits(values: Mapping[str, np.ndarray], template: Template, window: tuple[int, int], fps: float) -> list[str]:
    """Rules a rep over frames window[0]..window[1] trips: frame rules held for their
    persistence within their phases, rep rules over the whole window."""
    names = template.measure_names()
    s, e = window
    span = {k: np.asarray(v[s:e + 1], dtype=float) for k, v in values.items()}
    phase = phases(span[template.primary.measure], template.primary)
    hits = []
    for rule in template.rules:
        expression = compile_expression(rule.when, names, rule.scope)
        if rule.scope == "rep":
            if expression.test({**{k: v.tolist() for k, v in span.items()}, "duration": (e - s) / fps}):
                hits.append(rule.id)
            continue
        in_phase = np.isin(phase, ["descent", "bottom", "ascent"] if "rep" in rule.phase else rule.phase)
        true = np.array([bool(in_phase[i]) and expression.test({k: float(v[i]) for k, v in span.items()})
                         for i in range(e - s + 1)])
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
