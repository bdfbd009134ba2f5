"""Peers: the force against its most similar forces and last year, its grade and the board wording."""

from __future__ import annotations

from citizenfocus.areas.models import Force
from citizenfocus.engine.indicators import resolve_period
from citizenfocus.performance import charts
from citizenfocus.performance.cube import Cube
from citizenfocus.performance.figures import estimates, record
from citizenfocus.performance.models import PeerFigure
from citizenfocus.stats import (
    DEFAULT_METHOD,
    RateEstimate,
    Sums,
    estimate_rate,
    previous_year,
    trend_comparison,
)
from citizenfocus.stats.grading import GRADING_RULES, grade
from citizenfocus.stats.peers import Peer, msf_comparison

from .base import Column, Filters, PageResult, Table

DEFAULT_RULE = "hmic-2008"


def _estimate(cube: Cube, filters: Filters, period) -> RateEstimate:
    """The force's own rate for the period: a domain of the survey's design, as every page's figures."""
    frame = cube.slice(crime_type=filters.crime_type)
    row = record(estimates(cube.sums(frame, filters.measure.key, months=(period.first, period.last)),
                           cube=cube).iloc[0])
    return RateEstimate(int(row["n"]), row["n_eff"] or 0.0, row["rate"], row["se"], row["ci_low"], row["ci_high"],
                        DEFAULT_METHOD, int(row["single_unit_strata"]), int(row["df"]), row["n_ci"])


def _peer_rows(figures, force_name, own) -> list[dict]:
    rows = [{"force": force_name, "rate": own.rate, "n": own.n, "ci_low": own.ci_low, "ci_high": own.ci_high,
             "is_own_force": True, "role": "This force",
             "source": "this force's stored responses"}]
    for f in figures:
        est = estimate_rate(Sums(f.n, f.n, f.rate * f.n, f.n, f.rate * f.n), deft=f.deft)
        rows.append({"force": f.force_name, "rate": f.rate, "n": f.n, "ci_low": est.ci_low, "ci_high": est.ci_high,
                     "is_own_force": False, "role": "Most similar force", "source": f.source})
    return rows


def build(cube: Cube, filters: Filters, **_) -> PageResult:
    measure = filters.measure
    period = resolve_period(filters.period or None, latest=cube.last_month)
    own = _estimate(cube, filters, period)
    before = _estimate(cube, filters, previous_year(period))
    figures = list(PeerFigure.objects.filter(survey_key=filters.survey, measure=measure.key, period=period.spec,
                                             is_own_force=False))
    force_name = str(Force.objects.first() or "This force")
    result = PageResult(title=f"Peers: {measure.label}, {period.label}")
    trend = trend_comparison(own, before, direction=measure.direction)
    rows = _peer_rows(figures, force_name, own)
    result.tables["forces"] = Table(f"{measure.label}: the force and its most similar forces, {period.label}",
                                    PEER_COLUMNS, rows)
    result.charts["peers"] = charts.peers_chart(rows, title=f"{measure.label}, {period.label}")
    result.chart_tables["peers"] = "forces"
    if not figures:
        result.headline = [f"No peer figures are recorded for {measure.label.lower()} and {period.spec}. "
                           "An analyst can enter or import them on the Peer figures page.",
                           f"Against the same period last year: {trend.sentence}"]
        result.extra = {"period": period.as_dict(), "trend": trend.as_dict()}
        return result
    msf = msf_comparison(own, peers=[Peer(f.rate, f.n, f.deft, f.force_name) for f in figures],
                         direction=measure.direction)
    grades = {key: grade(key, msf_verdict=msf.verdict, trend_verdict=trend.verdict, direction=measure.direction)
              for key in GRADING_RULES}
    chosen = grades[DEFAULT_RULE]
    result.headline = [
        f"{force_name}'s {measure.label.lower()} rate of {own.rate:.1%} (n={own.n:,}) is {msf.sentence}.",
        f"Against the same period last year: {trend.sentence}",
        f"Grade ({GRADING_RULES[chosen.rule].title}): {chosen.label}. {chosen.reason}",
    ]
    result.tables["grades"] = Table("The grade under each rule", GRADE_COLUMNS,
                                    [{**g.as_dict(), "rule_title": GRADING_RULES[k].title} for k, g in grades.items()])
    result.extra = {"period": period.as_dict(), "msf": msf.as_dict(), "trend": trend.as_dict(),
                    "grade": chosen.as_dict(), "board_wording": " ".join(result.headline)}
    return result


PEER_COLUMNS = [
    Column("force", "Force"), Column("rate", "Rate", "rate"), Column("n", "Base (n)", "int"),
    Column("ci_low", "95% interval from", "rate"), Column("ci_high", "to", "rate"), Column("source", "Source"),
]
GRADE_COLUMNS = [
    Column("rule_title", "Grading rule"), Column("label", "Grade"), Column("reason", "Why"),
    Column("msf_verdict", "Against the MSF average"), Column("trend_verdict", "Against last year"),
]
