"""Small numbers: low-base flags for internal views, suppression for publication.

statistics.md §8. A published cell with a base under `publish_min_base` is
suppressed (primary). Where a row or column of a table is published with its
total, one suppressed cell could be recovered by subtraction, so another cell
in the same line is suppressed too (secondary), until every line (cells and
its total) has no suppressed entry or at least two.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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
               "Further cells hidden so a hidden one cannot be worked out from a total."),
    )
}

PRIMARY, SECONDARY = "primary", "secondary"


def low_base(n: float | None, threshold: int = LOW_BASE) -> bool:
    """True when 0 < n < threshold: the figure exists but rests on few responses (statistics.md §8)."""
    return n is not None and 0 < n < threshold


def low_base_note(n: float | None, threshold: int = LOW_BASE) -> str | None:
    """'low base — treat with caution' for a low base, else None."""
    return LOW_BASE_NOTE if low_base(n, threshold) else None


@dataclass(frozen=True)
class SuppressedTable:
    """Why each entry is hidden: None (shown), 'primary' or 'secondary'."""

    cells: tuple[tuple[str | None, ...], ...]
    row_totals: tuple[str | None, ...]
    column_totals: tuple[str | None, ...]
    grand_total: str | None

    def as_dict(self) -> dict:
        return {"cells": [list(r) for r in self.cells], "row_totals": list(self.row_totals),
                "column_totals": list(self.column_totals), "grand_total": self.grand_total}


@dataclass(frozen=True)
class SuppressedList:
    cells: tuple[str | None, ...]
    total: str | None


def _primary(n: float, min_base: int) -> str | None:
    return PRIMARY if 0 < n < min_base else None


def suppress_table(counts: Sequence[Sequence[float]], *, min_base: int = PUBLISH_MIN_BASE,
                   totals: bool = True) -> SuppressedTable:
    """Primary and secondary suppression of a table of bases published with row and column totals.

    Primary: 0 < n < min_base (cells and totals alike). Secondary: while any
    row or column (its cells plus its total) has exactly one hidden entry,
    hide that line's smallest shown cell with a base above 0 (a total only when
    no cell is left), and repeat. With totals=False there is nothing to
    subtract from, so only primary suppression applies.
    Source: statistics.md §8; the "at least two per line" rule for tables
    (Hundepool et al. 2012, Statistical Disclosure Control, Wiley).
    """
    rows = [list(map(float, r)) for r in counts]
    if rows and any(len(r) != len(rows[0]) for r in rows):
        raise ValueError("every row of the table must have the same number of cells")
    grid = [r + [sum(r)] for r in rows]
    grid.append([sum(col) for col in zip(*grid, strict=True)] if rows else [0.0])
    status = [[_primary(v, min_base) for v in r] for r in grid]
    if totals:
        lines = [[(i, j) for j in range(len(grid[0]))] for i in range(len(grid))]
        lines += [[(i, j) for i in range(len(grid))] for j in range(len(grid[0]))]
        _protect(grid, status, lines)
    return SuppressedTable(tuple(tuple(r[:-1]) for r in status[:-1]), tuple(r[-1] for r in status[:-1]),
                           tuple(status[-1][:-1]), status[-1][-1])


def suppress_siblings(counts: Sequence[float], *, total: float | None = None,
                      min_base: int = PUBLISH_MIN_BASE, total_published: bool = True) -> SuppressedList:
    """Suppression of sibling cells (e.g. the neighbourhoods of a division) published with their total.

    `total` defaults to the sum of the cells; when it is larger (a remainder
    not listed, such as 'not stated'), the remainder is known to nobody, but a
    single hidden cell is still protected with a second one. Source: as
    `suppress_table`.
    """
    cells = [float(c) for c in counts]
    total = sum(cells) if total is None else float(total)
    grid = [cells + [total]]
    status = [[_primary(v, min_base) for v in grid[0]]]
    if total_published:
        _protect(grid, status, [[(0, j) for j in range(len(grid[0]))]])
    return SuppressedList(tuple(status[0][:-1]), status[0][-1])


def _protect(grid: list[list[float]], status: list[list[str | None]], lines: list[list[tuple[int, int]]]) -> None:
    """Secondary suppression until no line holds exactly one hidden entry (its last entry is its total)."""
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden = [p for p in line if status[p[0]][p[1]]]
            if len(hidden) != 1:
                continue
            cells, total = line[:-1], line[-1]
            candidates = [p for p in cells if not status[p[0]][p[1]] and grid[p[0]][p[1]] > 0]
            candidates = candidates or [p for p in cells if not status[p[0]][p[1]]]
            candidates = candidates or ([total] if not status[total[0]][total[1]] else [])
            if candidates:
                i, j = min(candidates, key=lambda p: (grid[p[0]][p[1]], p))
                status[i][j] = SECONDARY
                changed = True
