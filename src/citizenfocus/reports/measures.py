"""The per-measure sections: trend and control chart, the gap, the neighbourhood funnel, key drivers and
most similar forces, each chart followed by its table, all from the dashboard pages' results."""

from __future__ import annotations

from citizenfocus.performance.pages.neighbourhoods import outside_line

from .document import Pack, TableBlock, join_columns, page_table
from .sources import PageSource

TREND_KEYS = ("label", "rate", "n", "rolling_rate", "rolling_n", "lcl", "ucl", "signal")
GAP_KEYS = ("label", "white_rate", "white_n", "bme_rate", "bme_n", "diff", "ci_low", "ci_high", "verdict_words")
FUNNEL_KEYS = ("name", "division", "rate", "n", "n_eff", "position")


def _chart_and_table(pack: Pack, result, chart: str, keys=None) -> None:
    pack.chart(result.charts[chart])
    pack.table(page_table(result.tables[result.chart_tables[chart]], keys))


def write_trend(pack: Pack, source: PageSource, measure) -> None:
    trend = source.page("trend", measure)
    pack.heading("Trend and control chart")
    for line in trend.headline:
        pack.para(line)
    pack.chart(trend.charts["trend"])
    table = page_table(trend.tables[trend.chart_tables["trend"]], TREND_KEYS)
    if table.header[5:7] == ["Lower limit", "Upper limit"]:
        join_columns(table, 5, "Control limits")
    pack.table(repeats_as_above(table, "Signal"))


AS_ABOVE = "As above"


def repeats_as_above(block: TableBlock, column: str) -> TableBlock:
    """The table with a text in `column` that is the same as the row above's written "As above": a run of
    months above the centre line gave each of its 27 months the same sentence, 27 times over in each
    measure's table (the headline above the chart says it once)."""
    if column not in block.header:
        return block
    c, previous = block.header.index(column), None
    for row in block.rows:
        text = row[c]
        if text and text == previous:
            row[c] = AS_ABOVE
        previous = text
    return block


def write_gap(pack: Pack, source: PageSource, measure) -> None:
    gaps = source.page("gaps", measure)
    pack.heading("The gap between white and BME victims")
    for line in gaps.headline:
        pack.para(line)
    for key in ("crime_type", "age_band", "division"):
        if key in gaps.charts and gaps.tables[key].rows:
            _chart_and_table(pack, gaps, key, GAP_KEYS)
    if "adjusted" in gaps.tables:
        pack.table(page_table(gaps.tables["adjusted"], GAP_KEYS))


NAMED_ONE_BY_ONE = 5  # neighbourhoods outside the limits given a paragraph each; more are named together


def funnel_lines(headline: list[str], outside: list[dict]) -> list[str]:
    """The funnel page's headline for the board. Up to NAMED_ONE_BY_ONE neighbourhoods outside the limits
    keep their sentence each; more (at 1,000,000 responses some 40 of 60 are, for each measure: nine pages of
    the pack, each sentence repeating a row of the table after the chart) are named together, those below
    and those above, and the table gives each one's rate, bases and place against the limits."""
    if len(outside) <= NAMED_ONE_BY_ONE:
        return list(headline)
    one_by_one = {outside_line(row) for row in outside}
    lines, named = [], False
    for line in headline:
        if line not in one_by_one:
            lines.append(line)
        elif not named:
            named = True
            for side in ("below", "above"):
                rows = [r for r in outside if r["position"] == side]
                if rows:
                    names = ", ".join(f"{r['name']} ({r['division']})" for r in rows)
                    lines.append(f"{len(rows)} neighbourhood{'s are' if len(rows) > 1 else ' is'} {side} the 99.8% "
                                 f"limits, more than chance (lowest rate first): {names}.")
            lines.append("Each neighbourhood's rate, respondents, effective base and place against the limits "
                         "are in the table after the chart.")
    return lines


def write_funnel(pack: Pack, source: PageSource, measure) -> None:
    hoods = source.page("neighbourhoods", measure)
    pack.heading("Neighbourhoods: the funnel plot")
    outside = hoods.tables["outside"].rows if "outside" in hoods.tables else []
    for line in funnel_lines(hoods.headline, outside):
        pack.para(line)
    if "funnel" in hoods.charts:
        _chart_and_table(pack, hoods, "funnel", FUNNEL_KEYS)


def write_drivers(pack: Pack, source: PageSource, measure) -> None:
    drivers = source.page("drivers", measure)
    pack.heading("Key drivers")
    for line in drivers.headline:
        pack.para(line)
    if drivers.tables.get("all") and drivers.tables["all"].rows:
        pack.chart(drivers.charts["drivers"])
        for key in ("all", "white", "bme"):
            if drivers.tables[key].rows:
                pack.table(page_table(drivers.tables[key]))


def write_peers(pack: Pack, source: PageSource, measure) -> None:
    pack.heading("Most similar forces and the grade")
    if source.division is not None:
        pack.para("Most similar forces are compared force by force: see the force's pack for this measure's "
                  "comparison and grade.")
        return
    peers = source.page("peers", measure)
    for line in peers.headline:
        pack.para(line)
    _chart_and_table(pack, peers, "peers")
    if "grades" in peers.tables:
        pack.table(page_table(peers.tables["grades"]))


def write_measure(pack: Pack, source: PageSource, measure) -> None:
    pack.section(f"{measure.label}")
    write_trend(pack, source, measure)
    write_gap(pack, source, measure)
    write_funnel(pack, source, measure)
    if measure is source.definition.overall_measure and source.definition.kind == "victim":
        write_drivers(pack, source, measure)
    write_peers(pack, source, measure)
