"""The board's hate crime page: one PageResult behind its HTML, JSON twin and CSV/XLSX tables; for
publication, small counts are suppressed (primary and secondary, stats/disclosure.py)."""

from __future__ import annotations

from citizenfocus.performance.figures import clean
from citizenfocus.performance.pages.base import Column, PageResult, Table
from citizenfocus.stats.disclosure import suppress_table

from . import charts, survey_figures
from . import hate_crime_figures as figures
from .models import STRANDS

# A count of crimes under PUBLISH_MIN_COUNT is not published (nor anything it could be worked out from):
# the same rule and words as the stop and search tables.
from .publication import PUBLISH_MIN_COUNT, SUPPRESSED


def _change_columns(last: str, this: str) -> list[Column]:
    return [Column("change", f"Change {last} to {this}", "int"), Column("ratio", "Ratio", "number"),
            Column("ratio_low", "95% CI from", "number"), Column("ratio_high", "95% CI to", "number"),
            Column("verdict", "In words")]


def _rows(rows):
    return [{k: clean(v) for k, v in r.items()} for r in rows]


def build(last: str, this: str, *, publication: bool = False) -> PageResult:
    result = PageResult(title=f"Hate crime: {this} against {last}")
    strands = _rows(figures.strand_rows(last, this))
    result.tables["strands"] = Table(f"Hate crime offences by strand, {last} and {this} (a crime with more than one "
                                     "strand counts in each)", [
        Column("strand", "Strand"), Column("last", last, "int"), Column("this", this, "int"),
        Column("this_share", f"Share of {this}", "rate"), *_change_columns(last, this)], strands)
    for field, who in (("perceived_religion", "perceived by the offender"), ("actual_religion", "the victim's own")):
        rows = _rows(figures.religion_rows(last, this, field=field))
        result.tables[field] = Table(f"Religion-involved offences by religion ({who}), {last} and {this}; shares "
                                     "computed from the counts", [
            Column("religion", "Religion"), Column("last", last, "int"), Column("last_share", f"Share {last}", "rate"),
            Column("this", this, "int"), Column("this_share", f"Share {this}", "rate"), *_change_columns(last, this)], rows)
    years = [last, this]
    result.tables["share_of_crime"] = Table("Hate crime as a share of all recorded crime", [
        Column("year", "Year"), Column("hate_crimes", "Hate crimes", "int"),
        Column("recorded_crime", "All recorded crime", "int"), Column("share", "Share", "rate")],
        _rows(figures.share_of_crime_rows(years)))
    result.tables["repeat"] = Table("Repeat victims", [
        Column("year", "Year"), Column("hate_crimes", "Hate crimes", "int"), Column("repeat", "Repeat victims", "int"),
        Column("repeat_share", "Share", "rate")], _rows(figures.repeat_rows(years)))
    result.tables["outcomes"] = Table(f"Outcomes of hate crimes recorded in {this}, by strand", [
        Column("outcome", "Outcome"), Column("all", "All hate crime", "int"),
        *(Column(s, figures.STRAND_LABELS[s], "int") for s in STRANDS)], _rows(figures.outcome_rows(this)))
    period, satisfaction = survey_figures.rates_by_group(survey="uss", crime_type="hate_crime")
    result.tables["satisfaction"] = Table(f"Satisfaction of hate crime victims (whole experience), {period}", [
        Column("group", "Group"), Column("n", "Base (n)", "int"), Column("rate", "Satisfied", "rate"),
        Column("ci_low", "95% CI from", "rate"), Column("ci_high", "95% CI to", "rate")], _rows(satisfaction))
    chart = figures.monthly_chart(last, this)
    months = _rows([{**p.as_dict(), "count": p.rate} for p in chart.points])
    result.tables["months"] = Table("Hate crimes each month (c-chart)", [
        Column("label", "Month"), Column("count", "Hate crimes", "int"), Column("lower", "Lower limit", "number"),
        Column("upper", "Upper limit", "number")], months)
    result.charts["months"] = charts.count_chart(months, title="Hate crimes each month", unit="hate crimes")
    result.chart_tables["months"] = "months"
    result.headline = [f"{r['strand']}: {r['this']} in {this} against {r['last']} in {last}: {r['verdict']}"
                       + (f" (ratio {r['ratio']:.2f}, 95% CI {r['ratio_low']:.2f} to {r['ratio_high']:.2f})."
                          if r["ratio"] else ".") for r in strands]
    result.extra["years"] = years
    return publish(result) if publication else result


def _suppress(table: Table, count_keys: tuple[str, ...], derived: dict[str, tuple[str, ...]]) -> Table:
    """Hide counts under PUBLISH_MIN_COUNT and, where rows add up to a total row, enough others that none
    can be recovered; blank what is computed from a hidden count."""
    parts = [r for r in table.rows if not r.get("is_total")]
    totals = len(parts) < len(table.rows)
    hidden = suppress_table([[r.get(k) or 0 for k in count_keys] for r in parts], min_base=PUBLISH_MIN_COUNT,
                            totals=totals)
    rows = []
    for i, row in enumerate(parts):
        row = dict(row)
        for j, key in enumerate(count_keys):
            if hidden.cells[i][j]:
                row[key] = SUPPRESSED
                for other in derived.get(key, ()):
                    row[other] = None
        if any(hidden.cells[i]):
            row.update({k: None for k in ("change", "ratio", "ratio_low", "ratio_high")} | {"verdict": SUPPRESSED})
        rows.append(row)
    rows += [r for r in table.rows if r.get("is_total")]
    # a count column now holds words where a count is hidden: shown as text
    columns = [Column(c.key, c.label, "text") if c.key in count_keys else c for c in table.columns]
    return Table(table.caption + " (for publication)", columns, rows)


def publish(result: PageResult) -> PageResult:
    """The page as it may be published: small counts suppressed, no chart (it would show them)."""
    shares = {"last": ("last_share",), "this": ("this_share",)}
    out = PageResult(title=result.title + " (for publication)", headline=[], extra=dict(result.extra))
    for name, table in result.tables.items():
        if name in ("perceived_religion", "actual_religion", "strands"):
            out.tables[name] = _suppress(table, ("last", "this"), shares)
        elif name == "outcomes":
            out.tables[name] = _suppress(table, ("all", *STRANDS), {})
        elif name in ("repeat", "share_of_crime"):
            out.tables[name] = _suppress(table, ("hate_crimes", "repeat") if name == "repeat" else ("hate_crimes",),
                                         {"repeat": ("repeat_share",), "hate_crimes": ("share",)})
        elif name == "satisfaction":
            from citizenfocus.performance.publication import publish_table

            out.tables[name] = publish_table(table)
    out.extra["publication"] = {"min_count": PUBLISH_MIN_COUNT, "suppressed": SUPPRESSED}
    return out
