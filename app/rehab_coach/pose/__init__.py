"""Pose estimation: every backend produces the same COCO-17 `PoseFrame`."""

from rehab_coach.pose.types import COCO_KEYPOINTS, KEYPOINT_INDEX, Person, PoseFrame

__all__ = ["COCO_KEYPOINTS", "KEYPOINT_INDEX", "Person", "PoseFrame"]
