"""Monthly sums laid out as dense arrays, so a period's sums are a numpy sum.

A `CellGrid` holds, for one measure, each statistic as an array indexed
[group, stratum, month]; a period is a slice of months. Nothing goes back to
the database. (The board suite lays out all measures at once: suite.py.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .sums import STATISTICS, MonthlySums, design_sizes


@dataclass(frozen=True)
class CellGrid:
    """statistic → array[group, stratum, month] for months first_month .. first_month + months - 1.

    `stratum_sizes` [stratum]: each stratum's whole-design size (every stored row), so
    that every group and period is estimated as a domain of the one design.
    """

    by: tuple[str, ...]
    groups: list[tuple]
    first_month: int
    stats: dict[str, np.ndarray]
    stratum_sizes: np.ndarray

    @property
    def months(self) -> int:
        return self.stats["n"].shape[2]

    def window(self, *, first: int, last: int) -> dict[str, np.ndarray]:
        """Sums over months first..last (month numbers, inclusive): statistic → [group, stratum]."""
        lo = max(first - self.first_month, 0)
        hi = min(last - self.first_month + 1, self.months)
        if hi <= lo:
            return {s: np.zeros(a.shape[:2]) for s, a in self.stats.items()}
        return {s: a[:, :, lo:hi].sum(axis=2) for s, a in self.stats.items()}

    def select(self, groups: Sequence[tuple]) -> CellGrid:
        """The grid for exactly these groups, in this order; a group with no rows gets zeros."""
        index = {group: i for i, group in enumerate(self.groups)}
        stats = {}
        for stat, array in self.stats.items():
            out = np.zeros((len(groups),) + array.shape[1:])
            for row, group in enumerate(groups):
                if group in index:
                    out[row] = array[index[group]]
            stats[stat] = out
        return CellGrid(self.by, list(groups), self.first_month, stats, self.stratum_sizes)


_ETHNIC_ORDER = {"white": 0, "bme": 1, "not_stated": 2}


def group_sort_key(group: tuple) -> tuple:
    """Sort groups by their values; white, bme, not stated in that order; missing values last."""
    return tuple(
        (1, 0, "") if v is None else (0, _ETHNIC_ORDER.get(v, 3), str(v)) for v in group
    )


def _codes(values: Sequence) -> tuple[np.ndarray, list]:
    """Integer codes for values (None allowed), and the distinct values in code order."""
    distinct = {}
    codes = np.fromiter((distinct.setdefault(v, len(distinct)) for v in values), dtype=np.int64, count=len(values))
    return codes, list(distinct)


def grid_from_sums(sums: MonthlySums, *, measure: str, groups: Sequence[tuple] | None = None) -> CellGrid:
    """Lay out one measure's monthly sums as [group, stratum, month], months first .. last seen.

    `groups` (tuples of the by-columns' values) are the rows of the grid, in
    order: a group no row has gets zeros, and rows of a group not listed are
    left out. By default, the groups in the data. Rows with no month (an
    incident date left blank, with incident-date months) add to no month.
    """
    keys = list(zip(*(sums.keys[col] for col in sums.by), strict=True)) if sums.by else [()] * len(sums)
    listed = sorted(set(keys), key=group_sort_key) if groups is None else list(groups)
    group_index = {g: i for i, g in enumerate(listed)}
    group_codes = np.fromiter((group_index.get(k, -1) for k in keys), dtype=np.int64, count=len(keys))
    if sums.stratum is None:
        stratum_codes, strata = np.zeros(len(sums), dtype=np.int64), [None]
    else:
        stratum_codes, strata = _codes(sums.stratum.tolist())
    used = (sums.month >= 0) & (group_codes >= 0)
    first = int(sums.month[used].min()) if used.any() else 0
    span = int(sums.month[used].max()) - first + 1 if used.any() else 1
    shape = (len(listed), max(len(strata), 1), span)
    flat = np.ravel_multi_index((group_codes[used], stratum_codes[used], sums.month[used] - first), shape)
    stats = {
        stat: np.bincount(flat, weights=sums.sums[measure][stat][used], minlength=int(np.prod(shape))).reshape(shape)
        for stat in STATISTICS
    }
    return CellGrid(sums.by, listed, first, stats, design_sizes(sums, strata if sums.stratum is not None else None))
