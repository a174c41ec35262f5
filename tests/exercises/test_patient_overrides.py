"""Per-patient overrides change what counts, without copying the template."""

from rehab_coach.engine.coach import Coach
from rehab_coach.engine.templates import Template, apply_overrides, load_template_by_id
from rehab_synth import generate


def _coach(clip, template):
    coach = Coach(template)
    for frame in clip.frames:
        coach.process(frame)
    coach.finish()
    return coach


def test_a_post_surgery_knee_target_turns_short_reps_into_reps_on_target():
    # After a knee replacement this patient bends to about 68 degrees of flexion (knee angle 112).
    clip = generate("standing_knee_flexion", reps=4, seed=1, target=112.0, noise="medium")
    default = _coach(clip, load_template_by_id("standing_knee_flexion"))
    # Whole movements short of the template's target (105): counted, each with the depth fault.
    assert (default.rep_count, default.partial_count) == (4, 0)
    assert all("short_of_target" in r.faults for r in default.reps)
    strict = _coach(clip, load_template_by_id("standing_knee_flexion", overrides={"rep.short_of_target": "partial"}))
    assert (strict.rep_count, strict.partial_count) == (0, 4)
    assert {r.partial_reason for r in strict.reps} == {"below_minimum"}
    patient = load_template_by_id("standing_knee_flexion", overrides={"primary.target": 115, "primary.ideal": 110})
    counted = _coach(clip, patient)
    assert (counted.rep_count, counted.partial_count) == (4, 0)
    assert not any("short_of_target" in r.faults for r in counted.reps)
    assert all(r.quality_parts["rom"] > 0.95 for r in counted.reps)  # measured against the patient's own goal
    assert {r.side for r in counted.reps} == {"left", "right"}


def test_a_shallower_wall_sit_holds_once_its_parameter_is_raised():
    base = load_template_by_id("wall_sit", overrides={"hold.seconds": 5})
    clip = generate("wall_sit", reps=2, seed=2, target=122.0, noise="low", template=base)
    assert _coach(clip, base).reps == []  # never below 115 degrees: never in position
    easier = load_template_by_id("wall_sit", overrides={"hold.seconds": 5, "params.hold_knee": 130})
    assert [r.complete for r in _coach(clip, easier).reps] == [True, True]


def test_a_stricter_rule_for_one_patient_by_rule_id():
    clip = generate("squat", reps=3, seed=3, noise="low")  # good form: the trunk leans about 30 degrees at depth
    assert all(r.faults == [] for r in _coach(clip, load_template_by_id("squat")).reps)
    strict = load_template_by_id("squat", overrides={"rules.trunk_lean.when": "trunk_lean > 20"})
    assert all("trunk_lean" in r.faults for r in _coach(clip, strict).reps)


def test_overrides_apply_to_a_dumped_template_as_the_program_editor_does():
    template = load_template_by_id("squat")
    data = apply_overrides(
        template.model_dump(exclude_none=True), {"rules.shallow.when": "rep_min(knee) > 95", "primary.target": 115}
    )
    edited = Template.model_validate(data)
    assert edited.primary.target == 115 and {r.id: r.when for r in edited.rules}["shallow"] == "rep_min(knee) > 95"
    assert template.primary.target == 110  # the shared template is untouched
