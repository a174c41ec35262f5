"""Importing a user's YOLO-NAS Pose checkpoint: licence check, ONNX export in the tools environment, parity check.

Nothing here imports torch or super-gradients: that happens only in `rehab_coach.models.tools_worker`,
which runs with the tools environment's own Python.
"""
