"""How much a camera turned away from the exercise's plane distorts joint angles, in 2D and 3D.

Synthetic 3D bodies do each exercise; the camera sees them at 0, 30, 45 and 60 degrees of yaw
from the view the exercise is filmed in. For the primary joint angle of each exercise this
prints the mean absolute error, against the true 3D angle, of the angle measured on the 2D
keypoints (with the generator's low keypoint noise) and on 3D points carrying Gaussian noise
of --world-noise body heights (BlazePose's world landmarks are a few centimetres off).

    .venv/bin/python scripts/angle_error_by_view.py [--world-noise 0.02] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import logging

import numpy as np

from rehab_coach.engine.measures import joint_angles
from rehab_coach.engine.templates import load_template_by_id
from rehab_coach.keypoints.types import KEYPOINT_INDEX
from rehab_synth import generate

EXERCISES = ("squat", "lunge", "sit_to_stand", "elbow_flexion", "wall_push_up", "glute_bridge", "shoulder_abduction")
YAWS = (0, 30, 45, 60)


def _indices(exercise: str, side: str) -> list[int]:
    template = load_template_by_id(exercise)
    joints = template.measures[template.primary.measure].joints
    return [KEYPOINT_INDEX.get(f"{side}_{j}", KEYPOINT_INDEX.get(j, -1)) for j in joints]


def errors(exercise: str, yaw: float, world_noise: float, seed: int) -> tuple[float, float, str]:
    clip = generate(exercise, reps=3, seed=seed, noise="low", yaw=yaw, world_noise=world_noise)
    side = clip.camera.near_side or "left"
    a, b, c = _indices(exercise, side)
    truth = joint_angles(clip.clean_world[:, a], clip.clean_world[:, b], clip.clean_world[:, c])
    flat, deep = [], []
    for i, frame in enumerate(clip.frames):
        patient = [p for p in frame.people if p.world is not None]
        if not patient or not np.isfinite(truth[i]):
            continue
        p = patient[0]
        flat.append(abs(float(joint_angles(p.xy[a], p.xy[b], p.xy[c])) - truth[i]))
        deep.append(abs(float(joint_angles(p.world[a], p.world[b], p.world[c])) - truth[i]))
    joint = load_template_by_id(exercise).measures[load_template_by_id(exercise).primary.measure].joints[1]
    return float(np.nanmean(flat)), float(np.nanmean(deep)), joint


def main() -> None:
    logging.disable(logging.WARNING)  # the generator warns when a turned camera trips its fault checks
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--world-noise", type=float, default=0.02, help="3D point noise, body heights (default 0.02)")
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--json", help="also write the table here")
    args = parser.parse_args()
    rows = []
    print(f"mean absolute angle error, degrees (2D / 3D with {args.world_noise} body heights of 3D noise)\n")
    print(f"{'exercise':20s} {'joint':9s} " + " ".join(f"{f'{y} deg':>13s}" for y in YAWS))
    for exercise in EXERCISES:
        cells = []
        for yaw in YAWS:
            runs = [errors(exercise, yaw, args.world_noise, seed) for seed in range(args.seeds)]
            flat, deep, joint = float(np.mean([r[0] for r in runs])), float(np.mean([r[1] for r in runs])), runs[0][2]
            rows.append(
                {
                    "exercise": exercise,
                    "joint": joint,
                    "yaw": yaw,
                    "error_2d": round(flat, 1),
                    "error_3d": round(deep, 1),
                }
            )
            cells.append(f"{flat:5.1f} / {deep:4.1f}")
        print(f"{exercise:20s} {joint:9s} " + " ".join(f"{c:>13s}" for c in cells))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(rows, fh, indent=2)


if __name__ == "__main__":
    main()
