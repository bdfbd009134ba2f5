"""Key drivers: what matters most to each group's overall satisfaction, against how well it is done."""

from __future__ import annotations

from citizenfocus.engine import open_db_source, with_derived_columns
from citizenfocus.engine.indicators import resolve_period
from citizenfocus.engine.rows import answer_patterns
from citizenfocus.engine.sums import month_number, month_start
from citizenfocus.performance import charts
from citizenfocus.performance.cube import Cube
from citizenfocus.stats.drivers import key_drivers_from_patterns

from .base import Column, Filters, PageResult, Table

GROUPS = (("all", "All users", "victims overall"), ("white", "White users", "white victims"),
          ("bme", "BME users", "BME victims"))


def _patterns(cube: Cube, filters: Filters, period, keys: tuple[str, ...]):
    # Only the period's responses and their answers (an indexed date range): pivoting every stored answer
    # first made this page take over a minute at 60,000 responses on SQLite.
    first, after = period.first_date, month_start(month_number(period.last_date) + 1)
    source = open_db_source(cube.survey_key, where=lambda r: (r.interview_date >= first) & (r.interview_date < after))
    table = with_derived_columns(source.table, definition=source.definition)
    equal = {"crime_type": filters.crime_type,
             "division": filters.division.name if filters.division else None,
             "neighbourhood": filters.neighbourhood.name if filters.neighbourhood else None}
    return answer_patterns(table, measures=keys, equal=equal, months=(period.first_date, period.last_date))


def _group_rows(patterns, overall, aspects, labels) -> tuple[list[dict], str | None]:
    keys = [overall.key, *(a.key for a in aspects)]
    grouped = patterns.groupby(keys, as_index=False)[["n", "sw", "sw2"]].sum()
    try:
        result = key_drivers_from_patterns(grouped[overall.key].to_numpy(), grouped[keys[1:]].to_numpy(),
                                           n=grouped["n"], sw=grouped["sw"], sw2=grouped["sw2"], names=labels)
    except ValueError as exc:
        return [], str(exc)
    out = [
        {"label": d.name, "importance": d.importance, "rate": d.performance, "odds_ratio": d.odds_ratio,
         "or_low": d.ci_low, "or_high": d.ci_high, "p": d.p, "act_here": "act here" if d.act_here else "",
         "n": result.n}
        for d in result.drivers
    ]
    return sorted(out, key=lambda r: -r["importance"]), None


def _sentence(who: str, rows: list[dict]) -> str:
    top = rows[0]
    weakest = min(rows, key=lambda r: r["rate"])
    if top is weakest:
        return (f"{top['label']} matters most to {who} ({top['importance']:.0f}% of what explains "
                f"their overall satisfaction) and is where they are least satisfied ({top['rate']:.0%}).")
    return (f"{top['label']} matters most to {who} ({top['importance']:.0f}%); they are least "
            f"satisfied with {weakest['label'].lower()} ({weakest['rate']:.0%}).")


def build(cube: Cube, filters: Filters, **_) -> PageResult:
    definition = cube.definition
    overall = definition.overall_measure
    aspects = [m for m in definition.measures if m is not overall and m.headline]  # not "neither" shares
    period = resolve_period(filters.period or None, latest=cube.last_month)
    result = PageResult(title=f"Key drivers of {overall.label.lower()}: {filters.area_label()}, {period.label}")
    if definition.kind != "victim":
        result.headline = [f"Key driver analysis explains victims' overall satisfaction by the aspects of the "
                           f"service they received; the {definition.name.lower()} has no such aspects. "
                           "Choose the user satisfaction survey."]
        result.extra = {"filters": filters.as_dict(), "period": period.label}
        return result
    patterns = _patterns(cube, filters, period, (overall.key, *(a.key for a in aspects)))
    chart_rows = []
    for key, label, who in GROUPS:
        chosen = patterns if key == "all" else patterns[patterns["ethnic_group"] == key]
        group_rows, problem = _group_rows(chosen, overall, aspects, [a.label for a in aspects])
        result.tables[key] = Table(f"{label}: importance and performance of each aspect", DRIVER_COLUMNS, group_rows)
        if problem:
            result.headline.append(f"{label}: no key driver analysis ({problem}).")
            continue
        result.headline.append(_sentence(who, group_rows))
        chart_rows += [{**r, "group_label": label} for r in group_rows]
    result.charts["drivers"] = charts.drivers_chart(chart_rows, title="Importance against performance")
    result.chart_tables["drivers"] = "all"
    result.extra = {"filters": filters.as_dict(), "period": period.label, "overall_measure": overall.key}
    return result


DRIVER_COLUMNS = [
    Column("label", "Aspect of service"),
    Column("importance", "Importance (% of explained variation)", "number"),
    Column("rate", "Performance (satisfied)", "rate"),
    Column("odds_ratio", "Odds ratio", "number"), Column("or_low", "OR 95% interval from", "number"),
    Column("or_high", "to", "number"),
    Column("n", "Complete responses (n)", "int"),
    Column("act_here", "High importance, low performance"),
]
