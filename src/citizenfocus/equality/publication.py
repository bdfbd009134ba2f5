"""The equality pages as they may be published: small counts suppressed (primary and secondary), what is
worked out from a hidden count blanked, no charts and no sentences (they quote the counts).

Counts of searches (and finds, arrests) under PUBLISH_MIN_COUNT are hidden, as the hate crime tables'
are. A table's rows add up to totals that are known elsewhere (all searches in the months chosen, all
finds), so more counts are hidden until none can be worked out from a column's total and the rest
(stats/disclosure.py, linear programming over the table). A rate, its interval, a ratio and its interval
(the width of a log-method interval gives the counts away) are blanked with the count they rest on; a
ratio to White people is blanked in every row when the White count is hidden. Census populations are
published by the national statistics office, under its own disclosure control, and stay.
Survey figures on the maps (satisfaction, confidence, the gap) follow the dashboard's rule: no estimate on
a base under 50 (performance/publication.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from citizenfocus.performance.pages.base import Column, PageResult, Table
from citizenfocus.stats.disclosure import suppress_margins

PUBLISH_MIN_COUNT = 5
SUPPRESSED = f"suppressed: fewer than {PUBLISH_MIN_COUNT}, or hidden so that such a count cannot be worked out"
RATE = ("rate_per_1000", "rate_low", "rate_high")
RATIO = ("ratio", "ratio_low", "ratio_high", "ratio_sentence")
FIND = ("find_rate", "find_low", "find_high")
ARREST = ("arrest_rate",)
FIND_GAP = ("find_gap", "find_gap_verdict")
ARREST_GAP = ("arrest_gap", "arrest_gap_verdict")


@dataclass(frozen=True)
class CountRule:
    """How one table is published: its count columns, what each hides with it in its row (`derived`) and
    what compares the row with the reference row (`against`: hidden in a row when either count is)."""

    counts: tuple[str, ...]
    derived: dict[str, tuple[str, ...]] = field(default_factory=dict)
    against: dict[str, tuple[str, ...]] = field(default_factory=dict)
    reference: tuple[str, str] | None = None  # (key, value) naming the reference row
    inputs: dict[str, tuple[str, ...]] = field(default_factory=dict)  # a count kept off the table → what rests on it


def _hide(row: dict, keys) -> None:
    for key in keys:
        if key in row:
            row[key] = SUPPRESSED if key.endswith(("sentence", "verdict", "signal")) else None


def suppress_counts(table: Table, rule: CountRule) -> Table:
    """The table with small counts hidden (primary and secondary) and what rests on them blanked. Rows keep
    only the table's columns (the counts kept off it stay inside)."""
    counts = [[float(row.get(k) or 0) for k in rule.counts] for row in table.rows]
    hidden = suppress_margins(counts, column_totals=[sum(c) for c in zip(*counts, strict=True)],
                              min_base=PUBLISH_MIN_COUNT).cells if counts else []
    reference = [False] * len(rule.counts)
    if rule.reference:
        key, value = rule.reference
        for row, cells in zip(table.rows, hidden, strict=True):
            if row.get(key) == value:
                reference = list(cells)
    shown = {c.key for c in table.columns}
    rows = []
    for row, cells in zip(table.rows, hidden, strict=True):
        out = {k: v for k, v in row.items() if k in shown}
        for j, key in enumerate(rule.counts):
            if cells[j]:
                out[key] = SUPPRESSED
                _hide(out, rule.derived.get(key, ()))
            if cells[j] or reference[j]:
                _hide(out, rule.against.get(key, ()))
        for key, keys in rule.inputs.items():
            if 0 < (row.get(key) or 0) < PUBLISH_MIN_COUNT:
                _hide(out, keys)
        rows.append(out)
    columns = [Column(c.key, c.label, "text") if c.key in rule.counts else c for c in table.columns]
    return Table(table.caption + " (for publication)", columns, rows)


def published(result: PageResult, rules: dict[str, CountRule], other=None) -> PageResult:
    """The page for publication: each table by its rule (or `other(table)`), no charts, no sentences."""
    out = PageResult(title=result.title + " (for publication)", headline=[], extra={
        k: v for k, v in result.extra.items() if k in ("filters", "metric", "years")})
    for name, table in result.tables.items():
        if name in rules:
            out.tables[name] = suppress_counts(table, rules[name])
        elif other is not None:
            out.tables[name] = other(table)
    out.extra["publication"] = {"min_count": PUBLISH_MIN_COUNT, "suppressed": SUPPRESSED}
    return out
