"""Gap explorer: the white − BME gap by measure, crime type, age band, division and neighbourhood."""

from __future__ import annotations

import numpy as np
import pandas as pd

from citizenfocus.engine.indicators import resolve_period
from citizenfocus.performance import charts, words
from citizenfocus.performance.cube import Cube
from citizenfocus.performance.figures import comparisons, estimates, record
from citizenfocus.stats import Sums, chance_sentence, many_comparisons
from citizenfocus.stats.standardise import adjusted_gap

from .base import Column, Filters, PageResult, Table

BREAKDOWNS = (
    ("crime_type", "Crime type"),
    ("age_band", "Age band"),
    ("division", "Division"),
    ("neighbourhood", "Neighbourhood"),
)


def gap_table(cube: Cube, frame: np.ndarray, measure: str, *, by: tuple[str, ...], months) -> pd.DataFrame:
    """White and BME estimates and their gap for every value of `by` (empty `by`: one row).

    The table is one family of comparisons: p_adjusted (Benjamini–Hochberg) and
    significant_fdr say which gaps hold once the many tests are allowed for.
    """
    sums = cube.sums(frame, measure, by=(*by, "ethnic_group"), months=months)
    if sums.empty:
        return pd.DataFrame()
    groups = sums.index.droplevel(-1).unique() if by else pd.Index([0])
    white = _side(sums, "white", groups, by)
    bme = _side(sums, "bme", groups, by)
    w, b = estimates(white, cube=cube), estimates(bme, cube=cube)
    gap = comparisons(w, b)
    for key, values in many_comparisons(gap["p_interval"].to_numpy(), gap["verdict"].to_numpy()).items():
        gap[key] = values
    return pd.concat([w.add_prefix("white_"), b.add_prefix("bme_"), gap], axis=1)


def _side(sums: pd.DataFrame, group: str, index: pd.Index, by: tuple[str, ...]) -> pd.DataFrame:
    if by:
        part = sums.xs(group, level="ethnic_group") if group in sums.index.get_level_values(-1) else None
        return (part if part is not None else sums.iloc[:0].droplevel(-1)).reindex(index, fill_value=0.0)
    row = sums.loc[group] if group in sums.index else sums.iloc[0] * 0
    return pd.DataFrame([row], index=index)


def _rows(table: pd.DataFrame, label_of) -> list[dict]:
    """One row per group, the strongest evidence first (smallest p), then the largest gap."""
    rows = []
    for key, values in table.iterrows():
        row = record(values)
        row["label"] = label_of(key)
        row["verdict_words"] = words.gap_verdict(row["verdict"], holds=row["significant_fdr"])
        rows.append(row)
    return sorted(rows, key=lambda r: (r["p_interval"] if r["p_interval"] is not None else 2.0,
                                       -abs(r["diff"] or 0.0)))


def build(cube: Cube, filters: Filters, **_) -> PageResult:
    period = resolve_period(filters.period or None, latest=cube.last_month)
    months = (period.first, period.last)
    frame = filters.slice(cube)
    definition, measure = cube.definition, filters.measure
    result = PageResult(title=f"Gap explorer: {measure.label}, {filters.area_label()}, {period.label}")
    by_measure = []
    for m in definition.measures:
        table = gap_table(cube, frame, m.key, by=(), months=months)
        by_measure += _rows(table, lambda _key, m=m: m.label)
    result.tables["by_measure"] = Table(f"Gap by measure, {period.label}", GAP_COLUMNS, by_measure)
    result.charts["by_measure"] = charts.gap_chart(by_measure, title="White minus BME, by measure")
    result.chart_tables["by_measure"] = "by_measure"
    labels = {c.key: c.label for c in definition.crime_types}
    for column, title in BREAKDOWNS:
        if column == "crime_type" and not definition.has_crime_type:
            continue
        table = gap_table(cube, frame, measure.key, by=(column,), months=months)
        rows = _rows(table, lambda key, column=column: labels.get(key, key) if column == "crime_type" else key)
        result.tables[column] = Table(f"{measure.label}: gap by {title.lower()}, strongest evidence first",
                                      GAP_COLUMNS, rows)
        if column != "neighbourhood":
            result.charts[column] = charts.gap_chart(rows, title=f"White minus BME, by {title.lower()}")
            result.chart_tables[column] = column
    result.headline = _headline(result.tables, measure.label)
    if definition.has_crime_type:
        adjusted = adjusted_gap_table(cube, frame, measure.key, months=months, deft=definition.deft)
        result.tables["adjusted"] = adjusted
        result.headline.insert(0, adjusted.rows[0]["sentence"])
    result.extra = {"filters": filters.as_dict(), "period": period.label}
    return result


def _headline(tables: dict[str, Table], label: str) -> list[str]:
    """Per breakdown: the strongest gap that holds after the many comparisons, never a low-base one,
    and how many findings chance alone would give."""
    sentences = []
    for key, table in tables.items():
        if key == "by_measure":
            continue
        what = PLURALS.get(key, key.replace("_", " ") + "s")
        chance = chance_sentence([r["verdict"] for r in table.rows], [r["significant_fdr"] for r in table.rows],
                                 what=what)
        holding = [r for r in table.rows if r["significant_fdr"]
                   and not words.low_base(r["bme_n"]) and not words.low_base(r["white_n"])]
        if holding:
            top = holding[0]
            sentences.append(
                f"{label}: by {key.replace('_', ' ')}, the gap with the strongest evidence is {top['label']} "
                f"({top['diff'] * 100:+.1f} points; white n={int(top['white_n']):,}, BME n={int(top['bme_n']):,}). "
                + chance)
        else:
            sentences.append(f"{label}: no {key.replace('_', ' ')} has a gap that holds on an adequate base. "
                             + chance)
    return sentences


PLURALS = {"crime_type": "crime types", "age_band": "age bands", "division": "divisions",
           "neighbourhood": "neighbourhoods"}


STANDARD_STRATA = ("crime_type", "age_band")


def _stratum_sums(sums: pd.DataFrame, group: str) -> dict:
    if group not in sums.index.get_level_values(-1):
        return {}
    part = sums.xs(group, level="ethnic_group")
    return {key: Sums(int(r["n"]), r["sw"], r["swy"], r["sw2"], r["sw2y"]) for key, r in part.iterrows() if r["n"] > 0}


def adjusted_gap_table(cube: Cube, frame, measure: str, *, months, deft: float) -> Table:
    """Raw and adjusted (direct standardisation by crime type × age band) gaps side by side."""
    sums = cube.sums(frame, measure, by=(*STANDARD_STRATA, "ethnic_group"), months=months, strata=False)
    result = adjusted_gap(_stratum_sums(sums, "white"), _stratum_sums(sums, "bme"), deft=deft)
    left_share = sum(s.white_share for s in result.left_out)
    raw, adj = result.raw, result.adjusted
    sentence = (
        f"Raw gap {raw.diff * 100:.1f} points; adjusted gap {adj.diff * 100:.1f} points. The adjusted gap asks "
        "what the gap would be if BME victims had the same mix of crime types and ages as white victims"
        + (f"; {len(result.left_out)} crime type × age groups with no respondents in one group "
           f"({left_share:.1%} of the white base) are left out." if result.left_out else ".")
        + (f" {len(result.shrunk_strata)} crime type × age groups had one BME respondent or all gave the same "
           f"answer ({result.shrunk_white_share:.1%} of the white base); their uncertainty is estimated from the "
           "BME group's overall rate." if result.shrunk_strata else "")
    ) if raw.diff is not None and adj.diff is not None else "Not enough responses to adjust the gap."
    rows = [
        {"label": "Raw gap", "white_rate": result.white.rate, "white_n": result.white.n, "bme_rate": result.bme.rate,
         "bme_n": result.bme.n, **_comparison(raw), "sentence": sentence},
        {"label": "Adjusted for crime type and age", "white_rate": result.white_kept.rate,
         "white_n": result.white_kept.n, "bme_rate": result.bme_adjusted.rate, "bme_n": result.bme_adjusted.n,
         **_comparison(adj), "sentence": sentence},
    ]
    return Table("The gap before and after adjusting for crime type and age band (direct standardisation)",
                 GAP_COLUMNS, rows)


def _comparison(c) -> dict:
    return {"diff": c.diff, "ci_low": c.ci_low, "ci_high": c.ci_high, "verdict": c.verdict,
            "p_interval": None, "p_adjusted": None, "significant_fdr": None,
            "verdict_words": words.gap_verdict(c.verdict)}


GAP_COLUMNS = [
    Column("label", "Group"),
    Column("white_rate", "White", "rate"), Column("white_n", "White base (n)", "int"),
    Column("bme_rate", "BME", "rate"), Column("bme_n", "BME base (n)", "int"),
    Column("diff", "Gap (white minus BME)", "diff"),
    Column("ci_low", "Gap 95% interval from", "diff"), Column("ci_high", "to", "diff"),
    Column("p_interval", "p", "p"), Column("p_adjusted", "p, many comparisons", "p"),
    Column("verdict_words", "Significance", "verdict"),
]
