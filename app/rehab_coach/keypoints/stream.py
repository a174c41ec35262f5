"""The COCO-17 keypoint stream: JSON Lines, a header then one line per frame.

Header: {"format": "coco17-keypoints", "version": 1, "width": W, "height": H, "fps": F}
Frame:  {"t": seconds, "people": [{"keypoints": [[x, y, conf] x 17], "bbox": [x1, y1, x2, y2], "score": s}]}
A person may also carry "world": [[x, y, z] x 17] (metres; null where unseen) from a 3D backend.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Strict, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from rehab_coach.errors import InputError
from rehab_coach.keypoints.types import NUM_KEYPOINTS, KeyPoints, PoseFrame, boxes_around
from rehab_coach.paths import open_private

FORMAT_NAME = "coco17-keypoints"
FORMAT_VERSION = 1


MAX_FPS = 1000.0  # no camera or model delivers more; a stream claiming it has a broken header
MIN_FPS = 0.1
MAX_SIDE = 100_000


@dataclass(frozen=True)
class StreamHeader:
    width: int
    height: int
    fps: float

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "width": self.width,
            "height": self.height,
            "fps": self.fps,
        }


# A JSON number, never a bool or a string (strict), as a float: 640 and 640.0 are the same width.
_Number = Annotated[float, Strict()]


class HeaderLine(BaseModel):
    """The header line as it is in the file; `_header_problem` turns its errors into one plain sentence."""

    model_config = ConfigDict(extra="ignore")

    format: Literal["coco17-keypoints"]
    version: Literal[1]
    width: _Number
    height: _Number
    fps: _Number

    @field_validator("width", "height")
    @classmethod
    def _whole_pixels(cls, value: float) -> int:
        if not (0 < value <= MAX_SIDE and value == int(value)):
            raise PydanticCustomError(
                "header_value", "width and height must be whole numbers of pixels from 1 to {top}", {"top": MAX_SIDE}
            )
        return int(value)

    @field_validator("fps")
    @classmethod
    def _plausible_rate(cls, value: float) -> float:
        if not MIN_FPS <= value <= MAX_FPS:
            raise PydanticCustomError(
                "header_value",
                "fps must be from {low} to {high} (got {fps})",
                {"low": f"{MIN_FPS:g}", "high": f"{MAX_FPS:g}", "fps": f"{value:g}"},
            )
        return value


def _finite_or_none(value: float, digits: int = 3) -> float | None:
    return round(float(value), digits) if math.isfinite(value) else None


def people_to_json(keypoints: KeyPoints) -> list[dict[str, Any]]:
    """One object per person; "world" only for a person the backend gave 3D positions for."""
    out: list[dict[str, Any]] = []
    for i in range(len(keypoints)):
        person: dict[str, Any] = {
            "keypoints": [
                [_finite_or_none(x), _finite_or_none(y), round(float(c), 4)]
                for (x, y), c in zip(keypoints.xy[i], keypoints.confidence[i], strict=True)
            ],
            "bbox": [round(float(v), 2) for v in keypoints.box[i]],
            "score": round(float(keypoints.score[i]), 4),
        }
        if keypoints.world is not None and np.isfinite(keypoints.world[i]).any():
            person["world"] = [[_finite_or_none(v, 4) for v in row] for row in keypoints.world[i]]
        out.append(person)
    return out


def frame_to_json(frame: PoseFrame) -> dict[str, Any]:
    return {"t": round(frame.t, 4), "people": people_to_json(frame.keypoints)}


class KeypointStreamWriter:
    """Writes a stream line by line so a crash loses at most the last frame."""

    def __init__(self, fh: IO[str], header: StreamHeader) -> None:
        self._fh = fh
        self._fh.write(json.dumps(header.to_json()) + "\n")

    def write(self, frame: PoseFrame) -> None:
        self._fh.write(json.dumps(frame_to_json(frame), allow_nan=False) + "\n")


def write_stream(path: Path, header: StreamHeader, frames: Iterable[PoseFrame]) -> None:
    with open_private(path, "w", encoding="utf-8") as fh:  # a patient's movements: 0600
        writer = KeypointStreamWriter(fh, header)
        for frame in frames:
            writer.write(frame)


def _fail(path: Path, line_no: int, problem: str) -> InputError:
    return InputError(f"{path}: line {line_no}: {problem}")


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number this format allows")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is too large for a number")
    return value


def _finite(value: Any) -> float:
    """A JSON number as a finite float; bools, strings and the rest raise ValueError."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{value!r} is not a number")
    result = float(value)
    if not math.isfinite(result):
        raise ValueError(f"{value!r} is not a finite number")
    return result


def _parse_header(path: Path, line_no: int, obj: Any) -> StreamHeader:
    try:
        line = HeaderLine.model_validate(obj)
    except ValidationError as exc:
        raise _fail(path, line_no, _header_problem(obj, exc)) from None
    return StreamHeader(int(line.width), int(line.height), line.fps)  # whole already, see `_whole_pixels`


def _header_problem(obj: Any, exc: ValidationError) -> str:
    """The first thing wrong, in the order a reader checks: is it a header, which version, numbers, ranges."""
    errors = exc.errors()
    fields = {str(e["loc"][0]) if e["loc"] else "format" for e in errors}
    if "format" in fields:
        return f'the first line must be a header with "format": "{FORMAT_NAME}"'
    if "version" in fields:
        return f"unsupported version {obj.get('version')!r} (this app reads version {FORMAT_VERSION})"
    ranges = [e["msg"] for e in errors if e["type"] == "header_value"]
    if len(ranges) < len(errors):
        return "the header needs numeric width, height and fps"
    return ranges[0]


@dataclass(frozen=True)
class _ParsedPerson:
    keypoints: np.ndarray  # (17, 3) x, y, conf
    bbox: np.ndarray
    score: float
    world: np.ndarray | None


def _parse_person(path: Path, line_no: int, index: int, obj: Any) -> _ParsedPerson:
    where = f"people[{index}]"
    if not isinstance(obj, dict):
        raise _fail(path, line_no, f"{where} must be an object")
    try:
        rows = [[math.nan if v is None else _finite(v) for v in row] for row in obj["keypoints"]]
    except KeyError:
        raise _fail(path, line_no, f"{where} has no keypoints") from None
    except (TypeError, ValueError):
        raise _fail(path, line_no, f"{where}.keypoints must be a list of [x, y, conf] numbers") from None
    if len(rows) != NUM_KEYPOINTS or any(len(r) != 3 for r in rows):
        raise _fail(path, line_no, f"{where}.keypoints must have {NUM_KEYPOINTS} entries of [x, y, conf]")
    keypoints = np.array(rows)
    world = _parse_world(path, line_no, where, obj.get("world"))
    try:
        score = None if obj.get("score") is None else _finite(obj["score"])
    except ValueError:
        raise _fail(path, line_no, f"{where}.score must be a number") from None
    if "bbox" not in obj:  # an older or hand-made file: the box around the visible joints
        bbox, mean_conf = boxes_around(keypoints[:, :2], np.nan_to_num(keypoints[:, 2], nan=0.0))
        return _ParsedPerson(keypoints, bbox, float(mean_conf) if score is None else score, world)
    try:
        bbox = np.array([_finite(v) for v in obj["bbox"]])
    except (TypeError, ValueError):
        raise _fail(path, line_no, f"{where}.bbox must be numbers") from None
    if bbox.shape != (4,):
        raise _fail(path, line_no, f"{where}.bbox must be [x1, y1, x2, y2]")
    return _ParsedPerson(keypoints, bbox, 1.0 if score is None else score, world)


def _stack_people(people: list[_ParsedPerson]) -> KeyPoints:
    if not people:
        return KeyPoints.empty()
    world = None
    if any(p.world is not None for p in people):  # a person without 3D among people with it: a row of NaN
        world = np.stack([np.full((NUM_KEYPOINTS, 3), np.nan) if p.world is None else p.world for p in people])
    return KeyPoints.from_xyc(
        np.stack([p.keypoints for p in people]),
        np.stack([p.bbox for p in people]),
        np.array([p.score for p in people]),
        world,
    )


def _parse_world(path: Path, line_no: int, where: str, rows: Any) -> np.ndarray | None:
    if rows is None:
        return None
    try:
        world = np.array([[math.nan if v is None else _finite(v) for v in row] for row in rows], dtype=np.float64)
    except (TypeError, ValueError):
        raise _fail(path, line_no, f"{where}.world must be a list of [x, y, z] numbers") from None
    if world.shape != (NUM_KEYPOINTS, 3):
        raise _fail(path, line_no, f"{where}.world must have {NUM_KEYPOINTS} entries of [x, y, z]")
    return world


def _parse_frame(path: Path, line_no: int, obj: Any, header: StreamHeader) -> PoseFrame:
    if not isinstance(obj, dict):
        raise _fail(path, line_no, "a frame line must be a JSON object")
    try:
        t = _finite(obj["t"])
    except (KeyError, TypeError, ValueError):
        raise _fail(path, line_no, 'a frame needs a numeric "t" (seconds)') from None
    people = obj.get("people")
    if not isinstance(people, list):
        raise _fail(path, line_no, 'a frame needs a "people" list (empty when nobody was seen)')
    parsed = [_parse_person(path, line_no, i, p) for i, p in enumerate(people)]
    return PoseFrame(t=t, keypoints=_stack_people(parsed), width=header.width, height=header.height)


class KeypointStream:
    """A keypoint stream file: `header` is read at once, frames lazily by iterating."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if self.path.is_dir():
            raise InputError(f"{self.path}: is a folder, not a keypoint file")
        if not self.path.is_file():
            raise InputError(f"{self.path}: no such keypoint file")
        with open(self.path, "rb") as fh:
            first = fh.readline()
        if not first.strip():
            raise InputError(f"{self.path}: the keypoint file is empty (expected a header line)")
        self.header = _parse_header(self.path, 1, self._loads(1, first))

    def _loads(self, line_no: int, raw: bytes) -> Any:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _fail(
                self.path, line_no, f"not UTF-8 text (byte {raw[exc.start]:#04x} at column {exc.start + 1})"
            ) from None
        try:
            return json.loads(text, parse_float=_finite_float, parse_constant=_reject_constant)
        except json.JSONDecodeError as exc:
            raise _fail(self.path, line_no, f"not valid JSON ({exc.msg})") from None
        except ValueError as exc:
            raise _fail(self.path, line_no, f"not valid JSON ({exc})") from None
        except RecursionError:
            raise _fail(self.path, line_no, "not valid JSON (nested too deeply)") from None

    def __iter__(self) -> Iterator[PoseFrame]:
        """Frames in order. Time must move forward: a frame at or before the previous one
        (a clock that jumped back, a stream with every t equal) is refused, never re-ordered."""
        previous: float | None = None
        with open(self.path, "rb") as fh:
            fh.readline()
            for line_no, line in enumerate(fh, start=2):
                if line.strip():
                    frame = _parse_frame(self.path, line_no, self._loads(line_no, line), self.header)
                    if previous is not None and frame.t <= previous:
                        raise _fail(
                            self.path,
                            line_no,
                            f"t={frame.t:g} s is not after the previous frame's t={previous:g} s: "
                            "frame times must increase",
                        )
                    previous = frame.t
                    yield frame
