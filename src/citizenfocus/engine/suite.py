"""The board suite: every measure × {all, white, BME, gap} × force, divisions, neighbourhoods × rolling windows.

What a scrutiny board pack needs, from ONE group-by (month × division ×
neighbourhood × ethnic group, all measures at once). Everything after it is a
handful of numpy operations over all cells together: a dense array
[statistic][measure, neighbourhood, ethnic group, month], roll-ups to division
and force as a matrix product, rolling windows as differences of cumulative
sums, then intervals and gap verdicts for every cell at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from citizenfocus.stats import DEFAULT_METHOD, compare_arrays, rate_arrays

from .cells import group_sort_key
from .columns import with_derived_columns
from .sources import Source
from .sums import STATISTICS, MonthlySums, design_sizes, month_start, sums_by

SUITE_BY = ("division", "neighbourhood", "ethnic_group")
GROUPS = ("all", "white", "bme")


@dataclass(frozen=True)
class Area:
    level: str  # force, division or neighbourhood
    division: str | None = None
    neighbourhood: str | None = None


@dataclass(frozen=True)
class BoardSuite:
    """Arrays indexed [measure, area, group, window end] (estimates) and [measure, area, end] (gap)."""

    measures: tuple[str, ...]
    areas: tuple[Area, ...]
    ends: tuple[int, ...]  # month numbers of each window's last month
    window_months: int
    estimates: dict[str, np.ndarray]  # n, n_eff, rate, se, ci_low, ci_high; group axis as GROUPS
    gap: dict[str, np.ndarray]  # white − BME: diff, ci_low, ci_high, z, p, verdict

    @property
    def cells(self) -> int:
        """Rates (all, white, BME) plus gaps."""
        return self.estimates["rate"].size + self.gap["diff"].size

    def rows(self) -> list[dict]:
        """Long form: one dict per measure × area × window end × group, then the gap."""
        estimates = {k: _listed(v) for k, v in self.estimates.items()}
        gap = {k: _listed(v) for k, v in self.gap.items()}
        labels = [month_start(end).isoformat()[:7] for end in self.ends]
        rows = []
        for m, measure in enumerate(self.measures):
            for a, area in enumerate(self.areas):
                for j, label in enumerate(labels):
                    base = {"measure": measure, "level": area.level, "division": area.division,
                            "neighbourhood": area.neighbourhood, "window_end": label,
                            "window_months": self.window_months}
                    for g, group in enumerate(GROUPS):
                        rows.append({**base, "group": group, **{k: v[m][a][g][j] for k, v in estimates.items()}})
                    rows.append({**base, "group": "gap", **{k: v[m][a][j] for k, v in gap.items()}})
        return rows


def _listed(array: np.ndarray) -> list:
    """Nested lists of plain Python values (NaN as None): one conversion for the whole array."""
    if array.dtype.kind in "US":
        return array.tolist()
    return np.where(np.isfinite(array), array, None).tolist()


def board_suite(
    source: Source,
    *,
    measures: tuple[str, ...] | None = None,
    windows: int = 36,
    window_months: int = 12,
    method: str = DEFAULT_METHOD,
    level: float = 0.95,
    date_basis: str = "interview",
) -> BoardSuite:
    """Every measure's rolling rates and white − BME gaps for windows ending at each of the last `windows` months."""
    measures = tuple(measures or source.measures)
    for key in measures:
        source.require_measure(key)
    table = with_derived_columns(source.table, definition=source.definition, date_basis=date_basis)
    strata = source.definition.strata if source.definition.strata not in SUITE_BY else None
    sums = sums_by(table, measures=measures, by=SUITE_BY, strata=strata)
    base, neighbourhoods, first, strata_order = _dense(sums, measures)
    areas, membership = _areas(neighbourhoods)
    rolled = _rolled(base, membership, first=first, windows=windows, window_months=window_months)
    # every area, group and window is a domain of the one design: the whole source
    estimates = rate_arrays(rolled, stratum_sizes=design_sizes(sums, strata_order), deft=source.definition.deft,
                            method=method, level=level)
    white, bme = ({k: v[:, :, g] for k, v in estimates.items()} for g in (1, 2))
    gap = compare_arrays(white, bme, level=level)
    months = base["n"].shape[-1]
    ends = tuple(range(first + months - windows, first + months))
    estimates.pop("single_unit_strata")
    estimates["n"] = estimates["n"].astype(np.int64)
    return BoardSuite(measures, areas, ends, window_months, estimates, gap)


def _dense(sums: MonthlySums, measures: tuple[str, ...]):
    """statistic → [measure, neighbourhood, ethnic group (white, bme, not stated), stratum, month].

    Also returns the neighbourhoods, the first month and the strata in axis order (None: one stratum).
    """
    dated = sums.month >= 0
    pairs = list(zip(sums.keys["division"][dated], sums.keys["neighbourhood"][dated], strict=True))
    neighbourhoods = sorted(set(pairs), key=group_sort_key)
    index = {pair: i for i, pair in enumerate(neighbourhoods)}
    hood = np.fromiter((index[p] for p in pairs), dtype=np.int64, count=len(pairs))
    named = sums.keys["ethnic_group"][dated].astype(str)
    ethnic = np.select([named == "white", named == "bme"], [0, 1], 2)  # not stated 2
    month = sums.month[dated]
    first = int(month.min()) if month.size else 0
    months = int(month.max()) - first + 1 if month.size else 1
    if sums.stratum is None:
        strata_order, stratum = None, np.zeros(int(dated.sum()), dtype=np.int64)
    else:
        strata_order = sorted(set(sums.stratum.tolist()), key=str)
        position = {value: i for i, value in enumerate(strata_order)}
        stratum = np.fromiter((position[v] for v in sums.stratum[dated]), dtype=np.int64, count=int(dated.sum()))
    shape = (len(neighbourhoods), 3, len(strata_order or [None]), months)
    flat = np.ravel_multi_index((hood, ethnic, stratum, month - first), shape)
    size = int(np.prod(shape))
    base = {
        stat: np.stack([
            np.bincount(flat, weights=sums.sums[m][stat][dated], minlength=size).reshape(shape) for m in measures
        ])
        for stat in STATISTICS
    }
    return base, neighbourhoods, first, strata_order


def _areas(neighbourhoods: list[tuple]) -> tuple[tuple[Area, ...], np.ndarray]:
    """The force, each division, each neighbourhood, and a 0/1 matrix [area, neighbourhood] of who is in what."""
    divisions = sorted({d for d, _ in neighbourhoods}, key=lambda d: group_sort_key((d,)))
    areas = [Area("force")] + [Area("division", d) for d in divisions]
    areas += [Area("neighbourhood", d, n) for d, n in neighbourhoods]
    membership = np.zeros((len(areas), len(neighbourhoods)))
    membership[0, :] = 1
    for j, (d, _) in enumerate(neighbourhoods):
        membership[1 + divisions.index(d), j] = 1
        membership[1 + len(divisions) + j, j] = 1
    return tuple(areas), membership


def _rolled(base, membership, *, first: int, windows: int, window_months: int) -> dict[str, np.ndarray]:
    """statistic → [measure, area, group (all, white, bme), window end, stratum]."""
    out = {}
    for stat, array in base.items():
        by_area = np.einsum("an,mnest->maest", membership, array)
        groups = np.stack([by_area.sum(axis=2), by_area[:, :, 0], by_area[:, :, 1]], axis=2)
        cumulative = np.concatenate([np.zeros(groups.shape[:-1] + (1,)), np.cumsum(groups, axis=-1)], axis=-1)
        months = groups.shape[-1]
        ends = np.arange(months - windows, months)
        upper = np.clip(ends + 1, 0, months)
        lower = np.clip(ends + 1 - window_months, 0, months)
        out[stat] = np.moveaxis(cumulative[..., upper] - cumulative[..., lower], 3, 4)
    return out
