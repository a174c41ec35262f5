"""A stick-figure body posed by joint angles and projected to COCO-17 pixels.

The body lives in 3D so one pose serves both camera views: a side view shows the
sagittal angles and a slightly offset far side, a front view shows the frontal ones
with the person's left on image right. Units are body heights until `project`.

Body frame: X forward (the way the person faces), Y up, Z the person's left; the
origin is on the floor under the middle of the feet when standing. Every array of a
`BodyPose` has one row per frame, so a whole clip is posed in a few numpy calls.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from rehab_coach.keypoints.types import KEYPOINT_INDEX, NUM_KEYPOINTS

View = Literal["side", "front"]
Facing = Literal["right", "left"]
ElbowPlane = Literal["sagittal", "frontal"]

X_AXIS = np.array([1.0, 0.0, 0.0])
Y_AXIS = np.array([0.0, 1.0, 0.0])
Z_AXIS = np.array([0.0, 0.0, 1.0])
SIDE_SIGN = {"left": 1.0, "right": -1.0}  # the person's left is +Z


@dataclass(frozen=True)
class Proportions:
    """Segment lengths as fractions of standing height (after Winter's anthropometric table)."""

    ankle_height: float = 0.039
    shank: float = 0.246
    thigh: float = 0.245
    trunk: float = 0.288  # mid-hip to mid-shoulder keypoints
    upper_arm: float = 0.186
    forearm: float = 0.146
    shoulder_width: float = 0.23  # between the shoulder keypoints
    hip_width: float = 0.17  # between the hip keypoints
    ball: float = 0.11  # ankle to ball of the foot, along the floor
    # Head keypoints from mid-shoulder in the head frame: (forward, up, sideways).
    ear: tuple[float, float, float] = (-0.01, 0.11, 0.065)
    eye: tuple[float, float, float] = (0.07, 0.125, 0.032)
    nose: tuple[float, float, float] = (0.095, 0.097, 0.0)

    @property
    def leg(self) -> float:
        return self.thigh + self.shank


@dataclass
class Limb:
    """One side's joint angles in degrees, one value per frame.

    A leg with an `ankle` target is grounded (or placed): its knee comes from two-link IK,
    bending forward. Without one it hangs from the hip by hip_flex/hip_abd/knee_flex.
    Arm angles are relative to the trunk line (shoulder to hip of the same side), so a
    template's joint angle at the shoulder reads the abduction parameter directly.
    """

    hip_flex: np.ndarray
    hip_abd: np.ndarray
    knee_flex: np.ndarray
    shoulder_flex: np.ndarray
    shoulder_abd: np.ndarray
    elbow_flex: np.ndarray
    ankle: np.ndarray | None = None  # (T, 3) ankle position of a grounded foot
    elbow_plane: ElbowPlane = "sagittal"  # frontal: the forearm folds up beside the head ("goal post")
    knee_pole: np.ndarray = field(
        default_factory=lambda: X_AXIS.copy()
    )  # where a grounded knee points (up when supine)

    @classmethod
    def relaxed(cls, n: int) -> Limb:
        z = np.zeros(n)
        return cls(z.copy(), z.copy(), np.full(n, 3.0), np.full(n, 3.0), np.full(n, 8.0), np.full(n, 8.0))


@dataclass
class BodyPose:
    """Per-frame body parameters: pelvis (mid-hip) position, trunk orientation, limbs."""

    pelvis: np.ndarray  # (T, 3)
    trunk_lean: np.ndarray  # forward, degrees (sagittal)
    trunk_tilt: np.ndarray  # toward the person's left, degrees (frontal); the pelvis stays level
    left: Limb
    right: Limb
    head_pitch: np.ndarray | None = None  # forward nod relative to the trunk; None: the neck undoes half the lean
    prop: Proportions = field(default_factory=Proportions)
    pelvis_tilt: np.ndarray | None = (
        None  # frontal obliquity: the person's left hip up, degrees (hip hiking, pelvic drop)
    )

    @property
    def frames(self) -> int:
        return len(self.trunk_lean)

    def limb(self, side: str) -> Limb:
        return self.left if side == "left" else self.right

    @classmethod
    def standing(cls, n: int, prop: Proportions | None = None, stance: float | None = None) -> BodyPose:
        """Relaxed upright stance, feet `stance` apart (default: under the hips), both grounded."""
        prop = prop or Proportions()
        stance = prop.hip_width if stance is None else stance
        ankle_y = np.full(n, prop.ankle_height)
        hip = chain_hip(np.zeros(n), ankle_y, np.full(n, 1.5), np.full(n, 4.0), prop)
        pelvis = np.stack([hip[:, 0], hip[:, 1], np.zeros(n)], axis=1)
        pose = cls(pelvis, np.full(n, 2.0), np.zeros(n), Limb.relaxed(n), Limb.relaxed(n), prop=prop)
        for side in ("left", "right"):
            pose.limb(side).ankle = ground_point(np.zeros(n), SIDE_SIGN[side] * stance / 2, prop)
        return pose


# ---- geometry helpers -------------------------------------------------------------


def rotate(v: np.ndarray, axis: np.ndarray, degrees: np.ndarray | float) -> np.ndarray:
    """Rodrigues rotation of vectors (T, 3) about unit axes (3,) or (T, 3), right-handed."""
    axis = np.broadcast_to(axis, v.shape)
    theta = np.radians(np.broadcast_to(np.asarray(degrees, dtype=float), v.shape[:-1]))[..., None]
    cos, sin = np.cos(theta), np.sin(theta)
    along = np.sum(axis * v, axis=-1, keepdims=True)
    return v * cos + np.cross(axis, v) * sin + axis * along * (1 - cos)


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def chain_hip(
    ankle_x: np.ndarray, ankle_y: np.ndarray, shank_tilt: np.ndarray, knee_flex: np.ndarray, prop: Proportions
) -> np.ndarray:
    """Hip (X, Y) of a grounded leg built up from the ankle: the shank leans forward by
    `shank_tilt` from vertical, the thigh turns back by `knee_flex`. This is how a squat
    lowers the pelvis with the feet (heels) kept on the floor."""
    s, k = np.radians(shank_tilt), np.radians(knee_flex)
    x = ankle_x + prop.shank * np.sin(s) + prop.thigh * np.sin(s - k)
    y = ankle_y + prop.shank * np.cos(s) + prop.thigh * np.cos(s - k)
    return np.stack([x, y], axis=1)


def ground_point(x: np.ndarray, z: float | np.ndarray, prop: Proportions, lift: np.ndarray | float = 0.0) -> np.ndarray:
    """Ankle position (T, 3) of a flat foot at forward position x."""
    x = np.asarray(x, dtype=float)
    y = prop.ankle_height + np.asarray(lift, dtype=float) + np.zeros_like(x)
    return np.stack([x, y, np.broadcast_to(np.asarray(z, dtype=float), x.shape)], axis=1)


def two_link_knee(
    hip: np.ndarray, ankle: np.ndarray, prop: Proportions, pole: np.ndarray = X_AXIS
) -> tuple[np.ndarray, np.ndarray]:
    """Knee (and the ankle actually reached) for a leg from hip to ankle target, knee toward
    `pole` (forward by default). A target out of reach straightens the leg toward it
    instead of stretching the bones."""
    d = ankle - hip
    dist = np.linalg.norm(d, axis=-1, keepdims=True)
    direction = d / np.maximum(dist, 1e-9)
    reach = np.clip(dist, abs(prop.thigh - prop.shank) + 1e-6, prop.leg * (1 - 1e-6))
    along = (prop.thigh**2 - prop.shank**2 + reach**2) / (2 * reach)
    height = np.sqrt(np.maximum(prop.thigh**2 - along**2, 0.0))
    pole = pole - np.sum(pole * direction, axis=-1, keepdims=True) * direction
    knee = hip + along * direction + height * _unit(pole)
    reached = np.where(dist > prop.leg, hip + direction * prop.leg, ankle)
    return knee, reached


# ---- forward kinematics -------------------------------------------------------------


def joints_3d(pose: BodyPose) -> np.ndarray:
    """COCO-17 joint positions (T, 17, 3) in body heights."""
    prop, n = pose.prop, pose.frames
    out = np.zeros((n, NUM_KEYPOINTS, 3))
    ones = np.ones((n, 3))
    lean_only = rotate(Y_AXIS * ones, Z_AXIS, -pose.trunk_lean)  # forward lean turns +Y toward +X
    trunk_up = rotate(lean_only, X_AXIS, pose.trunk_tilt)
    trunk_fwd = rotate(rotate(X_AXIS * ones, Z_AXIS, -pose.trunk_lean), X_AXIS, pose.trunk_tilt)
    trunk_left = rotate(Z_AXIS * ones, X_AXIS, pose.trunk_tilt)
    mid_shoulder = pose.pelvis + prop.trunk * trunk_up
    hip_line = Z_AXIS * ones if pose.pelvis_tilt is None else rotate(Z_AXIS * ones, X_AXIS, -pose.pelvis_tilt)
    for side, sign in SIDE_SIGN.items():
        limb = pose.limb(side)
        shoulder = mid_shoulder + sign * prop.shoulder_width / 2 * trunk_left
        hip = pose.pelvis + sign * prop.hip_width / 2 * hip_line
        knee, ankle = _leg(limb, hip, pose.trunk_lean, sign, prop)
        elbow, wrist = _arm(limb, shoulder, hip, trunk_fwd, trunk_left, sign, prop)
        for name, point in (
            ("shoulder", shoulder),
            ("hip", hip),
            ("knee", knee),
            ("ankle", ankle),
            ("elbow", elbow),
            ("wrist", wrist),
        ):
            out[:, KEYPOINT_INDEX[f"{side}_{name}"]] = point
    _head(out, pose, mid_shoulder, trunk_up, trunk_left)
    return out


def _leg(
    limb: Limb, hip: np.ndarray, lean: np.ndarray, sign: float, prop: Proportions
) -> tuple[np.ndarray, np.ndarray]:
    if limb.ankle is not None:
        return two_link_knee(hip, limb.ankle, prop, limb.knee_pole)
    # A free leg hangs from a pelvis that follows the trunk's forward lean.
    down = -Y_AXIS * np.ones_like(hip)
    thigh = rotate(rotate(rotate(down, Z_AXIS, limb.hip_flex), X_AXIS, -sign * limb.hip_abd), Z_AXIS, -lean)
    shank = rotate(
        rotate(rotate(down, Z_AXIS, limb.hip_flex - limb.knee_flex), X_AXIS, -sign * limb.hip_abd), Z_AXIS, -lean
    )
    knee = hip + prop.thigh * thigh
    return knee, knee + prop.shank * shank


def _arm(
    limb: Limb, shoulder: np.ndarray, hip: np.ndarray, fwd: np.ndarray, left: np.ndarray, sign: float, prop: Proportions
) -> tuple[np.ndarray, np.ndarray]:
    along_trunk = _unit(hip - shoulder)
    upper = rotate(rotate(along_trunk, left, limb.shoulder_flex), fwd, -sign * limb.shoulder_abd)
    if limb.elbow_plane == "frontal":
        forearm = rotate(upper, fwd, -sign * limb.elbow_flex)
    else:
        forearm = rotate(upper, left, limb.elbow_flex)
    elbow = shoulder + prop.upper_arm * upper
    return elbow, elbow + prop.forearm * forearm


def _head(
    out: np.ndarray, pose: BodyPose, mid_shoulder: np.ndarray, trunk_up: np.ndarray, trunk_left: np.ndarray
) -> None:
    """Face keypoints on a head that nods with the trunk; by default the neck undoes half a
    forward lean, because people keep looking ahead while they bend."""
    prop = pose.prop
    pitch = -0.5 * pose.trunk_lean if pose.head_pitch is None else pose.head_pitch
    up = rotate(trunk_up, trunk_left, -pitch)
    fwd = np.cross(up, trunk_left)
    points = {
        "nose": (prop.nose, 0.0),
        "left_eye": (prop.eye, 1.0),
        "right_eye": (prop.eye, -1.0),
        "left_ear": (prop.ear, 1.0),
        "right_ear": (prop.ear, -1.0),
    }
    for name, ((f, u, s), sign) in points.items():
        out[:, KEYPOINT_INDEX[name]] = mid_shoulder + f * fwd + u * up + sign * s * trunk_left


# ---- camera -------------------------------------------------------------------------


@dataclass(frozen=True)
class Camera:
    """An orthographic camera: a webcam 2-3 m away sees little perspective.

    Side view: the person faces image right or left; `yaw` turns the chest slightly toward
    the camera, as people do, so the far side shows a little ahead of the near side.
    Front view: the person faces the camera, their left on image right.
    """

    view: View = "side"
    facing: Facing = "right"
    yaw: float = 10.0
    scale: float = 500.0  # pixels per body height
    origin: tuple[float, float] = (640.0, 650.0)  # pixel of the body-frame origin (floor)

    @property
    def near_side(self) -> str | None:
        if self.view == "front":
            return None
        return "left" if self.facing == "right" else "right"

    def axes(self) -> tuple[np.ndarray, np.ndarray]:
        """Body-frame directions of image-right and toward-the-camera."""
        yaw = np.radians(self.yaw)
        if self.view == "front":
            return np.array([np.sin(yaw), 0.0, np.cos(yaw)]), np.array([np.cos(yaw), 0.0, -np.sin(yaw)])
        f = 1.0 if self.facing == "right" else -1.0
        return np.array([f * np.cos(yaw), 0.0, -np.sin(yaw)]), np.array([np.sin(yaw), 0.0, f * np.cos(yaw)])

    def project(self, points: np.ndarray) -> np.ndarray:
        """(..., 3) body-frame points -> (..., 2) pixels."""
        right, _ = self.axes()
        x = self.origin[0] + self.scale * (points @ right)
        y = self.origin[1] - self.scale * points[..., 1]
        return np.stack([x, y], axis=-1)


# Typical detector confidence per joint, for a joint facing the camera and one on the far side.
_NEAR_CONF = {
    "nose": 0.93,
    "eye": 0.9,
    "ear": 0.85,
    "shoulder": 0.93,
    "elbow": 0.9,
    "wrist": 0.86,
    "hip": 0.88,
    "knee": 0.92,
    "ankle": 0.88,
}
_FAR_CONF = {
    "eye": 0.55,
    "ear": 0.2,
    "shoulder": 0.7,
    "elbow": 0.62,
    "wrist": 0.58,
    "hip": 0.62,
    "knee": 0.66,
    "ankle": 0.62,
}
_FRONT_CONF = {**_NEAR_CONF, "ear": 0.72, "hip": 0.85}


def base_confidence(camera: Camera) -> np.ndarray:
    """(17,) confidence a pose model would typically give each joint in this view: the far
    side of a side view is partly hidden behind the body, its ear almost always."""
    conf = np.empty(NUM_KEYPOINTS)
    for name, i in KEYPOINT_INDEX.items():
        side, _, joint = name.partition("_")
        if not joint:
            conf[i] = _NEAR_CONF[side]
        elif camera.view == "front":
            conf[i] = _FRONT_CONF[joint]
        else:
            conf[i] = _NEAR_CONF[joint] if side == camera.near_side else _FAR_CONF[joint]
    return conf
