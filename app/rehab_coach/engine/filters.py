"""Keypoint signal conditioning: confidence gating, outlier rejection, short-gap filling
and a One Euro filter, all vectorised over the 17 joints.

Everything is causal (live coaching cannot wait for future frames), so a short gap is
bridged by carrying the last position forward with its decaying velocity rather than by
interpolating to a future sample.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from rehab_coach.keypoints.types import NUM_KEYPOINTS


@dataclass(frozen=True)
class FilterConfig:
    min_confidence: float = 0.35
    max_gap_seconds: float = 0.3
    reset_after_seconds: float = 1.0
    outlier_torso_ratio: float = 0.25  # a jump beyond this share of torso length in one frame is suspect
    min_cutoff_hz: float = 1.5
    beta: float = 0.004  # cutoff grows with speed (px/s), so fast moves lag less
    derivative_cutoff_hz: float = 1.0

    @property
    def rest_lag_ms(self) -> float:
        """Lag of a first-order low-pass at the minimum cutoff (the worst case, when still)."""
        return 1000.0 / (2 * math.pi * self.min_cutoff_hz)

    def moving_lag_ms(self, speed_px_s: float) -> float:
        return 1000.0 / (2 * math.pi * (self.min_cutoff_hz + self.beta * speed_px_s))


def _alpha(cutoff_hz: np.ndarray | float, dt: float) -> np.ndarray | float:
    tau = 1.0 / (2 * math.pi * np.asarray(cutoff_hz))
    return 1.0 / (1.0 + tau / dt)


class OneEuroFilter:
    """One Euro filter (Casiez et al. 2012) over an array of independent signals; NaN = no sample."""

    def __init__(self, shape: tuple[int, ...], config: FilterConfig) -> None:
        self.config = config
        self.value = np.full(shape, np.nan)
        self.derivative = np.zeros(shape)

    def reset(self, mask: np.ndarray | None = None) -> None:
        mask = np.ones(self.value.shape, bool) if mask is None else mask
        self.value[mask] = np.nan
        self.derivative[mask] = 0.0

    def __call__(self, sample: np.ndarray, dt: float) -> np.ndarray:
        fresh = np.isfinite(sample) & ~np.isfinite(self.value)
        self.value[fresh] = sample[fresh]
        update = np.isfinite(sample) & ~fresh
        raw_derivative = np.where(update, (sample - np.nan_to_num(self.value)) / dt, 0.0)
        a_d = _alpha(self.config.derivative_cutoff_hz, dt)
        self.derivative = np.where(update, a_d * raw_derivative + (1 - a_d) * self.derivative, self.derivative)
        cutoff = self.config.min_cutoff_hz + self.config.beta * np.abs(self.derivative)
        a = _alpha(cutoff, dt)
        self.value = np.where(update, a * sample + (1 - a) * self.value, self.value)
        return self.value.copy()


def midpoint(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Mean of two points (..., 2), or the one that is seen; NaN where neither is. The same as
    np.nanmean over the pair without its empty-slice warnings and overhead (it runs every frame)."""
    return np.where(np.isnan(a), b, np.where(np.isnan(b), a, (a + b) / 2))


def torso_length(xy: np.ndarray) -> float:
    """Mid-shoulder to mid-hip distance in pixels; NaN when either midpoint is missing."""
    return float(np.hypot(*(midpoint(xy[5], xy[6]) - midpoint(xy[11], xy[12]))))


class KeypointSmoother:
    """Turns raw (17, 3) keypoints into smoothed (17, 2) positions with NaN for missing joints."""

    def __init__(self, config: FilterConfig | None = None) -> None:
        self.config = config or FilterConfig()
        self.euro = OneEuroFilter((NUM_KEYPOINTS, 2), self.config)
        self.last_seen_t = np.full(NUM_KEYPOINTS, -np.inf)
        self.velocity = np.zeros((NUM_KEYPOINTS, 2))
        self.suspect = np.zeros(NUM_KEYPOINTS, bool)
        self.last_t: float | None = None
        self.scale = math.nan

    def reset(self) -> None:
        self.__init__(self.config)  # type: ignore[misc]

    def _reject_outliers(self, xy: np.ndarray, dt: float) -> np.ndarray:
        """Drop a joint that jumps far from its prediction for one frame; accept it if it stays there."""
        predicted = self.euro.value + self.velocity * dt
        jump = np.linalg.norm(xy - predicted, axis=1)
        limit = (
            self.config.outlier_torso_ratio * self.scale * max(1.0, dt * 30)
        )  # slow frame rates move further per frame
        is_jump = np.isfinite(jump) & np.isfinite(limit) & (jump > limit)
        accepted_jump = is_jump & self.suspect  # second jump in a row: real motion, snap to it
        rejected = is_jump & ~self.suspect
        self.suspect = rejected
        xy = xy.copy()
        xy[rejected] = np.nan
        self.euro.reset(np.repeat(accepted_jump[:, None], 2, axis=1))
        return xy

    def __call__(self, keypoints: np.ndarray | None, t: float) -> np.ndarray:
        dt = 1 / 30 if self.last_t is None else max(t - self.last_t, 1e-3)
        self.last_t = t
        if keypoints is None:
            keypoints = np.full((NUM_KEYPOINTS, 3), np.nan)
        xy = np.where((keypoints[:, 2:3] >= self.config.min_confidence), keypoints[:, :2], np.nan)
        scale = torso_length(xy)
        if np.isfinite(scale):
            self.scale = scale if not np.isfinite(self.scale) else 0.9 * self.scale + 0.1 * scale
        xy = self._reject_outliers(xy, dt)
        seen = np.isfinite(xy).all(axis=1)
        self.last_seen_t[seen] = t
        gap = t - self.last_seen_t
        stale = ~seen & (gap > self.config.reset_after_seconds)
        self.euro.reset(np.repeat(stale[:, None], 2, axis=1))
        self.velocity[stale] = 0.0
        previous = self.euro.value.copy()
        bridged = ~seen & (gap <= self.config.max_gap_seconds)
        xy[bridged] = previous[bridged] + self.velocity[bridged] * dt
        self.velocity[bridged] *= 0.7  # decay so a bridged joint coasts to a stop
        out = self.euro(xy, dt)
        moved = seen & np.isfinite(previous).all(axis=1)
        self.velocity[moved] = (out[moved] - previous[moved]) / dt
        out[~seen & ~bridged] = np.nan
        return out
