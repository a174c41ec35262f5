from rehab_coach.engine.templates import load_template_by_id
from rehab_coach.session.live.instruction_notes import prescription_notes


def test_a_minimum_depth_is_said_beside_the_therapists_notes_in_the_patients_language():
    strict = load_template_by_id("squat", overrides={"rep.short_of_target": "partial"})
    english = prescription_notes(strict, "  Keep the chair behind you. ", "en")
    assert english.startswith("Keep the chair behind you.\n\n") and "minimum depth" in english
    chinese = prescription_notes(strict, "", "zh")
    assert chinese and not any("a" <= c.lower() <= "z" for c in chinese)


def test_nothing_is_added_where_the_prescription_changes_nothing():
    assert prescription_notes(load_template_by_id("squat"), "", "en") == ""
    assert prescription_notes(load_template_by_id("squat"), "Slowly", "en") == "Slowly"
    hold = load_template_by_id("wall_sit")
    strict_hold = hold.model_copy(update={"rep": hold.rep.model_copy(update={"short_of_target": "partial"})})
    assert prescription_notes(strict_hold, "", "en") == ""  # a hold has no depth to fall short of
