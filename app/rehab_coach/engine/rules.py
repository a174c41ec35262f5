"""Fault rules from the template: frame rules with phase and persistence, rep rules at rep end."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rehab_coach.engine.expressions import Expression
from rehab_coach.engine.templates import Rule, Template
from rehab_coach.engine.types import IN_REP_PHASES


@dataclass
class _FrameRuleState:
    rule: Rule
    expression: Expression
    true_since: float | None = None
    fired: bool = False  # already reported for the current rep (or rest period)


def phase_matches(rule_phases: Sequence[str], phase: str) -> bool:
    return phase in rule_phases or ("rep" in rule_phases and phase in IN_REP_PHASES)


class RuleEngine:
    def __init__(self, template: Template) -> None:
        self.frame_rules = [
            _FrameRuleState(r, template.expression(r.when, "frame")) for r in template.rules if r.scope == "frame"
        ]
        self.rep_rules = [(r, template.expression(r.when, "rep")) for r in template.rules if r.scope == "rep"]
        self.rules = {r.id: r for r in template.rules}

    def frame(self, values: Mapping[str, float], phase: str, t: float) -> list[Rule]:
        """Rules that just became faults on this frame (held for their persistence time)."""
        fired = []
        for state in self.frame_rules:
            active = phase_matches(state.rule.phase, phase) and state.expression.test(values)
            if not active:
                state.true_since = None
                continue
            state.true_since = t if state.true_since is None else state.true_since
            if not state.fired and t - state.true_since >= state.rule.for_seconds - 1e-9:
                state.fired = True
                fired.append(state.rule)
        return fired

    def active(self) -> list[str]:
        """Rules whose condition holds right now (persisted), for the live overlay."""
        return [s.rule.id for s in self.frame_rules if s.fired and s.true_since is not None]

    def new_period(self) -> None:
        """A rep started or ended: each rule may fire once more."""
        for state in self.frame_rules:
            state.fired, state.true_since = False, None

    def rep_end(self, series: Mapping[str, list[float]], duration: float) -> list[Rule]:
        values = {**series, "duration": duration}
        return [rule for rule, expression in self.rep_rules if expression.test(values)]
