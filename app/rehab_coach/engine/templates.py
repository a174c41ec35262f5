"""Exercise templates: YAML files validated on load into typed models.

Errors name the file, the field (and line where YAML gives one) and the problem.
Rules are compiled by our own expression language (`expressions.py`), never eval.
"""

from __future__ import annotations

import copy
import hashlib
import logging
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from rehab_coach.engine.expressions import (
    AGGREGATES,
    FUNCTIONS,
    KEYWORDS,
    REP_NAMES,
    Expression,
    ExpressionError,
    Scope,
    compile_expression,
)
from rehab_coach.errors import TemplateError
from rehab_coach.paths import exercises_dir, user_exercises_dir

log = logging.getLogger(__name__)

SIDED_JOINTS = ("eye", "ear", "shoulder", "elbow", "wrist", "hip", "knee", "ankle")
CENTRE_JOINTS = ("nose", "mid_shoulder", "mid_hip", "mid_ankle")
PHASES = ("top", "descent", "bottom", "ascent", "rep", "hold")
LANGUAGES = ("en", "zh")
ASCENT_SHARE = 0.08
RESERVED_NAMES = (*KEYWORDS, *REP_NAMES, *FUNCTIONS, *AGGREGATES)
# What one template may hold. Every rule and measure runs on every frame, and a template is
# validated whole when the app starts: 5,000 rules took 200 ms a frame, a 60 MB file 49 s to
# load. The shipped templates use at most 4 rules, 6 measures and 3 kB; 100 rules with long
# cues in both languages are 27 kB. YAML parses at about 70 kB a second on a slow machine, so
# 256 kB is at most a few seconds, and ten times any real template.
MAX_TEMPLATE_BYTES = 256 * 1024
MAX_RULES = 100
MAX_MEASURES = 50
MAX_PARAMS = 100
MAX_EXPRESSION_CHARS = 2_000


def _joint_names() -> set[str]:
    sided = {f"{s}_{j}" for s in ("left", "right") for j in SIDED_JOINTS}
    return sided | set(SIDED_JOINTS) | set(CENTRE_JOINTS)


JOINT_NAMES = frozenset(_joint_names())


class Strict(BaseModel):
    # allow_inf_nan=False: `.inf` or `.nan` in any number field is refused at load time, where
    # the message can name the field, instead of overflowing later (a rest timer of inf seconds).
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Text(Strict):
    """A text in every language the app speaks; English is required."""

    en: str = Field(min_length=1)
    zh: str | None = None

    def get(self, language: str) -> str:
        return (self.zh if language == "zh" else None) or self.en


def _as_text(value: Any) -> Any:
    return {"en": value} if isinstance(value, str) else value


MEASURE_JOINTS = {"joint_angle": 3, "segment_angle": 2, "offset": 2, "distance": 2, "displacement": 1, "tilt": 2}
# A displacement may also follow one joint relative to another (the shoulder against the ear).
_MORE_JOINTS = {"displacement": 2}
# Fields that only mean something for some measure types: setting one elsewhere is a mistake.
_MEASURE_FIELDS = {
    "reference": ("segment_angle",),
    "axis": ("offset", "distance", "displacement"),
    "window_seconds": ("displacement", "tilt"),
    "space": ("joint_angle",),
}
_DEFAULT_AXIS = {"offset": "forward", "displacement": "y"}  # a distance without an axis is straight-line


class Measure(Strict):
    """A named measure. Unsided joint names (`knee`) are resolved to left/right by the template's side.

    offset: signed (b - a) along `axis` (default forward, the way the patient faces; y is up).
    distance: |b - a|, straight-line or along `axis` (x or y), in torso lengths.
    displacement: how far one joint has moved along `axis` (default y, up) from its low (rear)
    rest place over the last `window_seconds` (the 10th percentile of its positions), in
    torso lengths; for movements with no fixed landmark to measure against, such as the ankle
    rising in a heel raise (COCO-17 has no heel or toe). With two joints [a, b] it follows b
    relative to a, so moving the whole body (or the camera) does not count: the shoulder rising
    toward the ear in a shrug.
    tilt: how far the segment a->b leans toward or away from the camera, in degrees, read from how
    much shorter it looks than its own longest over the last `window_seconds` (upright, across the
    image): arccos(length / that length). What a camera in front sees of a trunk bending forward.
    space (joint angles): `image` measures the angle in the picture; `world` in the pose model's 3D
    points where the backend gives them (else in the picture), for a view that looks along the
    movement: a knee bending toward a camera in front hardly changes its angle in the picture.
    """

    type: Literal["joint_angle", "segment_angle", "offset", "distance", "displacement", "tilt"]
    joints: list[str]
    reference: Literal["vertical", "horizontal"] = "vertical"
    axis: Literal["x", "y", "forward"] | None = None
    window_seconds: float = Field(5.0, gt=0, le=60)
    space: Literal["image", "world"] = "image"
    # Camera views the measure means something in; elsewhere it reads as missing, so no rule fires
    # on it. Default: every view, except forward offsets, which a camera in front cannot see.
    views: list[Literal["side", "oblique", "front", "rear"]] | None = None

    @field_validator("joints")
    @classmethod
    def _known_joints(cls, joints: list[str]) -> list[str]:
        unknown = [j for j in joints if j not in JOINT_NAMES]
        if unknown:
            raise ValueError(f"unknown joint(s) {unknown}; use one of {sorted(JOINT_NAMES)}")
        return joints

    @model_validator(mode="after")
    def _joint_count(self) -> Measure:
        need = MEASURE_JOINTS[self.type]
        if len(self.joints) != need and len(self.joints) != _MORE_JOINTS.get(self.type):
            allowed = f"{need} or {_MORE_JOINTS[self.type]}" if self.type in _MORE_JOINTS else str(need)
            raise ValueError(
                f"a {self.type} measure takes {allowed} joint{'s' if need > 1 or self.type in _MORE_JOINTS else ''}, "
                f"got {len(self.joints)}"
            )
        for name, types in _MEASURE_FIELDS.items():
            # Compared with the default, not "was it set": a dumped template (model_dump) sets every field.
            if getattr(self, name) != type(self).model_fields[name].default and self.type not in types:
                raise ValueError(f"{name!r} applies to {' and '.join(types)} measures, not {self.type}")
        return self

    @property
    def sided(self) -> bool:
        return any(j in SIDED_JOINTS for j in self.joints)

    @property
    def direction(self) -> str:
        """The axis in effect: "" for a straight-line distance."""
        return self.axis or _DEFAULT_AXIS.get(self.type, "")

    @property
    def seen_from(self) -> frozenset[str]:
        if self.views is not None:
            return frozenset(self.views)
        if self.type == "offset" and self.direction == "forward":
            return frozenset({"side", "oblique"})
        return frozenset({"side", "oblique", "front", "rear"})


class Primary(Strict):
    """The measure that drives the rep counter, with two thresholds (hysteresis) and a target.

    direction `down`: the value falls during a rep (e.g. knee flexion): a rep starts
    when it drops below `start`, must reach `target`, and ends when it rises above `end`.
    direction `up` mirrors this (e.g. shoulder abduction).
    """

    measure: str
    direction: Literal["down", "up"]
    # The measure to count from where the camera cannot see `measure` (a hip hinge filmed from the
    # front: the trunk's lean is foreshortened, its tilt toward the camera is not). Same thresholds.
    by_view: dict[Literal["side", "oblique", "front", "rear"], str] = Field(default_factory=dict)
    start: float
    end: float
    target: float
    ideal: float | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Primary:
        sign = 1 if self.direction == "down" else -1
        if not sign * self.target < sign * self.start < sign * self.end:
            order = "target < start < end" if sign == 1 else "target > start > end"
            raise ValueError(
                f"thresholds must satisfy {order} for direction {self.direction!r} "
                f"(got target={self.target}, start={self.start}, end={self.end})"
            )
        if self.ideal is not None and sign * self.ideal > sign * self.target:
            raise ValueError(f"ideal ({self.ideal}) must be at or beyond target ({self.target})")
        return self

    def measure_in(self, view: str) -> str:
        """The measure that counts in this camera view."""
        return self.by_view.get(view, self.measure)  # type: ignore[call-overload]

    @property
    def goal(self) -> float:
        return self.target if self.ideal is None else self.ideal

    @property
    def ascent_margin(self) -> float:
        """How far the value must come back from its extreme before the phase reads `ascent`:
        a share of the rep's band, so it suits degrees and torso lengths alike."""
        return ASCENT_SHARE * abs(self.end - self.target)


class RepLimits(Strict):
    min_seconds: float = Field(0.6, gt=0)
    max_seconds: float = Field(12.0, gt=0)
    tempo_min_seconds: float = Field(1.5, gt=0)
    tempo_max_seconds: float = Field(6.0, gt=0)
    # A whole movement, as large as this patient's own reps, that still falls short of the
    # absolute target: counted (its depth is a fault for the rules to name) or a partial rep.
    short_of_target: Literal["rep", "partial"] = "rep"

    @model_validator(mode="after")
    def _ordered(self) -> RepLimits:
        if self.min_seconds >= self.max_seconds:
            raise ValueError("min_seconds must be less than max_seconds")
        if self.tempo_min_seconds > self.tempo_max_seconds:
            raise ValueError("tempo_min_seconds must not exceed tempo_max_seconds")
        return self


class Rule(Strict):
    """A fault: a condition that must not hold. Frame rules may be limited to phases and need persistence."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    when: str = Field(max_length=MAX_EXPRESSION_CHARS)
    scope: Literal["frame", "rep"] = "frame"
    phase: list[Literal["top", "descent", "bottom", "ascent", "rep", "hold"]] = ["rep"]
    for_seconds: float = Field(0.2, ge=0)
    cue: Text
    priority: int = Field(1, ge=0, le=10)
    penalty: float = Field(0.3, ge=0, le=1)

    _as_text = field_validator("cue", mode="before")(_as_text)

    @field_validator("phase", mode="before")
    @classmethod
    def _listify(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class Hold(Strict):
    """An isometric hold: time spent while `when` holds, up to `seconds`. A loss shorter than
    `grace_seconds` pauses the clock; an attempt shorter than `min_seconds` was only passing
    through the position and is not reported."""

    when: str = Field(max_length=MAX_EXPRESSION_CHARS)
    seconds: float = Field(gt=0, le=600)
    grace_seconds: float = Field(0.5, ge=0)
    min_seconds: float = Field(1.0, ge=0)
    cue: Text = Text(en="Hold the position", zh="保持这个姿势")

    _as_text = field_validator("cue", mode="before")(_as_text)


class QualityWeights(Strict):
    rom: float = Field(0.5, ge=0)
    tempo: float = Field(0.2, ge=0)
    form: float = Field(0.3, ge=0)

    @model_validator(mode="after")
    def _positive(self) -> QualityWeights:
        if self.rom + self.tempo + self.form <= 0:
            raise ValueError("at least one quality weight must be positive")
        return self


class Dosage(Strict):
    sets: int = Field(3, ge=1, le=20)
    reps: int = Field(10, ge=1, le=100)
    rest_seconds: float = Field(60, ge=0)


class CompiledConditions(dict[tuple[str, str], Expression]):
    """A template's conditions compiled, by (text, scope). They follow from its fields, so they
    never make two templates differ: pydantic compares private attributes too."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CompiledConditions)

    __hash__ = None


class Template(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: Text
    view: Literal["side", "front"]
    kind: Literal["reps", "hold"] = "reps"
    side: Literal["auto", "left", "right", "both", "alternating"] = "auto"
    region: Literal["lower_limb", "upper_limb", "trunk"] = "lower_limb"
    instructions: Text
    camera: Text
    measures: dict[str, Measure]
    params: dict[str, float] = {}
    primary: Primary
    rep: RepLimits = RepLimits()
    hold: Hold | None = None
    rules: list[Rule] = []
    report: list[str] = []
    quality: QualityWeights = QualityWeights()
    dosage: Dosage = Dosage()
    visibility_cue: Text | None = None
    # Every rule's and the hold's condition, compiled once while the template is validated; the
    # rule engine and the hold timer take theirs from here (`expression`).
    _expressions: CompiledConditions = PrivateAttr(default_factory=lambda: CompiledConditions())

    _texts = field_validator("name", "instructions", "camera", "visibility_cue", mode="before")(_as_text)

    @field_validator("rules", "measures", "params", mode="before")
    @classmethod
    def _not_too_many(cls, value: Any, info: ValidationInfo) -> Any:
        """Counted before each entry is checked, so an oversized template is refused at once."""
        limit = {"rules": MAX_RULES, "measures": MAX_MEASURES, "params": MAX_PARAMS}[str(info.field_name)]
        if isinstance(value, (list, dict)) and len(value) > limit:
            raise ValueError(f"{len(value):,} {info.field_name}; a template may have at most {limit}")
        return value

    @field_validator("params")
    @classmethod
    def _param_names(cls, params: dict[str, float]) -> dict[str, float]:
        for name, value in params.items():
            if not re.fullmatch(r"[a-z][a-z0-9_]*", name) or name in RESERVED_NAMES:
                raise ValueError(
                    f"{name!r} cannot name a parameter (lower-case letters, digits and _; not {', '.join(RESERVED_NAMES)})"
                )
            if not math.isfinite(value):
                raise ValueError(f"{name!r} must be a finite number")
        return params

    @model_validator(mode="after")
    def _cross_checks(self) -> Template:
        names = self.measure_names()
        if self.primary.measure not in self.measures:
            raise ValueError(f"primary.measure: {self.primary.measure!r} is not among measures {sorted(self.measures)}")
        for view, measure in self.primary.by_view.items():
            if measure not in self.measures:
                raise ValueError(f"primary.by_view.{view}: {measure!r} is not among measures {sorted(self.measures)}")
            if self.measures[measure].sided != self.measures[self.primary.measure].sided:
                raise ValueError(f"primary.by_view.{view}: {measure!r} must be sided like {self.primary.measure!r}")
            if view not in self.measures[measure].seen_from:
                raise ValueError(f"primary.by_view.{view}: {measure!r} is not seen from the {view}")
        if self.side == "alternating" and not self.measures[self.primary.measure].sided:
            raise ValueError(
                f"side: 'alternating' counts each side, so primary.measure {self.primary.measure!r} "
                "must use sided joints (e.g. knee, not left_knee or mid_hip)"
            )
        if self.side == "alternating" and self.kind == "hold":
            raise ValueError("side: 'alternating' counts reps per side; a hold exercise measures one position")
        if clash := sorted(names & set(self.params)):
            raise ValueError(f"params: {clash} already name measures")
        unknown = [m for m in self.report if m not in self.measures]
        if unknown:
            raise ValueError(f"report: names unknown measure(s) {unknown}")
        if self.kind == "hold":
            if self.hold is None:
                raise ValueError("kind: a hold exercise needs a 'hold' section (hold: {when: ..., seconds: ...})")
            self._expressions[(self.hold.when, "frame")] = _compile(
                "hold.when", self.hold.when, names, "frame", self.params
            )
        elif self.hold is not None:
            raise ValueError("hold: only a hold exercise (kind: hold) has a 'hold' section")
        for i, rule in enumerate(self.rules):
            self._expressions[(rule.when, rule.scope)] = _compile(
                f"rules[{i}].when", rule.when, names, rule.scope, self.params
            )
            self._check_phases(i, rule)
        ids = [r.id for r in self.rules]
        for i, rule_id in enumerate(ids):
            if rule_id in ids[:i]:
                raise ValueError(
                    f"rules[{i}].id: {rule_id!r} is already the id of rules[{ids.index(rule_id)}]; rule ids must be unique"
                )
        return self

    def _check_phases(self, i: int, rule: Rule) -> None:
        """A rule that can never fire is a template bug: say so at load time."""
        if self.kind == "hold":
            if rule.scope == "rep":
                raise ValueError(f"rules[{i}].scope: a hold exercise has no reps; use frame rules with phase hold")
            if not set(rule.phase) <= {"hold", "top"}:
                raise ValueError(
                    f"rules[{i}].phase: a hold exercise has the phases hold (in position) and top, not {rule.phase}"
                )
        elif "hold" in rule.phase:
            raise ValueError(f"rules[{i}].phase: 'hold' is a phase of hold exercises only")

    def expression(self, text: str, scope: Scope) -> Expression:
        """One of this template's conditions (a rule's or the hold's `when`), compiled against its
        measures and params: the one compiled at validation, or, in a copy made with other rules or
        params (`model_copy`), compiled now and kept."""
        compiled = self._expressions.get((text, scope))
        if compiled is None:
            compiled = compile_expression(text, self.measure_names(), scope, constants=self.params)
            self._expressions[(text, scope)] = compiled
        return compiled

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Template:
        """A copy compiles its own conditions: an updated param or measure changes what a rule means."""
        copied = super().model_copy(update=update, deep=deep)
        copied._expressions = CompiledConditions()
        return copied

    def measure_names(self) -> frozenset[str]:
        """Every name rules may use: each measure and its velocity `_vel` (per second); for sided
        measures also `_left`/`_right` and the left-right asymmetry `_asym` (absolute difference)."""
        names = set()
        for key, measure in self.measures.items():
            names |= {key, f"{key}_vel"}
            if measure.sided:
                names |= {f"{key}_left", f"{key}_right", f"{key}_asym"}
        return frozenset(names)

    def text(self, field_name: str, language: str = "en") -> str:
        value = getattr(self, field_name)
        return value.get(language) if isinstance(value, Text) else str(value)


def _compile(where: str, text: str, names: frozenset[str], scope: Scope, params: Mapping[str, float]) -> Expression:
    try:
        return compile_expression(text, names, scope, constants=params)
    except ExpressionError as exc:
        raise ValueError(f"{where}: {exc}") from None


# ---- loading -----------------------------------------------------------------

EXERCISE_ID = re.compile(r"[a-z0-9_]+")
MAX_NESTING = 64  # a real template nests 4 levels; deeper input is an attack on the parser's recursion


class _LineLoader(yaml.SafeLoader):
    """A SafeLoader that remembers the line of every mapping key, for error messages. It refuses
    aliases (an alias bomb expands a few lines into gigabytes), deep nesting and duplicate keys."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed in templates", mark)
        self._depth += 1
        try:
            if self._depth > MAX_NESTING:
                raise yaml.composer.ComposerError(
                    None, None, f"nested more than {MAX_NESTING} levels deep", self.peek_event().start_mark
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if isinstance(key, (str, int, float, bool)) and key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first on line {seen[key]})", key_node.start_mark
            )
        if isinstance(key, (str, int, float, bool)):
            seen[key] = line
    mapping = loader.construct_mapping(node, deep=True)
    lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
    mapping["__lines__"] = lines
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _strip_lines(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _strip_lines(v) for k, v in data.items() if k != "__lines__"}
    if isinstance(data, list):
        return [_strip_lines(v) for v in data]
    return data


def _line_of(data: Any, loc: tuple[Any, ...]) -> int | None:
    line, node = None, data
    for part in loc:
        if isinstance(node, dict):
            line = node.get("__lines__", {}).get(str(part), line)
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            break
    return line


_NESTED_PATH = re.compile(r"^([a-z_]+(?:\[\d+\])?(?:\.[a-z_]+)*): ")


def _format_errors(source: str, raw: Any, exc: ValidationError) -> str:
    problems = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p in ("function-after", "function-before")))
        message = err["msg"].removeprefix("Value error, ")
        if not loc and (nested := _NESTED_PATH.match(message)):
            loc = tuple(int(p) if p.isdigit() else p for p in re.findall(r"[A-Za-z_]\w*|\d+", nested.group(1)))
            message = message[nested.end() :]
        field_path = (
            ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in loc).replace(".[", "[") or "(template)"
        )
        line = _line_of(raw, loc)
        where = f"{source}:{line}" if line else source
        problems.append(f"{where}: {field_path}: {message}")
    return "\n".join(problems)


def apply_overrides(data: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Per-patient overrides as dotted paths, e.g. {"primary.target": 90, "dosage.reps": 8,
    "params.max_lean": 30, "rules.trunk_lean.for_seconds": 0.5}. A rule is addressed by its id.
    The result is validated like any template, so an override cannot produce an invalid one."""
    result = copy.deepcopy(dict(data))
    for path, value in overrides.items():
        node: Any = result
        *parents, leaf = path.split(".")
        for part in parents:
            node = _override_child(node, part, path)
        if isinstance(node, dict) and leaf not in node and parents:
            log.info("override %s adds a field that the template did not set", path)
        node[leaf] = value
    return result


def _override_child(node: Any, part: str, path: str) -> Any:
    if isinstance(node, list):  # the rules: addressed by id, since their order may change
        found = [item for item in node if isinstance(item, dict) and item.get("id") == part]
        if not found:
            ids = ", ".join(str(item.get("id")) for item in node if isinstance(item, dict))
            raise TemplateError(f"override {path!r}: no rule with id {part!r} (rules: {ids})")
        return found[0]
    if not isinstance(node.get(part), (dict, list)):
        raise TemplateError(f"override {path!r}: {part!r} is not a section of the template")
    return node[part]


def parse_template(text: str, source: str = "<template>", overrides: Mapping[str, Any] | None = None) -> Template:
    _check_size(source, len(text.encode("utf-8")))
    try:
        raw = yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}:{mark.line + 1}" if mark else source
        raise TemplateError(f"{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    except RecursionError:  # a guard for inputs that nest through paths compose_node does not see
        raise TemplateError(f"{source}: not valid YAML: nested too deeply") from None
    if not isinstance(raw, dict):
        raise TemplateError(f"{source}: (template): a template must be a YAML mapping")
    data = _strip_lines(raw)
    if overrides:
        data = apply_overrides(data, overrides)
    try:
        return Template.model_validate(data)
    except ValidationError as exc:
        raise TemplateError(_format_errors(source, raw, exc)) from None


def _check_size(source: str, size: int) -> None:
    if size > MAX_TEMPLATE_BYTES:
        raise TemplateError(
            f"{source}: (template): the file is {size:,} bytes; a template may be at most "
            f"{MAX_TEMPLATE_BYTES:,} bytes ({MAX_TEMPLATE_BYTES // 1024} kB)"
        )


@dataclass(frozen=True)
class TemplateFile:
    """The file a template was loaded from, for the record: which file, exactly which content
    (its SHA-256), and the built-in file it takes the place of when it is the user's own."""

    path: Path
    sha256: str
    replaces: Path | None = None


def load_template(path: Path | str, overrides: Mapping[str, Any] | None = None) -> Template:
    return load_template_file(path, overrides)[0]


def load_template_file(path: Path | str, overrides: Mapping[str, Any] | None = None) -> tuple[Template, TemplateFile]:
    """The template in `path` and the file it came from (hashed as read, so the hash is of what was used)."""
    path = Path(path)
    try:
        _check_size(str(path), path.stat().st_size)  # before reading: a huge file costs nothing
        data = path.read_bytes()
        text = data.decode("utf-8")
    except OSError as exc:
        raise TemplateError(f"{path}: cannot read template: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise TemplateError(
            f"{path}:{line}: cannot read template: not UTF-8 text (byte {exc.object[exc.start]:#04x}); save it as UTF-8"
        ) from None
    template = parse_template(text, str(path), overrides)
    if template.id != path.stem:
        id_line = next((i + 1 for i, row in enumerate(text.splitlines()) if row.startswith("id:")), None)
        raise TemplateError(
            f"{path}{f':{id_line}' if id_line else ''}: id: {template.id!r} must match the file name {path.stem!r}"
        )
    return template, TemplateFile(path, hashlib.sha256(data).hexdigest())


@dataclass(frozen=True)
class Library:
    """Every template that loaded, an error message for each file that did not, and the ids
    whose built-in template a user file replaces (with that file)."""

    templates: dict[str, Template]
    errors: dict[str, str]
    overridden: dict[str, Path] = field(default_factory=dict)

    def get(self, exercise_id: str) -> Template:
        if exercise_id in self.templates:
            return self.templates[exercise_id]
        if exercise_id in self.errors:
            raise TemplateError(self.errors[exercise_id])
        raise TemplateError(f"unknown exercise {exercise_id!r}; available: {', '.join(sorted(self.templates))}")


def template_dirs() -> list[Path]:
    return [exercises_dir(), user_exercises_dir()]


def load_library(dirs: list[Path] | None = None) -> Library:
    """Load every *.yaml in the template folders; a broken file never stops the others.
    A later folder (the user's) may replace a template of an earlier one (built-in): it is
    recorded in `overridden` so lists can say so."""
    templates: dict[str, Template] = {}
    errors: dict[str, str] = {}
    overridden: dict[str, Path] = {}
    for folder in dirs if dirs is not None else template_dirs():
        for path in sorted(Path(folder).glob("*.yaml")) if Path(folder).is_dir() else []:
            if path.stem in templates or path.stem in errors:
                overridden[path.stem] = path
                log.warning("%s replaces the built-in exercise %r", path, path.stem)
            templates.pop(path.stem, None)
            errors.pop(path.stem, None)
            try:
                if not EXERCISE_ID.fullmatch(path.stem):
                    raise TemplateError(
                        f"{path}: id: {path.stem!r} is not an exercise id "
                        "(lower-case letters, digits and _); rename the file"
                    )
                templates[path.stem] = load_template(path)
            except TemplateError as exc:
                errors[path.stem] = str(exc)
                log.warning("%s", exc)
    return Library(templates, errors, overridden)


def check_exercise_id(exercise_id: str) -> str:
    """An exercise id names a template file in the template folders, never a path."""
    if not EXERCISE_ID.fullmatch(exercise_id):
        raise TemplateError(
            f"{exercise_id!r} is not an exercise id: use lower-case letters, digits and _ "
            "(see `rehab-coach exercises list`)"
        )
    return exercise_id


def load_template_by_id(exercise_id: str, overrides: Mapping[str, Any] | None = None) -> Template:
    return load_exercise(exercise_id, overrides)[0]


def load_exercise(exercise_id: str, overrides: Mapping[str, Any] | None = None) -> tuple[Template, TemplateFile]:
    """The exercise's template from the last template folder that has it (the user's before the
    built-in ones), and its file; `TemplateFile.replaces` names the built-in file a user's replaces."""
    check_exercise_id(exercise_id)
    found = [folder / f"{exercise_id}.yaml" for folder in template_dirs() if (folder / f"{exercise_id}.yaml").is_file()]
    if not found:
        load_library().get(exercise_id)  # unknown, or invalid in a way the library can name
        raise TemplateError(f"unknown exercise {exercise_id!r}")
    template, source = load_template_file(found[-1], overrides)
    if len(found) > 1:
        source = TemplateFile(source.path, source.sha256, replaces=found[0])
        log.info("%s replaces the built-in exercise %r (%s)", source.path, exercise_id, found[0])
    return template, source
