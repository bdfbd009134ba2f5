"""The summary grid and the key findings, in words generated from the pages' figures."""

from __future__ import annotations

import json

from citizenfocus.areas.models import Division
from citizenfocus.performance import memo

from . import formatting as fmt
from .document import Pack, TableBlock
from .findings import base_effect, satisfaction_words, without_crime_type
from .grid import GRID_HEADER, ICON_COLUMNS, ICONS, grid_row
from .lag import reporting_lag
from .sources import PageSource


def _areas(source: PageSource) -> list[tuple[Division | None, str]]:
    if source.division is not None:
        return [(source.division, f"{source.division.name} division")]
    divisions = Division.objects.filter(archived=False).order_by("name")
    return [(None, "Whole force"), *((d, f"{d.name} division") for d in divisions)]


def month_index(source: PageSource, period) -> int:
    """The period's last month as an index into the trend page's months (which start at the first month)."""
    return period.last - source.cube.first_month


def summary_rows(source: PageSource, period) -> list:
    index = month_index(source, period)
    rows = []
    for division, area in _areas(source):
        overview = source.page("overview", source.definition.overall_measure, division=division or False)
        by_measure = {r["measure"]: r for r in overview.tables["rates"].rows}
        for measure in (m for m in source.definition.measures if m.headline):
            trend = source.page("trend", measure, division=division or False)
            rows.append(grid_row(measure=measure, area=area, overview_row=by_measure[measure.key],
                                 trend_rows=trend.tables["months"].rows, signals=trend.tables["signals"].rows, index=index))
    return rows


def write_summary(pack: Pack, source: PageSource, period) -> list:
    rows = summary_rows(source, period)
    pack.section("Summary")
    pack.para(f"Each measure for {period.label}, with its base, the gap between white and BME victims, the "
              "change against the same period last year, and two icons read from the control chart. Variation: "
              "whether the latest month is special cause (H: improvement, L: concern) or common cause (~). "
              "Assurance: whether the control limits say the measure will consistently meet its target (P), "
              "consistently fail it (F), or may or may not meet it (?). Each icon is printed with its words.")
    pack.table(TableBlock(
        caption=f"Summary grid, {period.label}", header=GRID_HEADER, rows=[r.cells() for r in rows],
        numeric=[False, False, True, True, True, False, False, False, False],
        icons={column: [getattr(r, attribute) for r in rows] for column, attribute in ICON_COLUMNS.items()}))
    concerns = [r for r in rows if r.variation == "concern"]
    if concerns:
        pack.para("Special cause concern in the latest month: " + "; ".join(
            f"{r.measure.lower()} ({r.area})" for r in concerns) + ".")
    return rows


def _crime_type_words(pack: Pack, source: PageSource, period, crime_type: str | None) -> None:
    definition = source.definition
    if not definition.has_crime_type:
        return
    overall = definition.overall_measure
    index = month_index(source, period)
    everything = source.page("trend", overall).tables["months"].rows
    found = {}
    for kind in definition.crime_types:
        alone = source.page("trend", overall, crime_type=kind.key).tables["months"].rows
        left = without_crime_type(everything, alone, index)
        if left is not None:
            found[kind.key] = (kind.label, alone[index], left)
    if not found:
        return
    # by default the crime type that moves the figure most: the one a board asks about
    key = crime_type if crime_type in found else max(
        found, key=lambda k: abs(found[k][2][0] - everything[index]["rolling_rate"]))
    label, alone, (rate, n) = found[key]
    what = satisfaction_words(overall, definition.kind)
    pack.para(f"{what}, all crime types: {fmt.rate(everything[index]['rolling_rate'])} (base "
              f"{fmt.base(everything[index]['rolling_n'])}); {label.lower()} alone: "
              f"{fmt.rate(alone['rolling_rate'])} (base {fmt.base_flagged(alone['rolling_n'])}); without "
              f"{label.lower()}: {fmt.rate(rate)} (base {fmt.base(n)}).")


def write_findings(pack: Pack, source: PageSource, period, *, area: str, crime_type: str | None = None) -> None:
    definition = source.definition
    index = month_index(source, period)
    pack.section("Key findings")
    overview = source.page("overview", definition.overall_measure)
    by_measure = {r["measure"]: r for r in overview.tables["rates"].rows}
    for measure in [definition.overall_measure, *(m for m in definition.measures
                                                  if m is not definition.overall_measure and m.headline)]:
        what = satisfaction_words(measure, definition.kind)
        effect = base_effect(source.page("trend", measure).tables["months"].rows, index)
        row = by_measure[measure.key]
        text = effect.sentence(what, area) if effect else (
            f"{what} is {fmt.rate(row['all_rate'])} ({area}, {period.label}, base {fmt.base(row['all_n'])}).")
        pack.para(f"{text} Against the same period last year ({fmt.rate(row['last_year_rate'])}): "
                  f"{row['last_year_verdict']}.")
    for line in overview.headline:
        pack.para(line)
    division = source.division.name if source.division else None
    # one query over the stored dates: kept with the pages' results, for this data version
    lag = memo.results.get_or_make(
        json.dumps(["reporting_lag", source.cube.survey_key, source.cube.version, period.first, period.last,
                    division], default=str),
        lambda: reporting_lag(source.cube.survey_key, first=period.first, last=period.last,
                              equal={"division": division}))
    if lag is not None:
        pack.para(lag.sentence())
    _crime_type_words(pack, source, period, crime_type)
    trend = source.page("trend", definition.overall_measure)
    pack.para(f"{definition.overall_measure.label}, control chart: " + " ".join(trend.headline))


__all__ = ["ICONS", "write_findings", "write_summary"]
