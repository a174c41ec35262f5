"""Installed models: one folder per model under `models_dir()`, described by manifest.json.

Installing is atomic: everything is written into a hidden staging folder beside the
final one and renamed into place in one step, so a failed import leaves nothing behind
and readers never see a half-written model. `verify` re-hashes every file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ConfigDict, TypeAdapter, ValidationError
from pydantic.dataclasses import dataclass as model_dataclass

from rehab_coach.errors import first_problem
from rehab_coach.models.errors import ModelError
from rehab_coach.paths import models_dir

MANIFEST = "manifest.json"
FORMAT = "rehab-coach-model"
FORMAT_VERSION = 1
STAGING_PREFIX = ".staging-"
TRASH_PREFIX = ".trash-"
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


# The manifest's parts are pydantic dataclasses: `read_manifest` validates a file field by field.
_STRICT_KEYS = ConfigDict(extra="forbid")


@model_dataclass(frozen=True, config=_STRICT_KEYS)
class FileEntry:
    sha256: str
    bytes: int

    @classmethod
    def of(cls, path: Path) -> FileEntry:
        return cls(sha256=sha256_file(path), bytes=path.stat().st_size)


@model_dataclass(frozen=True, config=_STRICT_KEYS)
class Thresholds:
    """Baked into the exported graph: detection confidence, NMS IoU, candidates before NMS, people after."""

    confidence: float = 0.05
    nms_iou: float = 0.7
    pre_nms: int = 1000
    max_predictions: int = 20

    def worker_args(self) -> list[str]:
        """The same thresholds as options of the tools worker (export and torch inference)."""
        return [
            "--conf",
            str(self.confidence),
            "--iou",
            str(self.nms_iou),
            "--pre-nms",
            str(self.pre_nms),
            "--max-predictions",
            str(self.max_predictions),
        ]


@model_dataclass(config=_STRICT_KEYS)
class Manifest:
    name: str
    family: str
    variant: str
    sizes: list[int]
    onnx: dict[str, str]
    files: dict[str, FileEntry]
    source: dict[str, Any]
    thresholds: Thresholds
    licence: dict[str, Any]
    created: str
    torch_weights: str | None = None
    parity: dict[str, Any] = field(default_factory=dict)
    tools: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "version": FORMAT_VERSION, **asdict(self)}

    @classmethod
    def from_json(cls, data: Any) -> Manifest:
        """Raises ValueError naming the first bad field: `files.model.onnx.sha256: Field required`."""
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version") != FORMAT_VERSION:
            raise ValueError(f"not a {FORMAT} v{FORMAT_VERSION} manifest")
        try:
            return _MANIFEST.validate_python({k: v for k, v in data.items() if k not in ("format", "version")})
        except ValidationError as exc:
            where, problem = first_problem(exc, "manifest")
            more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
            raise ValueError(f"{where}: {problem}{more}") from None

    def onnx_file(self, size: int) -> str:
        try:
            return self.onnx[str(size)]
        except KeyError:
            raise ModelError(
                f"model {self.name!r} has no {size} px export (it has {', '.join(map(str, self.sizes))})"
            ) from None


_MANIFEST: TypeAdapter[Manifest] = TypeAdapter(Manifest)


@dataclass(frozen=True)
class InstalledModel:
    path: Path
    manifest: Manifest

    @property
    def name(self) -> str:
        return self.manifest.name

    def file(self, name: str) -> Path:
        return self.path / name


@dataclass(frozen=True)
class BrokenModel:
    path: Path
    problem: str


def check_name(name: str) -> str:
    if not _NAME.match(name):
        raise ModelError(f"invalid model name {name!r}: use lower-case letters, digits, '.', '_' or '-' (max 64)")
    return name


def read_manifest(path: Path) -> Manifest:
    try:
        return Manifest.from_json(json.loads((path / MANIFEST).read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise ModelError(f"{path}: no {MANIFEST}") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"{path / MANIFEST}: unreadable manifest ({exc})") from None


def scan(root: Path | None = None) -> tuple[list[InstalledModel], list[BrokenModel]]:
    """Every model folder, sorted by name; hidden folders (staging, trash) are skipped."""
    root = root or models_dir()
    good: list[InstalledModel] = []
    broken: list[BrokenModel] = []
    for path in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        try:
            good.append(InstalledModel(path, read_manifest(path)))
        except ModelError as exc:
            broken.append(BrokenModel(path, str(exc)))
    return good, broken


def list_models(family: str | None = None) -> list[InstalledModel]:
    models, _ = scan()
    return [m for m in models if family is None or m.manifest.family == family]


def get_model(name: str) -> InstalledModel:
    path = models_dir() / check_name(name)
    if not path.is_dir():
        names = ", ".join(m.name for m in list_models()) or "none installed"
        raise ModelError(f"no model named {name!r} (installed: {names})")
    return InstalledModel(path, read_manifest(path))


def pick_model(family: str, name: str | None = None) -> InstalledModel:
    """The named model, else the most recently imported one of `family`."""
    if name:
        model = get_model(name)
        if model.manifest.family != family:
            raise ModelError(f"model {name!r} is a {model.manifest.family} model, not {family}")
        return model
    candidates = list_models(family)
    if not candidates:
        raise ModelError(f"no {family} model is installed (import one with `rehab-coach models import`)")
    return max(candidates, key=lambda m: (m.manifest.created, m.name))


def remove_model(name: str) -> Path:
    """Remove a model folder, broken ones (no or bad manifest) included."""
    path = models_dir() / check_name(name)
    if not path.is_dir():
        names = ", ".join(m.name for m in list_models()) or "none installed"
        raise ModelError(f"no model named {name!r} (installed: {names})")
    trash = path.with_name(f"{TRASH_PREFIX}{name}-{uuid.uuid4().hex[:8]}")
    os.replace(path, trash)  # atomic: the model disappears at once, then the bytes go
    shutil.rmtree(trash, ignore_errors=True)
    return path


@dataclass(frozen=True)
class FileProblem:
    file: str
    problem: str

    def __str__(self) -> str:
        return f"{self.file}: {self.problem}"


def verify_file(path: Path, entry: FileEntry) -> FileProblem | None:
    if not path.is_file():
        return FileProblem(path.name, "missing")
    size = path.stat().st_size
    if size != entry.bytes:
        kind = "truncated" if size < entry.bytes else "grown"
        return FileProblem(path.name, f"{kind}: {size} bytes, expected {entry.bytes}")
    if sha256_file(path) != entry.sha256:
        return FileProblem(path.name, "content changed (sha256 differs): tampered with or corrupt")
    return None


def verify_model(model: InstalledModel) -> list[FileProblem]:
    problems = [p for name, entry in model.manifest.files.items() if (p := verify_file(model.file(name), entry))]
    known = set(model.manifest.files) | {MANIFEST}
    problems += [FileProblem(p.name, "not listed in the manifest") for p in model.path.iterdir() if p.name not in known]
    return problems


def sweep_leftovers(max_age_s: float = 3600.0) -> list[Path]:
    """Remove staging and trash folders left by a killed process (older than `max_age_s`)."""
    now = time.time()
    stale = [
        p
        for p in models_dir().iterdir()
        if p.is_dir() and p.name.startswith((STAGING_PREFIX, TRASH_PREFIX)) and now - p.stat().st_mtime > max_age_s
    ]
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)
    return stale


@contextmanager
def staging(name: str) -> Iterator[Path]:
    """A hidden folder beside the final one (same filesystem, so the final rename is atomic).

    Removed on any error; the caller ends with `commit`, which moves it into place.
    """
    sweep_leftovers()
    path = models_dir() / f"{STAGING_PREFIX}{check_name(name)}-{uuid.uuid4().hex[:8]}"
    path.mkdir()
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def write_manifest(folder: Path, manifest: Manifest) -> None:
    tmp = folder / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps(manifest.to_json(), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, folder / MANIFEST)


def hash_files(folder: Path, names: list[str]) -> dict[str, FileEntry]:
    return {name: FileEntry.of(folder / name) for name in names}


def commit(staged: Path, name: str, replace: bool = False) -> InstalledModel:
    """Move a fully written staging folder into place; with `replace`, swap out an existing model."""
    final = models_dir() / check_name(name)
    manifest = read_manifest(staged)
    problems = [p for n, e in manifest.files.items() if (p := verify_file(staged / n, e))]
    if problems:
        raise ModelError(f"staged model is inconsistent: {problems[0]}")
    old = None
    if final.exists():
        if not replace:
            raise ModelError(
                f"a model named {name!r} is already installed: remove it first, pass --force, or choose --name"
            )
        old = final.with_name(f"{TRASH_PREFIX}{name}-{uuid.uuid4().hex[:8]}")
        os.replace(final, old)
    try:
        os.replace(staged, final)
    except OSError:
        if old is not None:
            os.replace(old, final)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return InstalledModel(final, manifest)
