"""Pose-model noise on clean keypoints: what a real detector does to a still, perfect body.

Jitter (independent per frame and coordinate), slow whole-body sway, dropouts that last a
few frames (low confidence, the position either NaN or wrong), one-frame outliers that
keep a plausible confidence, and confidence that wobbles. Everything comes from the
numpy Generator handed in, so a seed reproduces a clip exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np


@dataclass(frozen=True)
class NoiseConfig:
    jitter_px: float = 4.0  # Gaussian sigma per coordinate
    drop_rate: float = 0.02  # share of joint-frames dropped
    drop_frames: float = 3.0  # mean length of a dropout, frames
    drop_conf: tuple[float, float] = (0.05, 0.2)
    drop_nan_share: float = 0.5  # dropped joints reported as NaN; the rest at a wrong position
    outlier_rate: float = 0.004  # share of joint-frames that jump for one frame
    outlier_px: tuple[float, float] = (30.0, 80.0)
    sway_px: float = 4.0  # amplitude of the slow drift of the whole body
    sway_hz: float = 0.15
    conf_sigma: float = 0.04

    def scaled(self, factor: float) -> NoiseConfig:
        """Pixel sizes scaled, e.g. for a bystander further away."""
        return replace(
            self,
            jitter_px=self.jitter_px * factor,
            sway_px=self.sway_px * factor,
            outlier_px=(self.outlier_px[0] * factor, self.outlier_px[1] * factor),
        )


NOISE_PRESETS: dict[str, NoiseConfig] = {
    "none": NoiseConfig(0.0, 0.0, outlier_rate=0.0, sway_px=0.0, conf_sigma=0.0),
    "low": NoiseConfig(2.0, 0.005, outlier_rate=0.001, sway_px=2.0, conf_sigma=0.02),
    "medium": NoiseConfig(),
    "high": NoiseConfig(6.0, 0.05, drop_frames=4.0, outlier_rate=0.01, sway_px=6.0, conf_sigma=0.07),
}


def noise_config(noise: NoiseConfig | str | None) -> NoiseConfig:
    if noise is None:
        return NOISE_PRESETS["none"]
    if isinstance(noise, str):
        if noise not in NOISE_PRESETS:
            raise ValueError(f"unknown noise preset {noise!r}; use one of {', '.join(NOISE_PRESETS)}")
        return NOISE_PRESETS[noise]
    return noise


def sway(t: np.ndarray, cfg: NoiseConfig, rng: np.random.Generator) -> np.ndarray:
    """(T, 2) slow drift: two incommensurate sines per axis, mostly sideways like postural sway."""
    phase = rng.uniform(0, 2 * np.pi, size=(2, 2))
    f = 2 * np.pi * cfg.sway_hz * t[:, None]
    wave = 0.7 * np.sin(f + phase[0]) + 0.3 * np.sin(2.3 * f + phase[1])
    return cfg.sway_px * wave * np.array([1.0, 0.35])


def dropout_mask(shape: tuple[int, int], cfg: NoiseConfig, rng: np.random.Generator) -> np.ndarray:
    """(T, J) mask of dropped joints in bursts of geometric length, drop_rate of cells overall."""
    n = shape[0]
    starts = rng.random(shape) < cfg.drop_rate / cfg.drop_frames
    lengths = rng.geometric(1.0 / cfg.drop_frames, size=shape)
    frame = np.arange(n)[:, None]
    ends = np.where(starts, frame + lengths, 0)
    return np.maximum.accumulate(ends, axis=0) > frame  # a burst covers frames until its end


def apply_noise(kp: np.ndarray, t: np.ndarray, cfg: NoiseConfig, rng: np.random.Generator) -> np.ndarray:
    """Noisy copy of clean keypoints (T, 17, 3); rows that are NaN (nobody there) stay NaN."""
    out = kp.copy()
    n, joints = kp.shape[:2]
    xy, conf = out[..., :2], out[..., 2]
    xy += sway(t, cfg, rng)[:, None, :]
    xy += rng.normal(0.0, cfg.jitter_px, size=xy.shape)

    jumps = rng.random((n, joints)) < cfg.outlier_rate
    angle = rng.uniform(0, 2 * np.pi, size=(n, joints))
    size = rng.uniform(*cfg.outlier_px, size=(n, joints))
    xy += jumps[..., None] * (size[..., None] * np.stack([np.cos(angle), np.sin(angle)], axis=-1))

    conf += rng.normal(0.0, cfg.conf_sigma, size=conf.shape)
    np.clip(conf, 0.01, 0.99, out=conf)

    dropped = dropout_mask((n, joints), cfg, rng)
    conf[dropped] = rng.uniform(*cfg.drop_conf, size=int(dropped.sum()))
    # A wrong position is where the model confused the joint with another one nearby.
    donor = rng.integers(0, joints, size=(n, joints))
    wrong = np.take_along_axis(xy, donor[..., None].repeat(2, axis=-1), axis=1) + rng.normal(0, 15, size=xy.shape)
    as_nan = rng.random((n, joints)) < cfg.drop_nan_share
    xy[dropped & ~as_nan] = wrong[dropped & ~as_nan]
    xy[dropped & as_nan] = np.nan
    missing = ~np.isfinite(kp[..., :2]).all(axis=-1)
    out[missing] = kp[missing]
    return out
