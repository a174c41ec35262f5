"""Leave-one-source-out chooses each fold's parameters without that source's clips."""

from rehab_coach.engine.reps import DEFAULT_PARAMS, CountingParams
from rehab_coach.evaluation.loso import candidate_params, describe, leave_one_source_out
from rehab_coach.evaluation.scoring import ClipResult


def _clip(name, source, reps, counted):
    return ClipResult(name, "squat", "side", reps, 0, counted, 0, None, source=source)


def test_each_source_is_scored_with_parameters_chosen_on_the_others():
    tuned = CountingParams(start_share=0.2)
    # The tuned candidate gets source A right and B wrong; the defaults the other way round. Chosen on
    # the other source, each fold picks the candidate that is wrong for the held-out one.
    defaults_run = [_clip("a1", "A", 5, 4), _clip("b1", "B", 5, 5)]
    tuned_run = [_clip("a1", "A", 5, 5), _clip("b1", "B", 5, 4)]
    result = leave_one_source_out([(DEFAULT_PARAMS, defaults_run), (tuned, tuned_run)])
    assert result.chosen == {"A": "defaults", "B": "start_share=0.2"}
    assert [r.app_reps for r in result.clips] == [4, 4]
    assert result.summary()["totals"]["within_tolerance"] == 0


def test_the_defaults_win_a_tie_and_lead_the_candidates():
    same = [_clip("a1", "A", 3, 3), _clip("b1", "B", 3, 3)]
    result = leave_one_source_out([(DEFAULT_PARAMS, same), (CountingParams(full_share=0.9), same)])
    assert set(result.chosen.values()) == {"defaults"}
    candidates = candidate_params()
    assert candidates[0] == DEFAULT_PARAMS and len(set(candidates)) == len(candidates)
    assert describe(CountingParams(end_share=0.25)) == "end_share=0.25"
