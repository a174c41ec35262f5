"""Errors of model import and management; all carry a message meant for the user."""

from __future__ import annotations

from rehab_coach.errors import InputError, RehabCoachError


class ModelError(RehabCoachError):
    """An installed model is missing, broken or cannot be installed."""


class ToolsEnvMissing(RehabCoachError):
    """The model-tools environment (torch + super-gradients) is not set up."""


class CheckpointRejected(InputError):
    """The checkpoint the user gave is unsafe, corrupt or not a YOLO-NAS Pose model.

    `code` names the case: missing, corrupt, untrusted, not_weights, not_yolo_nas,
    detection, keypoints, variant.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class ParityError(ModelError):
    """The exported ONNX model does not reproduce the PyTorch model's predictions."""
