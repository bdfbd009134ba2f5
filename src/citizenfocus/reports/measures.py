"""The per-measure sections: trend and control chart, the gap, the neighbourhood funnel, key drivers and
most similar forces, each chart followed by its table, all from the dashboard pages' results."""

from __future__ import annotations

from .document import Pack, page_table
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
    _chart_and_table(pack, trend, "trend", TREND_KEYS)


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


def write_funnel(pack: Pack, source: PageSource, measure) -> None:
    hoods = source.page("neighbourhoods", measure)
    pack.heading("Neighbourhoods: the funnel plot")
    for line in hoods.headline:
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
