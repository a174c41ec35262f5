"""The evaluation manifest: a JSON list of clips, each with the reps a person counted by eye.

Only `file`, `exercise` and `reps` are required; everything else the dev-set manifests carry
(licence, source repository, notes ...) is kept but not needed.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

from rehab_coach.errors import InputError, first_problem

VIEWS = ("side", "front", "oblique", "rear")


class Clip(BaseModel):
    model_config = ConfigDict(extra="allow")

    file: str = Field(min_length=1)
    exercise: str = Field(pattern=r"^[a-z0-9_]+$")
    reps: int = Field(ge=0, description="full cycles counted by eye")
    partial_reps: int = Field(default=0, ge=0, description="incomplete cycles (clip edges, half reps)")
    view: str = "unknown"
    # Optional per-rep fault labels: fault id -> 1-based indices of the full reps that show it.
    # Only the ids named here are judged for this clip; an empty list means "checked, never seen".
    faults: dict[str, list[int]] = Field(default_factory=dict)
    notes: str = ""

    @field_validator("faults")
    @classmethod
    def _indices_are_reps(cls, faults: dict[str, list[int]]) -> dict[str, list[int]]:
        for fault, indices in faults.items():
            if any(i < 1 for i in indices):
                raise ValueError(f"{fault}: rep indices start at 1")
        return faults

    @property
    def source(self) -> str:
        """Where the clip came from: its repository when the manifest names one, else its own file."""
        repo = getattr(self, "repo", None)
        return repo if isinstance(repo, str) and repo else self.file

    @property
    def tolerance(self) -> int:
        """A clip that starts or ends mid-rep may be counted one off."""
        return 1 if self.partial_reps > 0 else 0

    def video_path(self, manifest_dir: Path, videos: Path | None) -> Path:
        base = videos if videos is not None else manifest_dir
        return (base / self.file).resolve()


_CLIPS = TypeAdapter(list[Clip])


def load_manifest(path: Path) -> list[Clip]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such manifest") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the manifest ({exc})") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: line {exc.lineno}: not valid JSON ({exc.msg})") from None
    try:
        clips = _CLIPS.validate_python(raw)
    except ValidationError as exc:
        where, problem = first_problem(exc)
        raise InputError(f"{path}: entry {where}: {problem}") from None
    if not clips:
        raise InputError(f"{path}: the manifest lists no clips")
    return clips
