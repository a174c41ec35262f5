"""The one keypoint type every layer passes on (COCO-17, pixels, a confidence each) and its file format."""

from rehab_coach.keypoints.types import COCO_KEYPOINTS, KEYPOINT_INDEX, Person, PoseFrame

__all__ = ["COCO_KEYPOINTS", "KEYPOINT_INDEX", "Person", "PoseFrame"]
