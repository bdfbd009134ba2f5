"""The stop and search page: one PageResult behind its HTML, JSON twin, CSV/XLSX tables and PNG/SVG charts."""

from __future__ import annotations

from citizenfocus.performance.figures import clean
from citizenfocus.performance.pages.base import Column, PageResult, Table

from . import charts
from .models import Boundary
from .publication import ARREST, ARREST_GAP, FIND, FIND_GAP, RATE, RATIO, CountRule, published
from .searches import (
    BASES,
    SearchFilters,
    age_rows,
    group_rows,
    monthly_chart,
    neighbourhood_rows,
    sex_rows,
)

GROUP_COLUMNS = [
    Column("group", "Ethnic group ({basis})"), Column("searches", "Searches", "int"), Column("residents", "Residents", "int"),
    Column("rate_per_1000", "Searches per 1,000", "number"), Column("rate_low", "95% CI from", "number"),
    Column("rate_high", "95% CI to", "number"), Column("ratio", "Times as likely as White people", "number"),
    Column("ratio_low", "Ratio 95% CI from", "number"), Column("ratio_high", "Ratio 95% CI to", "number"),
    Column("ratio_sentence", "In words"),
]
OUTCOME_COLUMNS = [
    Column("group", "Ethnic group ({basis})"), Column("searches", "Searches (base)", "int"), Column("finds", "Finds", "int"),
    Column("find_rate", "Find rate", "rate"), Column("find_low", "95% CI from", "rate"),
    Column("find_high", "95% CI to", "rate"), Column("find_gap", "Gap to White (points)", "diff"),
    Column("find_gap_verdict", "Find rate against White people"), Column("arrests", "Arrests", "int"),
    Column("arrest_rate", "Arrest rate", "rate"), Column("arrest_gap", "Gap to White (points)", "diff"),
    Column("arrest_gap_verdict", "Arrest rate against White people"),
]
HOOD_COLUMNS = [
    Column("neighbourhood", "Neighbourhood"), Column("division", "Division"), Column("searches", "Searches", "int"),
    Column("residents", "Residents", "int"), Column("rate_per_1000", "Searches per 1,000", "number"),
    Column("low998", "99.8% limit from", "number"), Column("high998", "99.8% limit to", "number"),
    Column("signal", "Against the force"), Column("black_white_ratio", "Black to White ratio ({basis})", "number"),
    Column("black_white_low", "95% CI from", "number"), Column("black_white_high", "95% CI to", "number"),
]


def _rate_columns(key: str, label: str, reference: str) -> list[Column]:
    return [Column(key, label), Column("searches", "Searches", "int"), Column("residents", "Residents", "int"),
            Column("rate_per_1000", "Searches per 1,000", "number"), Column("rate_low", "95% CI from", "number"),
            Column("rate_high", "95% CI to", "number"), Column("ratio", f"Times as likely as {reference}", "number"),
            Column("ratio_low", "Ratio 95% CI from", "number"), Column("ratio_high", "Ratio 95% CI to", "number"),
            Column("ratio_sentence", "In words")]


SEX_COLUMNS = _rate_columns("sex", "Sex", "females")
AGE_COLUMNS = _rate_columns("age_range", "Age range (police.uk)", "people over 34")
MONTH_COLUMNS = [Column("label", "Month"), Column("count", "Searches", "int"),
                 Column("rate", "Searches per 1,000", "number"), Column("lower", "Lower limit", "number"),
                 Column("upper", "Upper limit", "number")]


def _said(columns: list[Column], filters: SearchFilters) -> list[Column]:
    """The columns with the ethnicity named in the header (self-defined or officer-defined: never mixed),
    so a downloaded table says which it is."""
    basis = BASES[filters.basis][1]
    return [Column(c.key, c.label.format(basis=basis), c.kind) for c in columns]


def _rows(rows: list[dict]) -> list[dict]:
    return [{k: clean(v) for k, v in row.items()} for row in rows]


def _outcome_sentences(rows: list[dict]) -> list[str]:
    """What panels look for: searched more often and found with something less often."""
    out = []
    for row in rows:
        if row.get("ratio_low") and row["ratio_low"] > 1 and row.get("find_gap_verdict") == "significantly lower":
            out.append(f"{row['group']} people were searched more often than White people and, when searched, "
                       f"were found with what was searched for less often ({row['find_rate']:.0%} against "
                       f"{rows[0]['find_rate']:.0%}): the grounds for these searches deserve scrutiny.")
    return out


def build(filters: SearchFilters) -> PageResult:
    groups = _rows(group_rows(filters))
    result = PageResult(title=f"Stop and search: {filters.label()}")
    result.headline = [r["ratio_sentence"] for r in groups if r.get("ratio_sentence")] + _outcome_sentences(groups)
    result.tables["groups"] = Table(f"Searches per 1,000 residents by {filters.label()}", _said(GROUP_COLUMNS, filters), groups)
    result.charts["ratios"] = charts.ratio_chart(groups, title="How many times as likely as White people to be searched")
    result.chart_tables["ratios"] = "groups"
    result.tables["outcomes"] = Table("Find rate (outcome linked to the object of search) and arrest rate by ethnic "
                                      "group, with the gap to White people", _said(OUTCOME_COLUMNS, filters), groups)
    if filters.section_60 == "all":
        s60 = _rows(group_rows(SearchFilters(filters.basis, filters.first, filters.last, "only", filters.neighbourhood)))
        result.tables["section_60"] = Table("Section 60 searches (no suspicion needed) by ethnic group",
                                            _said(GROUP_COLUMNS, filters), s60)
    _ages_and_sexes(result, filters)
    if filters.neighbourhood is None:
        _neighbourhoods(result, filters)
    chart = monthly_chart(filters)
    if chart:
        months = [{**p.as_dict(), "count": round(p.rate * p.base)} for p in chart.points]
        result.tables["months"] = Table("Searches per 1,000 residents each month (u-chart)", MONTH_COLUMNS,
                                        _rows(months))
        result.charts["months"] = charts.count_chart(months, title="Searches per 1,000 residents by month",
                                                     unit="searches per 1,000")
        result.chart_tables["months"] = "months"
        beyond = [p for s in chart.signals if s.rule == "beyond-limit" for p in s.points]
        if chart.signals:
            result.headline.append(
                f"The monthly control chart shows {len(chart.signals)} signals of more than chance variation"
                + (f", with {', '.join(beyond)} beyond the control limits" if beyond else "")
                + ": see the table under the chart.")
        result.extra["signals"] = [s.as_dict() for s in chart.signals]
    result.extra["filters"] = {"basis": filters.basis, "section_60": filters.section_60,
                               "first_month": str(filters.first) if filters.first else None,
                               "last_month": str(filters.last) if filters.last else None,
                               "neighbourhood": filters.neighbourhood.code if filters.neighbourhood else None}
    return result


def _ages_and_sexes(result: PageResult, filters: SearchFilters) -> None:
    """Rates by police.uk's age ranges and by sex against the census, each with its ratio and interval."""
    ages, problems = age_rows(filters)
    ages = _rows(ages)
    result.tables["ages"] = Table("Searches per 1,000 residents by age range (police.uk's ranges; residents from "
                                  "the census age-by-sex table), against people over 34", AGE_COLUMNS, ages)
    result.charts["ages"] = charts.rate_chart(ages, key="age_range", title="Searches per 1,000 residents by age",
                                              description="Searches per 1,000 residents in each police.uk age range "
                                                          "with 95% confidence intervals")
    result.chart_tables["ages"] = "ages"
    if problems:
        result.headline.append("Rates by age are missing for some ranges: " + "; ".join(problems)
                               + ". Import the census age by sex in single years of age (TS009) or in bands "
                                 "that break at 10, 18, 25 and 35.")
    else:
        result.headline += [r["ratio_sentence"] for r in ages if r.get("ratio_sentence") and r.get("ratio")
                            and r["ratio_low"] > 1]
    result.extra["age_problems"] = problems
    sexes = _rows(sex_rows(filters))
    result.tables["sex"] = Table("Searches per 1,000 residents by sex, against females", SEX_COLUMNS, sexes)
    result.headline += [r["ratio_sentence"] for r in sexes if r.get("ratio") is not None]


def _neighbourhoods(result: PageResult, filters: SearchFilters) -> None:
    hoods = _rows(neighbourhood_rows(filters))
    result.tables["neighbourhoods"] = Table("Searches per 1,000 residents by neighbourhood (where the search "
                                            "happened), against the force's funnel", _said(HOOD_COLUMNS, filters), hoods)
    result.charts["funnel"] = charts.poisson_funnel_chart(hoods, title="Neighbourhoods against the force: funnel plot")
    result.chart_tables["funnel"] = "neighbourhoods"
    boundaries = list(Boundary.objects.filter(level=Boundary.Level.NEIGHBOURHOOD).select_related("neighbourhood"))
    if boundaries:
        values = {row["code"]: row["rate_per_1000"] for row in hoods}
        result.charts["map"] = charts.choropleth(boundaries, values, title="Searches per 1,000 residents",
                                                 legend="Searches per 1,000", fmt=".2f")
        result.chart_tables["map"] = "neighbourhoods"


_BW = ("black_white_ratio", "black_white_low", "black_white_high")
PUBLICATION_RULES = {
    "groups": CountRule(("searches",), {"searches": RATE + RATIO}, {"searches": RATIO}, ("group", "White")),
    "section_60": CountRule(("searches",), {"searches": RATE + RATIO}, {"searches": RATIO}, ("group", "White")),
    "outcomes": CountRule(("searches", "finds", "arrests"),
                          {"searches": FIND + ARREST + FIND_GAP + ARREST_GAP, "finds": FIND + FIND_GAP,
                           "arrests": ARREST + ARREST_GAP},
                          {"searches": FIND_GAP + ARREST_GAP, "finds": FIND_GAP, "arrests": ARREST_GAP},
                          ("group", "White")),
    "ages": CountRule(("searches",), {"searches": RATE + RATIO}, {"searches": RATIO}, ("age_range", "over 34")),
    "sex": CountRule(("searches",), {"searches": RATE + RATIO}, {"searches": RATIO}, ("sex", "Female")),
    "neighbourhoods": CountRule(("searches",), {"searches": ("rate_per_1000", "signal", *_BW)},
                                inputs={"black_searches": _BW, "white_searches": _BW}),
    "months": CountRule(("count",), {"count": ("rate",)}),
}


def publish(result: PageResult) -> PageResult:
    """The stop and search page for publication: counts under 5 hidden with enough others that none can be
    worked out, rates and ratios resting on them blanked; no charts or sentences (equality/publication.py)."""
    return published(result, PUBLICATION_RULES)
