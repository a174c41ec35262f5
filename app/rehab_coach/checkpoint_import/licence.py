"""The YOLO-NAS Pose weights licence: a plain summary the user must acknowledge on import.

The summary is ours, written to be read; the binding text is Deci's LICENSE.YOLONAS-POSE.md
(in super-gradients' dist-info). The app never ships or downloads these weights: the user
brings the file.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

LICENCE_ID = "YOLO-NAS-POSE (Deci.AI, Inc.)"
LICENCE_FILE = "super_gradients-3.7.1.dist-info/LICENSE.YOLONAS-POSE.md"

SUMMARY = """\
YOLO-NAS Pose weights licence (Deci.AI, Inc.), in plain words. This is a summary,
not legal advice; the binding text is LICENSE.YOLONAS-POSE.md, shipped with super-gradients.

  * The code of YOLO-NAS (super-gradients) is Apache-2.0, but the pretrained weights
    published by Deci and models derived from them are under Deci's own licence.
  * You get a limited, non-exclusive, revocable, non-transferable right to use them.
  * Without Deci's prior written consent you may NOT:
      - redistribute, sell, lease or sublicense the weights;
      - offer them to others as a managed or remote service;
      - use them commercially, including in any production environment.
  * No warranty of any kind.

Weights you trained yourself from scratch are yours; weights fine-tuned from Deci's
pretrained checkpoints remain under this licence. Rehab Coach never downloads or ships
these weights: you bring the checkpoint, it stays on this computer, and the app records
that you acknowledged these terms in the model's manifest.

Re-run with --accept-license to acknowledge these terms and import the checkpoint."""


def acknowledgement() -> dict[str, Any]:
    return {
        "licence": LICENCE_ID,
        "reference": LICENCE_FILE,
        "accepted": True,
        "accepted_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "terms": "non-commercial, revocable, no redistribution, no production use without Deci's written consent",
    }
