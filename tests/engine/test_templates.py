import re

import pytest

from rehab_coach.cli import main
from rehab_coach.engine.templates import (
    MAX_RULES,
    MAX_TEMPLATE_BYTES,
    Template,
    apply_overrides,
    load_library,
    load_template,
    parse_template,
)
from rehab_coach.errors import TemplateError
from rehab_coach.paths import exercises_dir

SQUAT = (exercises_dir() / "squat.yaml").read_text(encoding="utf-8")


def test_every_shipped_template_loads():
    library = load_library([exercises_dir()])
    assert library.errors == {}
    assert {"squat", "lunge", "shoulder_abduction"} <= set(library.templates)


def test_texts_have_english_and_chinese():
    template = parse_template(SQUAT, "squat.yaml")
    assert template.name.get("en") == "Squat"
    assert template.name.get("zh") == "深蹲"
    assert template.rules[0].cue.get("zh")


def _line(text: str) -> int:
    return next(i for i, line in enumerate(SQUAT.splitlines(), start=1) if text in line)


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            ("direction: down", "direction: dwn"),
            f"squat.yaml:{_line('direction: down')}: primary.direction: Input should be 'down' or 'up'",
        ),
        (
            ("measure: knee", "measure: kneee"),
            f"squat.yaml:{_line('measure: knee')}: primary.measure: 'kneee' is not among measures",
        ),
        (
            ("when: rep_min(knee) > 100", "when: rep_min(knee) >"),
            f"squat.yaml:{_line('when: rep_min(knee) > 100')}: rules[3].when:",
        ),
        (
            ("joints: [hip, knee, ankle]", "joints: [hip, knees, ankle]"),
            "measures.knee.joints: Value error, unknown joint",
        ),
        (("start: 145", "start: 100"), "thresholds must satisfy target < start < end"),
        (("view: side", "view: sideways"), "squat.yaml:3: view:"),
        (("kind: reps", "kind: reps\nfoo: 1"), "foo: Extra inputs are not permitted"),
        (("front: knee_in_depth,", "front: knees,"), "primary.by_view.front: 'knees' is not among"),
        (("front: knee_in_depth,", "front: knee_travel,"), "'knee_travel' is not seen from the front"),
    ],
)
def test_invalid_templates_name_file_line_field_and_problem(edit, expected):
    with pytest.raises(TemplateError) as info:
        parse_template(SQUAT.replace(*edit), "squat.yaml")
    assert expected.replace("Value error, ", "") in str(info.value)


def test_yaml_syntax_error_names_the_line():
    with pytest.raises(TemplateError, match=r"broken.yaml:\d+: not valid YAML"):
        parse_template("id: x\nname: [unclosed\n", "broken.yaml")


def test_a_broken_file_does_not_stop_the_others(tmp_path):
    (tmp_path / "squat.yaml").write_text(SQUAT, encoding="utf-8")
    (tmp_path / "broken.yaml").write_text(
        SQUAT.replace("id: squat", "id: broken").replace("view: side", "view: top"), encoding="utf-8"
    )
    library = load_library([tmp_path])
    assert set(library.templates) == {"squat"}
    assert "broken.yaml" in library.errors["broken"] and "view" in library.errors["broken"]
    with pytest.raises(TemplateError, match="view"):
        library.get("broken")


def test_id_must_match_file_name(tmp_path):
    path = tmp_path / "deep_squat.yaml"
    path.write_text(SQUAT, encoding="utf-8")
    with pytest.raises(TemplateError, match="must match the file name"):
        load_template(path)


def test_patient_overrides_change_targets_without_copying():
    template = parse_template(
        SQUAT, "squat.yaml", overrides={"primary.target": 120, "primary.ideal": 105, "dosage.reps": 6}
    )
    assert template.primary.target == 120 and template.primary.ideal == 105 and template.dosage.reps == 6
    with pytest.raises(TemplateError, match="start < end"):
        parse_template(SQUAT, "squat.yaml", overrides={"primary.target": 150})
    with pytest.raises(TemplateError, match="not a section"):
        apply_overrides({"primary": 3}, {"primary.target": 1})


def test_validate_command(tmp_path, capsys):
    good = exercises_dir() / "squat.yaml"
    bad = tmp_path / "squat.yaml"
    bad.write_text(SQUAT.replace("target: 110", "target: abc"), encoding="utf-8")
    assert main(["exercises", "validate", str(good)]) == 0
    assert main(["exercises", "validate", str(good), str(bad)]) == 5
    out = capsys.readouterr()
    assert "primary.target" in out.out and "1 of 2 template(s) invalid" in out.err
    assert "Traceback" not in out.err


def test_list_and_show(capsys):
    assert main(["exercises", "list"]) == 0
    assert "squat" in capsys.readouterr().out
    assert main(["exercises", "show", "lunge"]) == 0
    assert "id: lunge" in capsys.readouterr().out
    assert main(["exercises", "show", "nope"]) == 5
    assert "unknown exercise 'nope'" in capsys.readouterr().err


# ---- the library's template language: params, rule overrides, kinds, measures ---------------

WALL_SIT = (exercises_dir() / "wall_sit.yaml").read_text(encoding="utf-8")


def test_params_name_thresholds_and_can_be_overridden_per_patient():
    template = parse_template(WALL_SIT, "wall_sit.yaml")
    assert template.params == {"hold_knee": 115}
    easier = parse_template(WALL_SIT, "wall_sit.yaml", overrides={"params.hold_knee": 130})
    assert easier.params["hold_knee"] == 130 and easier.hold.when == template.hold.when  # the rule text is shared
    with pytest.raises(TemplateError, match="params: \\['knee'\\] already name measures"):
        parse_template(WALL_SIT.replace("hold_knee: 115", "knee: 115"), "wall_sit.yaml")
    with pytest.raises(TemplateError, match="'and' cannot name a parameter"):
        parse_template(WALL_SIT.replace("hold_knee: 115", "and: 115"), "wall_sit.yaml")


def test_a_rule_is_overridden_by_its_id():
    template = parse_template(
        SQUAT, "squat.yaml", overrides={"rules.trunk_lean.when": "trunk_lean > 30", "rules.shallow.penalty": 0.1}
    )
    rules = {r.id: r for r in template.rules}
    assert rules["trunk_lean"].when == "trunk_lean > 30" and rules["shallow"].penalty == 0.1
    with pytest.raises(TemplateError, match="no rule with id 'lean'"):
        parse_template(SQUAT, "squat.yaml", overrides={"rules.lean.when": "trunk_lean > 30"})
    with pytest.raises(TemplateError, match="unknown name 'trunk'"):
        parse_template(SQUAT, "squat.yaml", overrides={"rules.trunk_lean.when": "trunk > 30"})


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            (
                "side: auto\n",
                "side: alternating\n",
                "joints: [hip, knee, ankle]",
                "joints: [left_hip, left_knee, left_ankle]",
            ),
            "squat.yaml:5: side: 'alternating' counts each side, so primary.measure 'knee'",
        ),
        (("kind: reps", "kind: hold"), "a hold exercise needs a 'hold' section"),
        (
            ("phase: [descent, bottom, ascent]", "phase: [hold]"),
            "rules[0].phase: 'hold' is a phase of hold exercises only",
        ),
        (
            (
                "knee: {type: joint_angle, joints: [hip, knee, ankle]}",
                "knee: {type: joint_angle, joints: [hip, knee, ankle], axis: y}",
            ),
            "measures.knee: 'axis' applies to offset and distance and displacement measures, not joint_angle",
        ),
        (
            (
                "knee_travel: {type: offset, joints: [ankle, knee], axis: forward}",
                "knee_travel: {type: displacement, joints: [ankle, knee, hip]}",
            ),
            "a displacement measure takes 1 or 2 joints, got 3",
        ),
        (
            (
                "knee_travel: {type: offset, joints: [ankle, knee], axis: forward}",
                "knee_travel: {type: offset, joints: [ankle, knee], axis: forward, space: world}",
            ),
            "measures.knee_travel: 'space' applies to joint_angle measures, not offset",
        ),
    ],
)
def test_kind_side_phase_and_measure_checks(edit, expected):
    text = SQUAT
    for old, new in zip(edit[::2], edit[1::2], strict=True):  # one or more (old, new) pairs
        text = text.replace(old, new)
    with pytest.raises(TemplateError) as info:
        parse_template(text, "squat.yaml")
    assert expected in str(info.value)


def test_hold_exercises_take_frame_rules_in_the_hold():
    with pytest.raises(TemplateError, match=r"rules\[0\].scope: a hold exercise has no reps"):
        parse_template(
            WALL_SIT.replace(
                "phase: hold\n    for_seconds: 0.5\n    priority: 2", "scope: rep\n    priority: 2"
            ).replace("when: knee_travel > 0.25", "when: rep_max(knee_travel) > 0.25"),
            "wall_sit.yaml",
        )
    with pytest.raises(TemplateError, match=r"rules\[1\].phase: a hold exercise has the phases hold"):
        parse_template(
            WALL_SIT.replace(
                "    phase: hold\n    for_seconds: 0.5\n    priority: 3", "    phase: ascent\n    priority: 3"
            ),
            "wall_sit.yaml",
        )
    with pytest.raises(TemplateError, match="only a hold exercise"):
        parse_template(SQUAT + "hold: {when: knee < 100, seconds: 10}\n", "squat.yaml")
    with pytest.raises(TemplateError, match="a hold exercise measures one position"):
        parse_template(WALL_SIT.replace("side: auto", "side: alternating"), "wall_sit.yaml")


# ---- the shipped library --------------------------------------------------------------------

LIBRARY = load_library([exercises_dir()]).templates


def _texts(template):
    yield "name", template.name
    yield "instructions", template.instructions
    yield "camera", template.camera
    if template.visibility_cue:
        yield "visibility_cue", template.visibility_cue
    if template.hold:
        yield "hold.cue", template.hold.cue
    for rule in template.rules:
        yield f"rules.{rule.id}.cue", rule.cue


def test_the_library_covers_the_body_kinds_and_sides():
    assert len(LIBRARY) >= 12
    assert {t.region for t in LIBRARY.values()} == {"lower_limb", "upper_limb", "trunk"}
    assert {t.view for t in LIBRARY.values()} == {"side", "front"}
    assert any(t.kind == "hold" for t in LIBRARY.values())
    assert {t.side for t in LIBRARY.values() if t.kind == "reps"} >= {"auto", "both", "alternating"}


@pytest.mark.parametrize("exercise_id", sorted(LIBRARY))
def test_every_shipped_exercise_is_complete_in_both_languages(exercise_id):
    template = LIBRARY[exercise_id]
    assert len(template.rules) >= 2
    for where, text in _texts(template):
        assert text.en.strip() and text.zh and text.zh.strip(), f"{exercise_id}: {where} needs en and zh"
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text.zh), f"{exercise_id}: {where}: zh is not Chinese"
    assert len(template.instructions.en) > 80  # a real instruction, not a title
    assert set(template.report) <= set(template.measures)


@pytest.mark.parametrize("exercise_id", sorted(LIBRARY))
def test_a_dumped_template_validates_again(exercise_id):
    """The therapist's program editor validates overrides on `model_dump()` of a template."""
    template = LIBRARY[exercise_id]
    assert Template.model_validate(template.model_dump()) == template
    assert Template.model_validate(template.model_dump(exclude_none=True)) == template


# ---- hostile and broken user files (issue 11) -------------------------------------------------


def _user_folder(tmp_path, monkeypatch):
    folder = tmp_path / "data" / "exercises"
    folder.mkdir(parents=True)
    return folder


def test_a_latin1_or_deeply_nested_user_template_is_a_named_error_and_the_rest_load(tmp_path, monkeypatch, capsys):
    folder = _user_folder(tmp_path, monkeypatch)
    (folder / "latin.yaml").write_bytes(
        SQUAT.replace("id: squat", "id: latin").encode("utf-8") + "# Übung\n".encode("latin-1")
    )
    (folder / "deep.yaml").write_text("name: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    library = load_library()
    assert "squat" in library.templates and len(library.templates) >= 16
    assert "latin.yaml" in library.errors["latin"] and "not UTF-8" in library.errors["latin"]
    assert "deep.yaml" in library.errors["deep"] and "nested more than" in library.errors["deep"]
    assert main(["exercises", "list"]) == 0
    out = capsys.readouterr().out
    assert "latin" in out and "INVALID" in out and "squat" in out
    assert main(["exercises", "validate", str(folder / "latin.yaml"), str(folder / "deep.yaml")]) == 5
    assert "Traceback" not in capsys.readouterr().err


def test_a_yaml_alias_bomb_is_refused_at_once():
    bomb = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    bomb += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    with pytest.raises(TemplateError, match=r"bomb.yaml:2: not valid YAML: aliases \(\*name\) are not allowed"):
        parse_template("\n".join(bomb) + "\n", "bomb.yaml")


def test_duplicate_keys_are_refused_with_both_lines():
    text = SQUAT.replace("view: side", "view: side\nview: front", 1)
    with pytest.raises(
        TemplateError, match=r"squat.yaml:\d+: not valid YAML: duplicate key 'view' \(first on line \d+\)"
    ):
        parse_template(text, "squat.yaml")


@pytest.mark.parametrize("bad_id", ["../../x/evil", "/tmp/evil", "Squat", "squat.yaml", ""])
def test_exercise_ids_are_names_not_paths(bad_id, tmp_path, capsys):
    from rehab_coach.engine.templates import load_template_by_id

    (tmp_path / "evil.yaml").write_text(SQUAT.replace("id: squat", "id: evil"), encoding="utf-8")
    with pytest.raises(TemplateError, match="is not an exercise id"):
        load_template_by_id(bad_id)
    stream = tmp_path / "squat.jsonl"
    assert main(["synth", "squat", "-o", str(stream)]) == 0
    assert main(["replay", str(stream), "--exercise", f"../../{tmp_path.name}/evil"]) == 5
    assert "is not an exercise id" in capsys.readouterr().err


def test_a_user_template_with_a_built_in_id_replaces_it_and_is_listed_as_such(tmp_path, monkeypatch, capsys):
    folder = _user_folder(tmp_path, monkeypatch)
    (folder / "squat.yaml").write_text(SQUAT.replace("target: 110", "target: 100"), encoding="utf-8")
    library = load_library()
    assert library.templates["squat"].primary.target == 100
    assert library.overridden == {"squat": folder / "squat.yaml"}
    assert main(["exercises", "list"]) == 0
    row = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("squat "))
    assert "replaces the built-in" in row and str(folder / "squat.yaml") in row


@pytest.mark.parametrize(
    ("text", "overrides", "field"),
    [
        (SQUAT, {"dosage.rest_seconds": float("inf")}, "dosage.rest_seconds"),
        (SQUAT, {"rep.max_seconds": float("inf")}, "rep.max_seconds"),
        (re.sub(r"for_seconds: [0-9.]+", "for_seconds: .inf", SQUAT, count=1), None, "rules[0].for_seconds"),
    ],
    ids=["dosage override", "rep override", "rule in the file"],
)
def test_infinite_numbers_are_refused_where_they_are_read(text, overrides, field):
    with pytest.raises(TemplateError, match=rf"{re.escape(field)}: Input should be a finite number"):
        parse_template(text, "squat.yaml", overrides=overrides)


@pytest.mark.parametrize(
    "argv",
    [
        ["gui", "--rest", "inf"],
        ["gui", "--speed", "nan"],
        ["gui", "--idle-timeout", "inf"],
        ["synth", "squat", "-o", "x.jsonl", "--tempo", "inf"],
    ],
)
def test_infinite_numbers_on_the_command_line_are_refused(argv, capsys):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2 and "is not a finite number" in capsys.readouterr().err


def _with_extra_rules(count: int) -> str:
    """The squat template with `count` more (valid) rules after its own."""
    extra = "".join(
        f"  - id: extra_{i}\n    when: knee < {i % 90}\n    cue: {{en: Extra {i}, zh: 额外 {i}}}\n"
        for i in range(count)
    )
    return SQUAT.replace("rules:\n", "rules:\n" + extra, 1)


def test_a_template_may_have_up_to_a_hundred_rules():
    own = len(parse_template(SQUAT, "squat.yaml").rules)
    assert len(parse_template(_with_extra_rules(MAX_RULES - own), "squat.yaml").rules) == MAX_RULES == 100


@pytest.mark.parametrize("extra", [101, 1000])
def test_more_rules_are_refused_with_the_limit_named(extra):
    text = _with_extra_rules(extra)
    with pytest.raises(TemplateError) as refused:
        parse_template(text, "big.yaml")
    total = extra + len(parse_template(SQUAT, "squat.yaml").rules)
    assert str(refused.value) == f"big.yaml:{_line('rules:')}: rules: {total:,} rules; a template may have at most 100"


def test_too_many_measures_or_params_are_refused():
    measures = "".join(f"  m{i}: {{type: joint_angle, joints: [hip, knee, ankle]}}\n" for i in range(60))
    with pytest.raises(TemplateError, match=r"measures: 6[0-9] measures; a template may have at most 50"):
        parse_template(SQUAT.replace("measures:\n", "measures:\n" + measures, 1), "big.yaml")
    params = "params:\n" + "".join(f"  p{i}: {i}\n" for i in range(101))
    text = re.sub(r"^params:\n(  .*\n)*", params, SQUAT, count=1, flags=re.M)
    with pytest.raises(TemplateError, match=r"params: 101 params; a template may have at most 100"):
        parse_template(text, "big.yaml")


def test_a_rule_expression_over_two_thousand_characters_is_refused():
    text = SQUAT.replace("when: trunk_lean > 45", "when: " + " or ".join(["trunk_lean > 45"] * 200), 1)
    with pytest.raises(TemplateError, match=r"rules\[0\]\.when: String should have at most 2000 characters"):
        parse_template(text, "squat.yaml")


def test_a_template_file_over_256_kb_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "squat.yaml"
    path.write_text(SQUAT + "# padding\n" * 30_000, encoding="utf-8")  # 300 kB of comments: valid YAML
    read = []
    monkeypatch.setattr(type(path), "read_bytes", lambda self: read.append(self) or b"")
    monkeypatch.setattr(type(path), "read_text", lambda self, *a, **k: read.append(self) or "")
    with pytest.raises(TemplateError) as refused:
        load_template(path)
    size = path.stat().st_size
    assert str(refused.value) == (
        f"{path}: (template): the file is {size:,} bytes; a template may be at most 262,144 bytes (256 kB)"
    )
    assert read == []
    with pytest.raises(TemplateError, match=r"big.yaml: \(template\): the file is 30\d,\d{3} bytes"):
        parse_template(SQUAT + "# padding\n" * 30_000, "big.yaml")


def test_a_template_just_under_the_size_limit_loads(tmp_path):
    path = tmp_path / "squat.yaml"
    path.write_text(SQUAT + "#\n" * ((MAX_TEMPLATE_BYTES - len(SQUAT.encode())) // 2), encoding="utf-8")
    assert path.stat().st_size <= MAX_TEMPLATE_BYTES
    assert load_template(path).id == "squat"


def test_an_oversized_user_template_is_listed_as_invalid_and_the_rest_load(tmp_path, monkeypatch):
    folder = _user_folder(tmp_path, monkeypatch)
    (folder / "huge.yaml").write_text(_with_extra_rules(1000).replace("id: squat", "id: huge"), encoding="utf-8")
    library = load_library()
    assert "at most 100" in library.errors["huge"] and "huge.yaml" in library.errors["huge"]
    assert "squat" in library.templates


def test_each_condition_is_compiled_once_when_the_template_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    """The rule engine and the hold timer take the conditions the template compiled while it was
    validated: building a coach compiles nothing again."""
    from rehab_coach.engine import templates
    from rehab_coach.engine.coach import Coach

    squat, wall_sit = parse_template(SQUAT, "squat.yaml"), load_template(exercises_dir() / "wall_sit.yaml")

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled again")

    monkeypatch.setattr(templates, "compile_expression", refuse)
    coach, hold_coach = Coach(squat), Coach(wall_sit)
    assert [s.expression for s in coach.rules.frame_rules] == [
        squat.expression(r.when, "frame") for r in squat.rules if r.scope == "frame"
    ]
    assert coach.rules.frame_rules[0].expression is squat.expression(squat.rules[0].when, "frame")
    assert hold_coach.counting.hold is not None
    assert hold_coach.counting.hold.condition is wall_sit.expression(wall_sit.hold.when, "frame")  # type: ignore[union-attr]


def test_a_copy_with_other_params_compiles_its_own_conditions() -> None:
    """A param folded into a rule at compile time: a copy with another value must not keep the old rule."""
    squat = parse_template(SQUAT, "squat.yaml")
    valgus = next(r for r in squat.rules if r.id == "knee_valgus")
    narrow = {"knee": 100.0, "knee_width": 13.0, "ankle_width": 10.0}  # knees 1.3 times the ankles apart
    assert squat.expression(valgus.when, "frame").test(narrow) is False  # wider than 1.2: no fault
    stricter = squat.model_copy(update={"params": {"valgus_ratio": 1.5}})
    assert stricter.expression(valgus.when, "frame").test(narrow) is True
    assert stricter == stricter.model_copy() and squat == parse_template(SQUAT, "squat.yaml")  # compiled or not
