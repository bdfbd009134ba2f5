"""The engine cube: the one owner of the sufficient statistics every figure is made from.

A `Cube` holds the monthly sums (n, Σw, Σwy, Σw², Σw²y per measure, plus every row) of one
GROUP BY, month × dimensions × stratum, and is keyed by what it was grouped by (`CubeKey`:
dimensions, strata, weight, date basis, measures). It is built either

- from a source, with one `sums_by` call (`Cube.from_source`: the CLI, the board suite, files), or
- from the sums persisted in the database at import (`engine.stored.load_cube`: the dashboard's
  standard cube, `STANDARD_DIMENSIONS`, read from thousands of stored cells, not the responses).

Every reader takes slices of it with ONE layout code, `Cube.grid`: a dense array
statistic → [measure, group, stratum, month] for any by-columns, any cell selection and any
months, from which a period is a sum over the month axis (`Grid.window`). The CLI's indicator and
gap rows (engine.indicators), the board suite (engine.suite) and every dashboard page
(`Cube.sums` / `Cube.monthly`, through performance.cube.get_cube) read these slices.

Where the overview page's gap comes from: performance/pages/overview.py `_by_group` →
`Cube.sums` (here) → `Cube.grid` → the cells loaded by engine/stored.py `load_cube`, which
`refresh_months` keeps equal to engine/sums.py `sums_by` (the one SQL GROUP BY) at each import.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .columns import with_derived_columns
from .sums import STATISTICS, MonthlySums, month_start, sums_by

# The dashboard's standard cube: every page is a slice of month × these (engine.stored persists it).
STANDARD_DIMENSIONS = ("division", "neighbourhood", "crime_type", "age_band", "ethnic_group")

_ETHNIC_ORDER = {"white": 0, "bme": 1, "not_stated": 2}


def group_sort_key(group: tuple) -> tuple:
    """Sort groups by their values; white, bme, not stated in that order; missing values last."""
    return tuple(
        (1, 0, "") if v is None else (0, _ETHNIC_ORDER.get(v, 3), str(v)) for v in group
    )


@dataclass(frozen=True)
class CubeKey:
    """What a cube was grouped by: two cubes with the same key hold the same sums."""

    dimensions: tuple[str, ...]
    strata: str | None
    measures: tuple[str, ...]
    weight: str = "weight"
    date_basis: str = "interview"


@dataclass(frozen=True)
class Grid:
    """statistic → array[measure, group, stratum, month] for months first_month .. first_month + months - 1.

    `stratum_sizes` [stratum]: each stratum's whole-design size (every row of the cube), so that
    every group and period is estimated as a domain of the one design.
    """

    by: tuple[str, ...]
    measures: tuple[str, ...]
    groups: list[tuple]
    first_month: int
    stats: dict[str, np.ndarray]
    strata: list
    stratum_sizes: np.ndarray

    @property
    def months(self) -> int:
        return self.stats["n"].shape[3]

    def window(self, *, first: int, last: int, measure: int | None = 0) -> dict[str, np.ndarray]:
        """Sums over months first..last (inclusive): statistic → [group, stratum] for one measure
        (by position), or [measure, group, stratum] with measure=None."""
        lo = max(first - self.first_month, 0)
        hi = min(last - self.first_month + 1, self.months)
        out = {}
        for stat, array in self.stats.items():
            chosen = array if measure is None else array[measure]
            out[stat] = chosen[..., lo:hi].sum(axis=-1) if hi > lo else np.zeros(chosen.shape[:-1])
        return out

    def select(self, groups: Sequence[tuple]) -> Grid:
        """The grid for exactly these groups, in this order; a group not in it gets zeros."""
        index = {group: i for i, group in enumerate(self.groups)}
        stats = {}
        for stat, array in self.stats.items():
            out = np.zeros((array.shape[0], len(groups)) + array.shape[2:])
            for row, group in enumerate(groups):
                if group in index:
                    out[:, row] = array[:, index[group]]
            stats[stat] = out
        return Grid(self.by, self.measures, list(groups), self.first_month, stats, self.strata, self.stratum_sizes)


class Cube:
    """Monthly sums of one GROUP BY (see the module docstring); slices with `grid`, `sums`, `monthly`.

    `definition`, `survey_key` and `version` say whose data it is (the dashboard keys its memo by them).
    """

    def __init__(self, sums: MonthlySums, *, key: CubeKey, definition=None, survey_key: str = "",
                 version: tuple = ()):
        if tuple(sums.by) != key.dimensions:
            raise ValueError(f"sums grouped by {sums.by}, cube key says {key.dimensions}")
        self.key = key
        self.data = sums  # the MonthlySums the cube holds
        self.definition = definition
        self.survey_key = survey_key
        self.version = version
        self.month = sums.month
        # Each dimension as integer codes into its sorted values (None last): slicing is integer work.
        self._values: dict[str, list] = {}
        self._codes: dict[str, np.ndarray] = {}
        for dim in sums.by:
            self._values[dim], self._codes[dim] = _encode(sums.keys[dim])
        if "month" not in self._values:  # a by-column like any other: its values are "YYYY-MM" labels
            numbers = np.unique(self.month)
            self._values["month"] = [month_start(m).isoformat()[:7] if m >= 0 else None for m in numbers.tolist()]
            if numbers.size and numbers[0] < 0:  # None last, as for every dimension
                self._values["month"] = self._values["month"][1:] + [None]
                codes = np.searchsorted(numbers, self.month) - 1
                self._codes["month"] = np.where(codes < 0, len(numbers) - 1, codes)
            else:
                self._codes["month"] = np.searchsorted(numbers, self.month)
        stratum = sums.stratum if sums.stratum is not None else (
            sums.keys[key.strata] if key.strata in sums.keys else None)
        if key.strata is not None and stratum is None:
            raise ValueError(f"strata {key.strata!r} is neither the cube's stratum nor one of its dimensions")
        self._stratum = None if stratum is None else _encode(stratum)

    # -- building -------------------------------------------------------------------------------------

    @classmethod
    def from_source(cls, source, *, dimensions: Sequence[str], strata: str | None = None,
                    measures: Sequence[str] | None = None, weight: str = "weight",
                    date_basis: str = "interview") -> Cube:
        """One GROUP BY of the source (engine.sums.sums_by). A `strata` among `dimensions` is read from them."""
        dimensions = tuple(dimensions)
        measures = tuple(measures or source.measures)
        table = with_derived_columns(source.table, definition=source.definition, date_basis=date_basis)
        in_sql_strata = strata if strata not in dimensions else None
        sums = sums_by(table, measures=measures, by=dimensions, strata=in_sql_strata, weight=weight)
        key = CubeKey(dimensions, strata, measures, weight, date_basis)
        return cls(sums, key=key, definition=source.definition)

    def rekeyed(self, key: CubeKey, *, definition=None, survey_key: str = "", version: tuple = ()) -> Cube:
        """The same sums under another key (its strata, a subset of its measures), sharing this cube's
        encoded dimensions instead of encoding its cells again: what Cube(self.data, key=key) builds."""
        if key.dimensions != self.key.dimensions:
            raise ValueError(f"sums grouped by {self.key.dimensions}, new key says {key.dimensions}")
        if not set(key.measures) <= set(self.data.measures):
            raise ValueError(f"measures {key.measures} are not all in the cube's sums {self.data.measures}")
        if self.data.stratum is not None or (key.strata is not None and key.strata not in self.data.keys):
            return Cube(self.data, key=key, definition=definition, survey_key=survey_key, version=version)
        cube = object.__new__(Cube)
        cube.__dict__.update(self.__dict__)
        cube._values, cube._codes = dict(self._values), dict(self._codes)
        cube.key, cube.definition, cube.survey_key, cube.version = key, definition, survey_key, version
        cube._stratum = None if key.strata is None else (self._values[key.strata], self._codes[key.strata])
        return cube

    # -- facts about the cube ---------------------------------------------------------------------------

    @property
    def dimensions(self) -> tuple[str, ...]:
        return self.key.dimensions

    @property
    def measures(self) -> tuple[str, ...]:
        return self.key.measures

    @property
    def strata(self) -> str | None:
        return self.key.strata

    @property
    def design_size(self) -> float:
        """Every row the cube counts (dated or not): the design each figure's groups are domains of."""
        return float(self.data.rows.sum())

    def strata_values(self, *, named_only: bool = False) -> list:
        """The stratum axis: sorted values, a missing stratum (None) last unless `named_only`."""
        if self._stratum is None:
            return [None]
        values = self._stratum[0]
        present = np.unique(self._stratum[1])
        listed = [values[c] for c in present]
        return [v for v in listed if v is not None] if named_only else listed

    def _stratum_sizes(self, strata: list) -> np.ndarray:
        if self._stratum is None:
            return np.array([self.design_size])
        values, codes = self._stratum
        totals = np.bincount(codes, weights=self.data.rows, minlength=len(values))
        position = {v: i for i, v in enumerate(values)}
        return np.array([totals[position[v]] if v in position else 0.0 for v in strata])

    @property
    def stratum_sizes(self) -> pd.Series | None:
        """Named stratum → every row of the cube in it; None without strata."""
        if self._stratum is None:
            return None
        strata = self.strata_values(named_only=True)
        return pd.Series(self._stratum_sizes(strata), index=pd.Index(strata, name=self.strata))

    @property
    def single_unit_strata(self) -> int:
        """Strata of the design with one response: they add nothing to any variance."""
        sizes = self.stratum_sizes
        return 0 if sizes is None else int((sizes == 1).sum())

    def design(self) -> dict:
        """What a page says about the design its figures are domains of (the JSON twin's `design`)."""
        sizes = self.stratum_sizes
        return {"responses": int(self.design_size), "strata": self.strata,
                "strata_count": None if sizes is None else len(sizes),
                "single_unit_strata": self.single_unit_strata}

    @property
    def first_month(self) -> int:
        return int(self.month[self.month >= 0].min())

    @property
    def last_month(self) -> int:
        return int(self.month[self.month >= 0].max())

    def latest_month(self) -> int | None:
        dated = self.month[self.month >= 0]
        return int(dated.max()) if dated.size else None

    def first_answered(self, measure: str) -> int | None:
        """The first month with a response in the measure's base, anywhere in the survey (None: no month).

        A question a force added to its survey part way through has none before it was first asked:
        those months are not months of a rate, and a trend starts after them.
        """
        answered = (self.month >= 0) & (self.data.sums[measure]["n"] > 0)
        return int(self.month[answered].min()) if answered.any() else None

    def month_label(self, number: int) -> str:
        return month_start(number).strftime("%b %Y")

    def values(self, dim: str, *, dated: bool = False) -> list:
        """The values of one dimension (None for missing) found in the cube (dated cells only with `dated`)."""
        values, codes = self._values[dim], self._codes[dim]
        if dated:
            codes = codes[self.month >= 0]
        return [values[c] for c in np.unique(codes)]

    def observed(self, by: Sequence[str], *, dated: bool = False) -> list[tuple]:
        """The distinct combinations of the by-columns found in the cube (any month)."""
        by = tuple(by)
        if not by:
            return [()]
        sizes = tuple(len(self._values[d]) for d in by)
        combined = np.ravel_multi_index(tuple(self._codes[d] for d in by), sizes)
        if dated:
            combined = combined[self.month >= 0]
        # one integer per combination: a 1-D unique (a sort of integers), in the order of the codes
        combos = np.unravel_index(np.unique(combined), sizes)
        return [tuple(self._values[d][c] for d, c in zip(by, row, strict=True))
                for row in zip(*(a.tolist() for a in combos), strict=True)]

    # -- the one layout ---------------------------------------------------------------------------------

    def grid(self, measures: str | Sequence[str], *, by: Sequence[str] = (), groups: Sequence[tuple] | None = None,
             where: np.ndarray | None = None, months: tuple[int, int] | None = None,
             named_strata: bool = False) -> Grid:
        """Lay out measures' sums as statistic → [measure, group, stratum, month].

        `groups` (tuples of the by-columns' values, in order) are the group axis: a group with no cells
        gets zeros and cells of a group not listed are left out; by default the groups of the cells used,
        sorted, a group with a missing (None) value left out. `where` selects cells (Cube.slice).
        `months` (first, last) fixes the month axis; by default it runs from the first to the last month
        of the cells used. Undated cells (an incident date left blank) add to no month. `named_strata`
        leaves out cells whose stratum is missing (the dashboard's design); otherwise it is a stratum.
        """
        measures = (measures,) if isinstance(measures, str) else tuple(measures)
        by = tuple(by)
        used = self.month >= 0
        if where is not None:
            used &= where
        if months is not None:
            used &= (self.month >= months[0]) & (self.month <= months[1])
        strata = self.strata_values(named_only=named_strata)
        if self._stratum is None:
            stratum_codes = np.zeros(len(self.month), dtype=np.int64)
        else:
            values, codes = self._stratum
            position = np.full(len(values), -1, dtype=np.int64)
            for i, value in enumerate(strata):
                position[values.index(value)] = i
            stratum_codes = position[codes]
            used &= stratum_codes >= 0
        group_codes, listed = self._group_codes(by, groups, used)
        used &= group_codes >= 0
        if months is not None:
            first, span = months[0], months[1] - months[0] + 1
        elif used.any():
            first = int(self.month[used].min())
            span = int(self.month[used].max()) - first + 1
        else:
            first, span = 0, 1
        shape = (len(listed), len(strata), span)
        flat = np.ravel_multi_index((group_codes[used], stratum_codes[used], self.month[used] - first), shape)
        size = int(np.prod(shape))
        stats = {
            stat: np.stack([
                np.bincount(flat, weights=self.data.sums[m][stat][used], minlength=size).reshape(shape)
                for m in measures
            ]) if measures else np.zeros((0, *shape))
            for stat in STATISTICS
        }
        return Grid(by, measures, listed, first, stats, strata, self._stratum_sizes(strata))

    def _group_codes(self, by: tuple[str, ...], groups: Sequence[tuple] | None,
                     used: np.ndarray) -> tuple[np.ndarray, list[tuple]]:
        """Each cell's position on the group axis (-1: not on it), and the axis' groups."""
        if not by:
            return np.zeros(len(self.month), dtype=np.int64), [()]
        sizes = tuple(len(self._values[d]) for d in by)
        combined = np.ravel_multi_index(tuple(self._codes[d] for d in by), sizes)
        if groups is None:  # the groups of the cells used, none with a missing value, sorted
            keep = used.copy()
            for d in by:
                if self._values[d] and self._values[d][-1] is None:
                    keep &= self._codes[d] != len(self._values[d]) - 1
            axis = np.unique(combined[keep])
            listed = [tuple(self._values[d][c] for d, c in zip(by, codes, strict=True))
                      for codes in zip(*(a.tolist() for a in np.unravel_index(axis, sizes)), strict=True)]
        else:
            listed = list(groups)
            lookup = [{v: i for i, v in enumerate(self._values[d])} for d in by]
            axis = np.array([
                np.ravel_multi_index(tuple(lookup[j][v] for j, v in enumerate(group)), sizes)
                if all(v in lookup[j] for j, v in enumerate(group)) else -1
                for group in listed
            ], dtype=np.int64)
        if not len(axis):
            return np.full(len(self.month), -1, dtype=np.int64), listed
        order = np.argsort(axis, kind="stable")
        found = np.clip(np.searchsorted(axis[order], combined), 0, len(axis) - 1)
        position = np.where(axis[order][found] == combined, order[found], -1)
        return position, listed

    # -- the dashboard's slices -------------------------------------------------------------------------

    def slice(self, **filters: str | None) -> np.ndarray:
        """The dated cells inside the filters (dimension=value, names as stored; None: any)."""
        mask = self.month >= 0
        for dim, value in filters.items():
            if value:
                values = self._values[dim]
                mask = mask & (self._codes[dim] == values.index(value)) if value in values else mask & False
        return mask

    def sums(self, where: np.ndarray | None, measure: str, *, by: Sequence[str] = (),
             months: tuple[int, int] | None = None, strata: bool = True) -> pd.DataFrame:
        """Σ of the five statistics of one measure over `months` (inclusive) by `by`, as a table for a page.

        One row per group found (sorted; by=() gives one row, index [0]). Without strata the columns are
        the statistics; with strata they are (statistic, stratum), a stratum with no rows holding zeros,
        so performance.figures.estimates sees each stratum's sums (`strata=False`: summed over them).
        A layout of `grid`, nothing else.
        """
        by = tuple(by)
        where = self.slice() if where is None else where
        grid = self.grid(measure, by=by, where=where, months=months,
                         named_strata=strata) if "month" not in by else None
        if grid is None:  # by month: the month axis is the group axis
            return self._by_month(where, measure, by=by, months=months)
        summed = {s: a[0].sum(axis=-1) for s, a in grid.stats.items()}  # [group, stratum]
        if not strata:
            summed = {s: a.sum(axis=1, keepdims=True) for s, a in summed.items()}
        return self._table(summed, grid.groups, by, grid.strata if strata else None)

    def _by_month(self, where, measure, *, by, months) -> pd.DataFrame:
        if by != ("month",):
            raise ValueError("a monthly table is by month alone")
        grid = self.grid(measure, where=where, months=months, named_strata=True)
        present = np.flatnonzero(np.isin(np.arange(grid.first_month, grid.first_month + grid.months),
                                         self.month[where & (self.month >= 0)]))
        summed = {s: a[0, 0][:, present].T for s, a in grid.stats.items()}  # [month, stratum]
        groups = [(grid.first_month + int(i),) for i in present]
        return self._table(summed, groups, by, grid.strata)

    def _table(self, summed: dict[str, np.ndarray], groups: list[tuple], by: tuple[str, ...],
               strata: list) -> pd.DataFrame:
        if by:
            index = (pd.Index([g[0] for g in groups], name=by[0]) if len(by) == 1
                     else pd.MultiIndex.from_tuples(groups, names=list(by)))
        else:
            index = [0]
        if self.strata is None or strata is None:
            return pd.DataFrame({s: summed[s][:, 0] for s in STATISTICS}, index=index)
        columns = pd.MultiIndex.from_product([list(STATISTICS), strata])
        data = np.concatenate([summed[s] for s in STATISTICS], axis=1) if groups else np.zeros((0, len(columns)))
        return pd.DataFrame(data, index=index, columns=columns)

    def monthly(self, where: np.ndarray | None, measure: str, *, first: int, last: int) -> pd.DataFrame:
        """One row per month first..last (months with no responses hold zeros): a trend's sums."""
        where = self.slice() if where is None else where
        grid = self.grid(measure, where=where, months=(first, last), named_strata=True)
        summed = {s: a[0, 0].T for s, a in grid.stats.items()}  # [month, stratum]
        return self._table(summed, [(m,) for m in range(first, last + 1)], ("month",), grid.strata)


def _encode(values: np.ndarray) -> tuple[list, np.ndarray]:
    """Sorted distinct values (None last) and each value's integer code (pandas' hashing, not a Python loop)."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=True)
    uniques = list(uniques)
    order = sorted(range(len(uniques)), key=lambda i: str(uniques[i]))
    position = np.empty(len(uniques) + 1, dtype=np.int64)
    position[order] = np.arange(len(uniques))
    distinct = [uniques[i] for i in order]
    if (codes < 0).any():  # a missing value: its own code, after every value
        distinct.append(None)
    position[-1] = len(uniques)  # codes of -1 (missing) index the last slot
    return distinct, position[codes].astype(np.int64)

