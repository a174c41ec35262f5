"""Synthetic clips of the standard clinical tests, with the times the app should report.

    clip = chair_stands(5, seed=1)                       # five sit-to-stands, arms crossed
    clip = chair_stands(5, hands_on_thighs=True)         # ... pushing on the thighs
    clip = timed_up_and_go(walk_seconds=3.0)             # up, 3 m away, turn, back, down
    clip = single_leg_stance(hold=12.0, reach_at=8.0)    # a hand grabs the chair after 8 s

Each returns a `ClinicalClip`: the frames (a keypoint stream), when the start signal is given (`go_t`)
and the truth of every event, in seconds on the clip's clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np

from rehab_coach.engine.templates import load_template_by_id
from rehab_coach.keypoints.stream import StreamHeader, write_stream
from rehab_coach.keypoints.types import KEYPOINT_INDEX, PoseFrame
from rehab_synth import lower_limb
from rehab_synth.body import Camera, Proportions, base_confidence, joints_3d, rotate
from rehab_synth.generator import Reps, Stand, _detections, build_targets, compose
from rehab_synth.motions import Drive, Motion, get_motion
from rehab_synth.noise import apply_noise, noise_config

REACTION = 0.4  # seconds from the start signal to the first movement
BODY_METRES = 1.7  # the body's height: the motion scripts measure in body heights
Y_AXIS = np.array([0.0, 1.0, 0.0])


@dataclass
class ClinicalClip:
    frames: list[PoseFrame]
    width: int
    height: int
    fps: float
    go_t: float
    truth: dict[str, Any] = field(default_factory=dict)

    def write(self, path: Path | str) -> Path:
        path = Path(path)
        write_stream(path, StreamHeader(self.width, self.height, self.fps), self.frames)
        return path


# ---- chair stands -------------------------------------------------------------------------------


def _hands_on_thighs(d: Drive, tg: Any, prop: Any) -> Any:
    """Sit-to-stand pushing off the thighs: the hands rest on them and stay low through the rise."""
    pose = lower_limb._sit_to_stand(d, tg, prop)
    for side in ("left", "right"):
        pose.limb(side).shoulder_flex = np.full(d.frames, 25.0)
        pose.limb(side).elbow_flex = np.full(d.frames, 20.0)
    return pose


# Not registered: the generator's exercises are the templates' (tests/test_synth.py runs each of them).
HANDS_ON_THIGHS = Motion("sit_to_stand", "side", top=lower_limb.SEATED_KNEE, script=_hands_on_thighs)


def chair_stands(
    count: int = 5,
    *,
    seated_before: float = 2.0,
    rise: float = 1.0,
    sit: float = 1.0,
    up_pause: float = 0.3,
    seated_pause: float = 0.4,
    seated_after: float = 2.0,
    hands_on_thighs: bool = False,
    partial: tuple[int, ...] = (),
    fps: float = 30.0,
    seed: int = 0,
    noise: str = "low",
) -> ClinicalClip:
    """`count` stands from a chair, side view. Truth: each stand's `rise` (movement starts), `up`
    (fully standing) and `sit` (back on the seat); `partial` stands get only halfway up."""
    template = load_template_by_id("sit_to_stand")
    motion = HANDS_ON_THIGHS if hands_on_thighs else None
    reps = Reps(
        count,
        tempo=rise + sit,
        down_share=rise / (rise + sit),
        pause_bottom=up_pause,
        rest=seated_pause,
        partial=partial,
        variation=0.0,
    )
    clip = compose(
        "sit_to_stand",
        [Stand(seated_before), reps, Stand(seated_after)],
        motion=motion,
        fps=fps,
        seed=seed,
        noise=noise,
        template=template,
    )
    stands = []
    for truth in clip.reps:
        start, end = truth["move_start_t"], truth["move_end_t"]
        stands.append(
            {
                "rise": start,
                "up": round(start + rise, 3),
                "sit": end,
                "partial": truth["partial"],
            }
        )
    go = round(seated_before - REACTION, 3)
    return ClinicalClip(
        clip.frames, clip.width, clip.height, fps, go, {"stands": stands, "hands_on_thighs": hands_on_thighs}
    )


# ---- Timed Up and Go ----------------------------------------------------------------------------


def timed_up_and_go(
    *,
    seated_before: float = 2.0,
    rise: float = 1.2,
    walk_seconds: float = 3.0,
    turn_seconds: float = 1.2,
    sit: float = 1.2,
    seated_after: float = 2.0,
    distance: float = 3.0,
    leave_view: bool = False,
    fps: float = 30.0,
    seed: int = 0,
    noise: str = "low",
    width: int = 1280,
    height: int = 720,
) -> ClinicalClip:
    """Seated side-on, stand up, walk `distance` metres away, turn, walk back, turn, sit. The chair
    is near one edge of the picture; with `leave_view` the far end (and the turn) is out of it.
    Truth: go, rise, up, turn (start, end), back turn, sit start, seated (the seat contact)."""
    t_rise = seated_before
    t_up = t_rise + rise
    t_turn = t_up + walk_seconds
    t_back = t_turn + turn_seconds
    t_turn2 = t_back + walk_seconds
    t_sit = t_turn2 + turn_seconds
    t_seated = t_sit + sit
    total = t_seated + seated_after
    t = np.arange(int(round(total * fps))) / fps
    p = np.where(
        t < t_rise,
        0.0,
        np.where(t < t_up, _ease((t - t_rise) / rise), np.where(t < t_sit, 1.0, 1.0 - _ease((t - t_sit) / sit))),
    )
    motion = get_motion("sit_to_stand")
    template = load_template_by_id("sit_to_stand")
    targets = build_targets(motion, template, 0.35, 0.25)
    drive = Drive(t, p, np.full_like(t, 176.0), np.ones_like(t), {})
    pose = motion.script(drive, targets, Proportions())
    joints = joints_3d(pose)  # body heights, the chair's spot at the origin, facing +X
    away = distance / BODY_METRES
    walk_out = np.clip((t - t_up) / walk_seconds, 0.0, 1.0)
    walk_back = np.clip((t - t_back) / walk_seconds, 0.0, 1.0)
    travel = away * (walk_out - walk_back)  # along +X, the way the person first faces
    yaw = 180.0 * (np.clip((t - t_turn) / turn_seconds, 0, 1) + np.clip((t - t_turn2) / turn_seconds, 0, 1))
    walking = ((t >= t_up) & (t < t_turn)) | ((t >= t_back) & (t < t_turn2))
    phase = 2 * np.pi * 0.9 * (t - t_up)
    for side, sign in (("left", 1.0), ("right", -1.0)):
        swing = np.where(walking, np.sin(phase + (0.0 if sign > 0 else np.pi)), 0.0)
        for joint, reach in (("ankle", 0.12), ("knee", 0.06)):
            index = KEYPOINT_INDEX[f"{side}_{joint}"]
            joints[:, index, 0] += reach * swing
    pelvis = joints[:, [KEYPOINT_INDEX["left_hip"], KEYPOINT_INDEX["right_hip"]]].mean(axis=1)
    for j in range(joints.shape[1]):
        relative = joints[:, j] - pelvis * np.array([1.0, 0.0, 1.0])
        joints[:, j] = rotate(relative, Y_AXIS, yaw) + pelvis * np.array([1.0, 0.0, 1.0])
    joints[:, :, 0] += travel[:, None]
    scale = 0.38 * height
    chair_x = (0.75 if leave_view else 0.2) * width
    camera = Camera("side", "right", yaw=8.0, scale=scale, origin=(chair_x, 0.9 * height))
    xy = camera.project(joints)
    clean = np.concatenate([xy, np.broadcast_to(base_confidence(camera), xy.shape[:2])[..., None]], axis=-1)
    rng_noise, rng_detect = (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2))
    noisy = apply_noise(clean, t, noise_config(noise), rng_noise)
    people = _detections(noisy, clean, np.ones(len(t), bool), scale, width, height, rng_detect)
    frames = [
        PoseFrame(t=round(float(ti), 6), people=[person] if person is not None else [], width=width, height=height)
        for ti, person in zip(t, people, strict=True)
    ]
    go = round(t_rise - REACTION, 3)
    truth = {
        "go": go,
        "rise": t_rise,
        "up": t_up,
        "turn": [t_turn, t_back],
        "sit_start": t_sit,
        "seated": round(t_seated, 3),
        "tug_seconds": round(t_seated - go, 3),
    }
    return ClinicalClip(frames, width, height, fps, go, truth)


def _ease(u: np.ndarray) -> np.ndarray:
    return (1 - np.cos(np.pi * np.clip(u, 0.0, 1.0))) / 2


# ---- single-leg stance --------------------------------------------------------------------------


def single_leg_stance(
    *,
    stand_before: float = 2.0,
    hold: float = 10.0,
    lift: float = 0.6,
    stand_leg: Literal["left", "right"] = "right",
    reach_at: float | None = None,
    stand_after: float = 2.0,
    fps: float = 30.0,
    seed: int = 0,
    noise: str = "low",
) -> ClinicalClip:
    """Facing the camera, lift one foot for `hold` seconds (standing on `stand_leg`), put it down.
    `reach_at`: seconds after the lift when a hand reaches out sideways for support (it stays out).
    Truth: `lift` (the foot leaves the floor), `down` (it touches down), `reach` (None: never)."""
    lead = "left" if stand_leg == "right" else "right"  # the lifted leg
    reps = Reps(1, tempo=2 * lift, down_share=0.5, pause_bottom=hold, lead=lead, variation=0.0)
    # The generator lifts the template's own side in a one-legged exercise: name the lifted leg there.
    template = load_template_by_id("single_leg_stance").model_copy(update={"side": lead})
    clip = compose(
        "single_leg_stance",
        [Stand(stand_before), reps, Stand(stand_after)],
        fps=fps,
        seed=seed,
        noise=noise,
        template=template,
    )
    # The foot is off the floor while the lifted ankle is more than OFF_FLOOR above the other one.
    ankles = clip.clean[:, [KEYPOINT_INDEX["left_ankle"], KEYPOINT_INDEX["right_ankle"]], 1]
    lifted = np.abs(ankles[:, 0] - ankles[:, 1]) / clip.camera.scale * BODY_METRES > OFF_FLOOR
    off = np.flatnonzero(lifted)
    lift_t, down_t = round(float(clip.t[off[0]]), 3), round(float(clip.t[off[-1]] + 1 / fps), 3)
    frames = clip.frames
    reach = None
    if reach_at is not None:
        reach = round(lift_t + reach_at, 3)
        frames = [_reaching(frame, reach, fps) for frame in frames]
    go = round(stand_before - REACTION, 3)
    return ClinicalClip(
        frames, clip.width, clip.height, fps, go, {"lift": lift_t, "down": down_t, "reach": reach, "leg": stand_leg}
    )


REACH_SECONDS = 0.15  # the arm swings out this fast
OFF_FLOOR = 0.01  # metres


def _reaching(frame: PoseFrame, at: float, fps: float) -> PoseFrame:
    """From `at` on, the person's right hand goes out sideways to a chair beside them."""
    if frame.t < at or not frame.people:
        return frame
    share = min((frame.t - at) / REACH_SECONDS, 1.0)
    people = []
    for person in frame.people:
        kp = person.keypoints.copy()
        shoulder, hip = kp[KEYPOINT_INDEX["right_shoulder"], :2], kp[KEYPOINT_INDEX["right_hip"], :2]
        torso = float(np.hypot(*(shoulder - hip))) if np.isfinite(shoulder).all() and np.isfinite(hip).all() else 100.0
        outward = -1.0  # the right side is on the image's left when facing the camera
        for joint, amount in (("right_elbow", 0.6), ("right_wrist", 1.3)):
            index = KEYPOINT_INDEX[joint]
            kp[index, 0] = shoulder[0] + outward * amount * torso * share + (1 - share) * (kp[index, 0] - shoulder[0])
            kp[index, 1] = shoulder[1] + 0.4 * torso * share + (1 - share) * (kp[index, 1] - shoulder[1])
        people.append(replace(person, keypoints=kp))
    return PoseFrame(t=frame.t, people=people, width=frame.width, height=frame.height)


def single_leg_stance_both_legs(
    holds: tuple[float, float] = (8.0, 6.0),
    *,
    stand_before: float = 2.0,
    between: float = 6.0,
    stand_after: float = 3.0,
    lift: float = 0.6,
    fps: float = 30.0,
    seed: int = 0,
    noise: str = "low",
) -> ClinicalClip:
    """Standing on the right leg for `holds[0]` seconds, `between` seconds on both feet, then on the left
    for `holds[1]`: the two trials of the test in one clip. Truth: `trials`, each `lift`, `down`, `leg`."""
    # Each set names its own lifted leg: a template that alternates keeps the sets' legs as given.
    template = load_template_by_id("single_leg_stance").model_copy(update={"side": "alternating"})
    segments = [
        Stand(stand_before),
        Reps(1, tempo=2 * lift, down_share=0.5, pause_bottom=holds[0], lead="left", variation=0.0),
        Stand(between),
        Reps(1, tempo=2 * lift, down_share=0.5, pause_bottom=holds[1], lead="right", variation=0.0),
        Stand(stand_after),
    ]
    clip = compose("single_leg_stance", segments, fps=fps, seed=seed, noise=noise, template=template)
    ankles = clip.clean[:, [KEYPOINT_INDEX["left_ankle"], KEYPOINT_INDEX["right_ankle"]], 1]
    lifted = np.abs(ankles[:, 0] - ankles[:, 1]) / clip.camera.scale * BODY_METRES > OFF_FLOOR
    trials = []
    for truth, leg in zip(clip.reps, ("right", "left"), strict=True):
        window = (clip.t >= truth["move_start_t"] - 0.1) & (clip.t <= truth["move_end_t"] + 0.1) & lifted
        off = np.flatnonzero(window)
        trials.append(
            {"lift": round(float(clip.t[off[0]]), 3), "down": round(float(clip.t[off[-1]] + 1 / fps), 3), "leg": leg}
        )
    return ClinicalClip(
        clip.frames, clip.width, clip.height, fps, round(stand_before - REACTION, 3), {"trials": trials}
    )
