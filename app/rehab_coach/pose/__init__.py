"""Pose estimation: every backend turns an image into the same COCO-17 `PoseFrame` (`rehab_coach.keypoints`)."""
