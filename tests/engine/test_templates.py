from pathlib import Path

import pytest

from rehab_coach.cli import main
from rehab_coach.engine.templates import apply_overrides, load_library, load_template, parse_template
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


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (("direction: down", "direction: dwn"), "squat.yaml:20: primary.direction: Input should be 'down' or 'up'"),
        (("measure: knee", "measure: kneee"), "squat.yaml:19: primary.measure: 'kneee' is not among measures"),
        (("when: rep_min(knee) > 100", "when: rep_min(knee) >"), "squat.yaml:47: rules[2].when:"),
        (("joints: [hip, knee, ankle]", "joints: [hip, knees, ankle]"), "measures.knee.joints: Value error, unknown joint"),
        (("start: 145", "start: 100"), "thresholds must satisfy target < start < end"),
        (("view: side", "view: sideways"), "squat.yaml:3: view:"),
        (("kind: reps", "kind: reps\nfoo: 1"), "foo: Extra inputs are not permitted"),
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
    (tmp_path / "broken.yaml").write_text(SQUAT.replace("id: squat", "id: broken").replace("view: side", "view: top"), encoding="utf-8")
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
    template = parse_template(SQUAT, "squat.yaml", overrides={"primary.target": 120, "primary.ideal": 105, "dosage.reps": 6})
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
