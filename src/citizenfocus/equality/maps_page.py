"""Choropleth maps of neighbourhoods: satisfaction, the gap, confidence, each population share and searches."""

from __future__ import annotations

from citizenfocus.areas.models import Neighbourhood
from citizenfocus.performance import words
from citizenfocus.performance.figures import clean
from citizenfocus.performance.pages.base import Column, PageResult, Table

from . import charts, population, survey_figures
from .census import GROUPS
from .models import Boundary

METRICS = {
    "satisfaction": "Victims' satisfaction (whole experience)",
    "gap": "Satisfaction gap: White minus BME victims",
    "confidence": "Public confidence",
    **{f"share_{g.lower()}": f"{g} residents' share" for g in GROUPS},
}


def _survey_values(survey: str, metric: str) -> tuple[str, list[dict]]:
    period, by_name = survey_figures.rates_by_neighbourhood(survey=survey)
    rows = []
    for hood in Neighbourhood.objects.select_related("division"):
        cells = by_name.get(hood.name, {})
        row = {"code": hood.code, "neighbourhood": hood.name, "division": hood.division.name}
        if metric == "gap":
            white, bme = cells.get("white"), cells.get("bme")
            row.update({"white_n": white and white["n"], "bme_n": bme and bme["n"], "value": None, "verdict": ""})
            gap = cells.get("gap") or {}
            row.update({"value": gap.get("diff"), "ci_low": gap.get("ci_low"), "ci_high": gap.get("ci_high"),
                        "verdict": words.gap_verdict(gap["verdict"]) if gap else ""})
        else:
            everyone = cells.get("all") or {}
            row.update({"n": everyone.get("n"), "value": everyone.get("rate"), "ci_low": everyone.get("ci_low"),
                        "ci_high": everyone.get("ci_high")})
        rows.append({k: clean(v) for k, v in row.items()})
    return period, rows


def _share_values(group: str) -> list[dict]:
    residents = population.groups_by_neighbourhood()
    rows = []
    for hood in Neighbourhood.objects.filter(pk__in=residents).select_related("division"):
        total = sum(residents[hood.pk].values())
        rows.append({"code": hood.code, "neighbourhood": hood.name, "division": hood.division.name,
                     "residents": total, "group_residents": residents[hood.pk][group],
                     "value": residents[hood.pk][group] / total if total else None})
    return rows


def _columns(metric: str) -> list[Column]:
    first = [Column("neighbourhood", "Neighbourhood"), Column("division", "Division")]
    if metric == "gap":
        return [*first, Column("white_n", "White base (n)", "int"), Column("bme_n", "BME base (n)", "int"),
                Column("value", "Gap (points)", "diff"), Column("ci_low", "95% CI from", "diff"),
                Column("ci_high", "95% CI to", "diff"), Column("verdict", "In words")]
    if metric.startswith("share_"):
        return [*first, Column("group_residents", "Residents of the group", "int"),
                Column("residents", "All residents", "int"), Column("value", "Share", "rate")]
    return [*first, Column("n", "Base (n)", "int"), Column("value", "Rate", "rate"),
            Column("ci_low", "95% CI from", "rate"), Column("ci_high", "95% CI to", "rate")]


def build(metric: str) -> PageResult:
    label = METRICS[metric]
    if metric.startswith("share_"):
        period, rows = "Census 2021", _share_values(metric.removeprefix("share_").title())
    else:
        period, rows = _survey_values("confidence" if metric == "confidence" else "uss", metric)
    result = PageResult(title=f"Map: {label}, {period}")
    result.tables["neighbourhoods"] = Table(f"{label} by neighbourhood, {period}", _columns(metric), rows)
    boundaries = list(Boundary.objects.filter(level=Boundary.Level.NEIGHBOURHOOD))
    if boundaries:
        fmt = "+.1%" if metric == "gap" else ".0%"
        result.charts["map"] = charts.choropleth(boundaries, {r["code"]: r["value"] for r in rows}, title=label,
                                                 legend=label, fmt=fmt)
        result.chart_tables["map"] = "neighbourhoods"
    else:
        result.headline = ["No boundaries are stored yet: an analyst can load them with "
                           "`citizenfocus import-boundaries`."]
    result.extra["metric"] = metric
    return result


def _publish_table(table: Table) -> Table:
    """Survey figures as the dashboard publishes them (no estimate on a base under 50); census shares as the
    national statistics office published them."""
    from citizenfocus.performance.publication import publish_table

    if not any(c.key == "n" or c.key.endswith("_n") for c in table.columns):
        return Table(table.caption + " (for publication)", table.columns, table.rows)
    # the dashboard's rule finds a rate by its name (`rate`, with `n`, `ci_low`, `ci_high`)
    named = Table(table.caption, [Column("rate" if c.key == "value" else c.key, c.label, c.kind)
                                  for c in table.columns],
                  [{("rate" if k == "value" else k): v for k, v in row.items()} for row in table.rows])
    out = publish_table(named)
    return Table(out.caption, table.columns,
                 [{("value" if k == "rate" else k): v for k, v in row.items()} for row in out.rows])


def publish(result: PageResult) -> PageResult:
    from .publication import published

    out = published(result, {}, other=_publish_table)
    out.extra["publication"] = {"min_base": 50, "suppressed": "suppressed: base under 50"}
    return out
