"""Grading rules as data: an indicator's grade from its MSF and trend comparisons.

A rule is an ordered list of clauses; the first clause whose conditions hold
gives the label and the reason. Both inputs are first put in the indicator's
own terms (better / worse, improved / deteriorated) using its direction, so a
rule never needs to know whether higher is better.
"""

from __future__ import annotations

from dataclasses import dataclass

from .compare import check_direction, trend_verdict

BETTER, SAME, WORSE, NO_DATA = ("significantly better", "not significantly different",
                                "significantly worse", "no data")
IMPROVED, NO_CHANGE, DETERIORATED = "significantly improved", "no significant change", "significantly deteriorated"
MSF_VERDICTS = (BETTER, SAME, WORSE, NO_DATA)
TREND_VERDICTS = (IMPROVED, NO_CHANGE, DETERIORATED, NO_DATA)


@dataclass(frozen=True)
class Clause:
    """When the MSF verdict is in `msf` and the trend verdict in `trend` (None: any), grade `label`."""

    label: str
    reason: str
    msf: frozenset[str] | None = None
    trend: frozenset[str] | None = None

    def holds(self, msf: str, trend: str) -> bool:
        return (self.msf is None or msf in self.msf) and (self.trend is None or trend in self.trend)


@dataclass(frozen=True)
class GradingRule:
    key: str
    title: str
    anchor: str  # section id in docs/methodology.md
    labels: tuple[str, ...]  # best first
    clauses: tuple[Clause, ...]


@dataclass(frozen=True)
class Grade:
    rule: str
    label: str
    reason: str
    msf_verdict: str
    trend_verdict: str

    def as_dict(self) -> dict:
        return {"rule": self.rule, "label": self.label, "reason": self.reason,
                "msf_verdict": self.msf_verdict, "trend_verdict": self.trend_verdict}


def _set(*values: str) -> frozenset[str]:
    return frozenset(values)


NOT_GRADED = Clause("not graded", "There is no comparison with the MSF average to grade against.", msf=_set(NO_DATA))

HMIC_2008 = GradingRule(
    "hmic-2008", "HMIC 2008: exceeding / meeting / failing to meet the standard", "grading-hmic-2008",
    ("exceeding the standard", "meeting the standard", "failing to meet the standard"),
    (
        NOT_GRADED,
        Clause("failing to meet the standard",
               "Significantly deteriorating against earlier years.", trend=_set(DETERIORATED)),
        Clause("meeting the standard",
               "Significantly worse than the MSF average, but credited for a significant improvement "
               "against earlier years.", msf=_set(WORSE), trend=_set(IMPROVED)),
        Clause("failing to meet the standard",
               "Significantly worse than the MSF average and not significantly improving.", msf=_set(WORSE)),
        Clause("exceeding the standard",
               "Significantly better than the MSF average and not significantly deteriorating.", msf=_set(BETTER)),
        Clause("meeting the standard",
               "Not significantly different to the MSF average and not significantly deteriorating.",
               msf=_set(SAME)),
    ),
)

THREE_TIER = GradingRule(
    "three-tier", "Three tiers: exceeds / meets / below expectations", "grading-three-tier",
    ("exceeds expectations", "meets expectations", "below expectations"),
    (
        NOT_GRADED,
        Clause("below expectations", "Significantly worse than the MSF average.", msf=_set(WORSE)),
        Clause("exceeds expectations",
               "Significantly better than the MSF average with no negative trend.",
               msf=_set(BETTER), trend=_set(IMPROVED, NO_CHANGE, NO_DATA)),
        Clause("meets expectations",
               "Significantly better than the MSF average, but significantly deteriorating.", msf=_set(BETTER)),
        Clause("below expectations",
               "In line with the MSF average but significantly deteriorating.", trend=_set(DETERIORATED)),
        Clause("meets expectations", "Not significantly different to the MSF average, no negative trend."),
    ),
)

GRADING_RULES: dict[str, GradingRule] = {rule.key: rule for rule in (HMIC_2008, THREE_TIER)}

_RAW_MSF = {"significantly higher": (BETTER, WORSE), "significantly lower": (WORSE, BETTER)}


def grade(rule_key: str, *, msf_verdict: str, trend_verdict: str, direction: str = "higher-better") -> Grade:
    """Grade an indicator by a rule in GRADING_RULES from its two comparisons.

    Verdicts may be in the indicator's terms ('significantly better',
    'significantly improved', from `msf_comparison` / `trend_comparison`) or
    raw differences ('significantly higher' / 'lower', from `compare_rates`:
    force − MSF and current − previous), which `direction` turns into
    better/worse. A trend of 'no data' counts as neither improving nor
    deteriorating. Source: HMIC (2008) grading of the citizen focus SPIs;
    statistics.md §5.
    """
    if rule_key not in GRADING_RULES:
        raise ValueError(f"unknown grading rule {rule_key!r}; use one of {', '.join(GRADING_RULES)}")
    check_direction(direction)
    msf, trend = _msf_terms(msf_verdict, direction), _trend_terms(trend_verdict, direction)
    rule = GRADING_RULES[rule_key]
    clause = next(c for c in rule.clauses if c.holds(msf, trend))
    reason = clause.reason
    if trend == NO_DATA and clause is not NOT_GRADED:
        reason += " (No comparison with earlier years was available.)"
    return Grade(rule.key, clause.label, reason, msf, trend)


def _msf_terms(verdict: str, direction: str) -> str:
    if verdict in _RAW_MSF:
        better, worse = _RAW_MSF[verdict]
        return better if direction == "higher-better" else worse
    if verdict in MSF_VERDICTS:
        return verdict
    raise ValueError(f"unknown MSF verdict {verdict!r}; expected one of {', '.join(MSF_VERDICTS)} "
                     "or 'significantly higher' / 'significantly lower'")


def _trend_terms(verdict: str, direction: str) -> str:
    if verdict in TREND_VERDICTS:
        return verdict
    if verdict in ("significantly higher", "significantly lower", "not significantly different"):
        return trend_verdict(verdict, direction)
    raise ValueError(f"unknown trend verdict {verdict!r}; expected one of {', '.join(TREND_VERDICTS)} "
                     "or 'significantly higher' / 'significantly lower' / 'not significantly different'")
