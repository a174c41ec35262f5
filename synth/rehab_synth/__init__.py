"""Synthetic keypoint clips with ground truth: a development package for the tests, the library's
validation and the exercise cards' demonstrations (made when the app is built). Never shipped with
the app, which must not import it (an import-linter contract).

    from rehab_synth import generate
    clip = generate("squat", reps=5, faults={2: ["trunk_lean"]})
"""

from rehab_synth import lower_limb, trunk, upper_limb  # noqa: F401 - they register their motions
from rehab_synth.generator import (
    Absent,
    Bystander,
    Reps,
    Stand,
    SyntheticClip,
    Walk,
    compose,
    generate,
    standing_still,
)
from rehab_synth.motions import MOTIONS, Motion, register
from rehab_synth.noise import NOISE_PRESETS, NoiseConfig

__all__ = [
    "MOTIONS",
    "NOISE_PRESETS",
    "Absent",
    "Bystander",
    "Motion",
    "NoiseConfig",
    "Reps",
    "Stand",
    "SyntheticClip",
    "Walk",
    "compose",
    "generate",
    "register",
    "standing_still",
]
