"""Small numbers: low-base flags for internal views, suppression for publication.

statistics.md §8. A published cell with a base under `publish_min_base` is
suppressed (primary). Where cells are published with the totals they add up
to, a hidden cell can often be worked out, exactly or within a narrow range,
from the totals and the cells still shown — and not only when it is alone in
its row: "at least two hidden per line" leaves cells recoverable (see
tests/stats/test_disclosure.py). So each hidden entry's feasible range (the
least and greatest value it can take in any non-negative table that matches
everything published) is found by linear programming, and more entries are
hidden (secondary) until every hidden entry's range is at least the
protection level wide.

The protection level defaults to `publish_min_base` itself. A primary cell
lies below the threshold, so a range at least that wide always reaches the
threshold: from the published table nobody can tell that the hidden figure
is a small one, let alone which small number it is.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog

from .methods import Method

LOW_BASE = 50
PUBLISH_MIN_BASE = 50
LOW_BASE_NOTE = "low base — treat with caution"

DISCLOSURE_RULES: dict[str, Method] = {
    m.key: m
    for m in (
        Method("low-base", "Low base flag", "disclosure-low-base",
               "Internal views flag bases under 50: treat with caution."),
        Method("primary-suppression", "Primary suppression", "disclosure-primary",
               "Published cells with a base under 50 are not shown."),
        Method("secondary-suppression", "Secondary suppression", "disclosure-secondary",
               "Further cells hidden until no hidden one can be narrowed to less than 50 from what is shown."),
    )
}

PRIMARY, SECONDARY = "primary", "secondary"
_TOLERANCE = 1e-7  # LP optima are exact to about this; ranges are compared with this slack


def low_base(n: float | None, threshold: int = LOW_BASE) -> bool:
    """True when 0 < n < threshold: the figure exists but rests on few responses (statistics.md §8)."""
    return n is not None and 0 < n < threshold


def low_base_note(n: float | None, threshold: int = LOW_BASE) -> str | None:
    """'low base — treat with caution' for a low base, else None."""
    return LOW_BASE_NOTE if low_base(n, threshold) else None


@dataclass(frozen=True)
class FeasibleRange:
    """The least and greatest value a hidden entry can take, given everything published (upper may be inf)."""

    lower: float
    upper: float

    @property
    def width(self) -> float:
        return self.upper - self.lower

    def protects(self, level: float) -> bool:
        return self.width >= level - _TOLERANCE

    def as_list(self) -> list[float | None]:
        return [self.lower, None if math.isinf(self.upper) else self.upper]


@dataclass(frozen=True)
class SuppressedTable:
    """Why each entry is hidden: None (shown), 'primary' or 'secondary'.

    `ranges` holds the feasible range of every hidden entry, keyed by its
    place in the table with its totals: (i, j) for a cell, (i, columns) for
    row i's total, (rows, j) for column j's total, (rows, columns) for the
    grand total.
    """

    cells: tuple[tuple[str | None, ...], ...]
    row_totals: tuple[str | None, ...]
    column_totals: tuple[str | None, ...]
    grand_total: str | None
    ranges: dict[tuple[int, int], FeasibleRange] = field(default_factory=dict)
    protection: float = PUBLISH_MIN_BASE

    def as_dict(self) -> dict:
        return {"cells": [list(r) for r in self.cells], "row_totals": list(self.row_totals),
                "column_totals": list(self.column_totals), "grand_total": self.grand_total,
                "protection": self.protection,
                "ranges": [{"at": list(k), "range": r.as_list()} for k, r in sorted(self.ranges.items())]}


@dataclass(frozen=True)
class SuppressedList:
    """Why each sibling, and their total, is hidden; `ranges` by position (len(cells) is the total)."""

    cells: tuple[str | None, ...]
    total: str | None
    ranges: dict[int, FeasibleRange] = field(default_factory=dict)
    protection: float = PUBLISH_MIN_BASE


def _primary(n: float, min_base: int) -> str | None:
    return PRIMARY if 0 < n < min_base else None


def suppress_table(counts: Sequence[Sequence[float]], *, min_base: int = PUBLISH_MIN_BASE,
                   totals: bool = True, protection: float | None = None) -> SuppressedTable:
    """Primary and secondary suppression of a table of counts (or bases) published with its totals.

    The row, column and grand totals are the sums of the cells; with
    totals=False none is published, so there is nothing to add up and only
    primary suppression applies. Source: as `suppress_margins`.
    """
    rows = [list(map(float, r)) for r in counts]
    if not totals or not rows:
        return suppress_margins(rows, min_base=min_base, protection=protection)
    return suppress_margins(rows, row_totals=[sum(r) for r in rows], column_totals=[sum(c) for c in zip(*rows, strict=True)],
                            grand_total=sum(map(sum, rows)), min_base=min_base, protection=protection)


def suppress_margins(parts: Sequence[Sequence[float]], *, row_totals: Sequence[float] | None = None,
                     column_totals: Sequence[float] | None = None, grand_total: float | None = None,
                     min_base: int = PUBLISH_MIN_BASE, protection: float | None = None) -> SuppressedTable:
    """Primary and secondary suppression of a table of counts published with whichever totals are given.

    A total that is None is not published. A total larger than the sum of
    its parts holds a remainder not listed (such as 'not stated'); the
    remainder is taken as known, since it may be published elsewhere.
    Primary: 0 < n < min_base, cells and published totals alike (a zero is
    not sensitive: it says no one, not a few). Secondary: each hidden
    entry's feasible range is found by linear programming over the table's
    additive structure, and while one is narrower than `protection`
    (default min_base), the cheapest set of further entries that widens it
    enough is hidden (`_widening_entries`): cells in proportion to their
    size, totals only as a last resort.
    Source: statistics.md §8; Hundepool, A. et al. (2012), Statistical
    Disclosure Control, Wiley (feasibility intervals and protection levels
    in cell suppression); Kelly, J. P., Golden, B. L. & Assad, A. A. (1992),
    "Cell suppression: disclosure protection for sensitive tabular data",
    Networks 22, 397–417 (one small optimisation per exposed cell).
    """
    cells = [list(map(float, r)) for r in parts]
    if cells and any(len(r) != len(cells[0]) for r in cells):
        raise ValueError("every row of the table must have the same number of cells")
    n_rows, n_cols = len(cells), len(cells[0]) if cells else 0
    places, structure = _grid_structure(cells, row_totals, column_totals, grand_total)
    status, ranges = _suppress(structure, min_base, protection)
    at = dict(zip(places, status, strict=True))
    return SuppressedTable(
        tuple(tuple(at[i, j] for j in range(n_cols)) for i in range(n_rows)),
        tuple(at.get((i, n_cols)) for i in range(n_rows)), tuple(at.get((n_rows, j)) for j in range(n_cols)),
        at.get((n_rows, n_cols)), {places[e]: r for e, r in ranges.items()},
        min_base if protection is None else protection,
    )


def suppress_siblings(counts: Sequence[float], *, total: float | None = None,
                      min_base: int = PUBLISH_MIN_BASE, total_published: bool = True,
                      protection: float | None = None) -> SuppressedList:
    """Suppression of sibling cells (e.g. the neighbourhoods of a division) published with their total.

    One hidden sibling beside a published total is its difference from the
    sum of the others, so the same linear-programming check as
    `suppress_margins` (the siblings as one column, the total below) hides
    more until every hidden entry's range is at least `protection` wide.
    `total` defaults to the sum of the cells; a larger one holds a remainder
    taken as known. Source: as `suppress_margins`.
    """
    cells = [[float(c)] for c in counts]
    total = sum(c for [c] in cells) if total is None else float(total)
    result = suppress_margins(cells, column_totals=[total] if total_published else None, min_base=min_base,
                              protection=protection)
    return SuppressedList(tuple(s for [s] in result.cells), result.column_totals[0],
                          {i: r for (i, _), r in result.ranges.items()}, result.protection)


@dataclass(frozen=True)
class _Structure:
    """Entries (cells and totals) and the lines they add up along: lines @ x == lines @ values.

    A line has +1 for each of its parts and −1 for its total; `cost` is the
    price of moving an entry by one unit, so of hiding it.
    """

    values: np.ndarray
    lines: np.ndarray
    cost: np.ndarray


def _grid_structure(cells: list[list[float]], row_totals, column_totals, grand_total):
    """The entries of a table with the given totals, each named by its place: (i, j), (i, C), (R, j), (R, C)."""
    n_rows, n_cols = len(cells), len(cells[0]) if cells else 0
    entries = {(i, j): v for i, r in enumerate(cells) for j, v in enumerate(r)}
    if row_totals is not None:
        entries.update(_margin(row_totals, [sum(r) for r in cells], lambda i: (i, n_cols), "row"))
    if column_totals is not None:
        entries.update(_margin(column_totals, [sum(c) for c in zip(*cells, strict=True)], lambda j: (n_rows, j), "column"))
    if (grand_total is not None) != (row_totals is not None and column_totals is not None):
        raise ValueError("a grand total goes with both row and column totals, and they with it")
    if grand_total is not None:
        parts = max(sum(row_totals), sum(column_totals))
        entries.update(_margin([grand_total], [parts], lambda _: (n_rows, n_cols), "grand"))
    places = list(entries)
    index = {p: k for k, p in enumerate(places)}
    lines = []
    for total in places:
        for parts in filter(None, _parts_of(total, n_rows, n_cols)):  # a total of nothing constrains nothing
            line = np.zeros(len(places))
            line[[index[p] for p in parts]], line[index[total]] = 1.0, -1.0
            lines.append(line)
    values = np.array([entries[p] for p in places])
    interior = np.array([p[0] < n_rows and p[1] < n_cols for p in places], dtype=bool)
    cost = np.where(interior, values + 1.0, _last_resort(values[interior]))
    return places, _Structure(values, np.array(lines).reshape(len(lines), len(places)), cost)


def _margin(totals: Sequence[float], sums: Sequence[float], place, name: str) -> dict:
    if len(totals) != len(sums):
        raise ValueError(f"{len(totals)} {name} totals for {len(sums)} {name}s")
    for k, (total, parts) in enumerate(zip(totals, sums, strict=True)):
        if float(total) < parts - _TOLERANCE:
            raise ValueError(f"{name} total {k + 1} ({float(total):g}) is less than the sum of its parts ({parts:g})")
    return {place(k): float(t) for k, t in enumerate(totals)}


def _parts_of(place: tuple[int, int], n_rows: int, n_cols: int) -> list[list[tuple[int, int]]]:
    """What adds up to an entry: a row total its row's cells, a column total its column's, the grand total both."""
    i, j = place
    if i < n_rows and j == n_cols:
        return [[(i, k) for k in range(n_cols)]]
    if i == n_rows and j < n_cols:
        return [[(k, j) for k in range(n_rows)]]
    if (i, j) == (n_rows, n_cols):
        return [[(k, n_cols) for k in range(n_rows)], [(n_rows, k) for k in range(n_cols)]]
    return []


def _last_resort(cells: Sequence[float]) -> float:
    """The unit cost of hiding a total: more than any pattern of cells could cost."""
    return 10.0 * (1.0 + sum(c + 1.0 for c in cells))


def _suppress(structure: _Structure, min_base: int, protection: float | None):
    """Statuses of every entry and the feasible ranges of the hidden ones."""
    status = [_primary(v, min_base) for v in structure.values]
    hidden = np.array([s is not None for s in status])
    level = min_base if protection is None else protection
    secondary, ranges = _protect(structure, hidden, level)
    for e in secondary:
        status[e] = SECONDARY
    return status, ranges


def _protect(structure: _Structure, hidden: np.ndarray, level: float) -> tuple[list[int], dict[int, FeasibleRange]]:
    """Hide more entries until every hidden entry's feasible range is at least `level` wide.

    Hiding an entry can only widen the others' ranges (a fixed value becomes
    free), so an entry once protected stays protected and is not re-checked
    until the final ranges are reported.
    """
    computed: dict[int, tuple[int, FeasibleRange]] = {}

    def current(e: int) -> FeasibleRange:
        version = int(hidden.sum())
        if e not in computed or computed[e][0] != version:
            computed[e] = (version, feasible_range(structure.lines, structure.values, hidden, e))
        return computed[e][1]

    secondary: list[int] = []
    safe: set[int] = set()
    while True:
        weak = [int(e) for e in np.flatnonzero(hidden) if e not in safe and not current(e).protects(level)]
        safe.update(int(e) for e in np.flatnonzero(hidden) if int(e) not in weak)
        if not weak:
            break
        for e in sorted(weak, key=lambda e: (current(e).width, structure.values[e], e)):
            if current(e).protects(level):
                continue
            added = _widening_entries(structure, hidden, e, level)
            hidden[added] = True
            secondary.extend(added)
    return secondary, {int(e): current(int(e)) for e in np.flatnonzero(hidden)}


def feasible_range(lines: np.ndarray, values: np.ndarray, hidden: np.ndarray, entry: int) -> FeasibleRange:
    """Min and max of one hidden entry over non-negative tables that match everything published.

    Variables are the hidden entries; each line (lines @ x == lines @ values)
    becomes an equation in them once the published entries are moved to the
    right-hand side. Solved with HiGHS (scipy.optimize.linprog). For a
    two-way table with totals the constraint matrix is a network matrix, so
    the bounds are whole numbers: an attacker who knows the counts are whole
    learns nothing more. Source: Hundepool et al. (2012), as `suppress_margins`.
    """
    free = np.flatnonzero(hidden)
    part = lines[:, free]
    part = part[np.any(part != 0, axis=1)]
    if not len(part):
        return FeasibleRange(0.0, math.inf)
    rhs = part @ values[free]
    objective = np.zeros(len(free))
    objective[np.searchsorted(free, entry)] = 1.0
    low = linprog(objective, A_eq=part, b_eq=rhs, bounds=(0, None), method="highs")
    high = linprog(-objective, A_eq=part, b_eq=rhs, bounds=(0, None), method="highs")
    if low.status != 0 or high.status not in (0, 3):
        raise RuntimeError(f"feasible range LP failed: {low.message} / {high.message}")
    return FeasibleRange(max(float(low.fun), 0.0), math.inf if high.status == 3 else float(-high.fun))


def _widening_entries(structure: _Structure, hidden: np.ndarray, entry: int, level: float) -> list[int]:
    """The cheapest published entries whose hiding makes `entry`'s range at least `level` wide.

    Finds two non-negative tables x′ and x″ that keep every line adding up,
    with x′[entry] − x″[entry] ≥ level, moving published entries as little
    as possible (each unit costs the entry's `cost`; hidden entries move
    free). Both tables then match what is still published once the moved
    entries are hidden, so the range is wide enough by construction. With
    x′ = x + u′ − v′ and x″ = x + u″ − v″, all parts ≥ 0 and v ≤ x.
    """
    values, lines = structure.values, structure.lines
    n, zero = len(values), np.zeros_like(lines)
    price = np.where(hidden, 0.0, structure.cost)
    a_eq = np.block([[lines, -lines, zero, zero], [zero, zero, lines, -lines]])
    widen = np.zeros(4 * n)
    widen[[entry, n + entry, 2 * n + entry, 3 * n + entry]] = [-1.0, 1.0, 1.0, -1.0]
    down = [(0.0, v) for v in values]
    up = [(0.0, None)] * n
    result = linprog(np.tile(price, 4), A_ub=widen[None, :], b_ub=[-level], A_eq=a_eq,
                     b_eq=np.zeros(len(a_eq)), bounds=up + down + up + down, method="highs")
    if result.status == 0:
        u1, v1, u2, v2 = np.split(result.x, 4)
        moved = np.abs(u1 - v1) + np.abs(u2 - v2) > 1e-6
        added = [int(e) for e in np.flatnonzero(moved & ~hidden)]
        if added:
            return added
    return [_cheapest_neighbour(structure, hidden, entry)]


def _cheapest_neighbour(structure: _Structure, hidden: np.ndarray, entry: int) -> int:
    """A fallback that always makes progress: the cheapest published entry sharing a line with `entry`."""
    on_lines = np.any(structure.lines[structure.lines[:, entry] != 0] != 0, axis=0)
    candidates = np.flatnonzero(on_lines & ~hidden)
    if not len(candidates):
        candidates = np.flatnonzero(~hidden)
    if not len(candidates):  # everything hidden leaves every range unbounded, so this cannot be reached
        raise RuntimeError(f"entry {entry} cannot be protected: nothing is left to hide")
    return int(candidates[np.argmin(structure.cost[candidates])])
