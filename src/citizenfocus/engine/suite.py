"""The board suite: every measure × {all, white, BME, gap} × force, divisions, neighbourhoods × rolling windows.

What a scrutiny board pack needs, from ONE engine cube (engine.cube: month × division ×
neighbourhood × ethnic group, all measures at once, one group-by). Everything after it is a
handful of numpy operations over all cells together: the cube's grid
[statistic][measure, neighbourhood × ethnic group, stratum, month], roll-ups to division
and force as a matrix product, rolling windows as differences of cumulative
sums, then intervals and gap verdicts for every cell at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from citizenfocus.stats import DEFAULT_METHOD, compare_arrays, rate_arrays

from .cube import Cube, group_sort_key
from .sources import Source
from .sums import month_start

SUITE_BY = ("division", "neighbourhood", "ethnic_group")
GROUPS = ("all", "white", "bme")
ETHNIC_AXIS = ("white", "bme", "not_stated")


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
    strata = source.definition.strata if source.definition.strata not in SUITE_BY else None
    from .stored import cube_for

    asked = {"dimensions": SUITE_BY, "strata": strata, "measures": measures, "date_basis": date_basis}
    cube = cube_for(source, **asked) or Cube.from_source(source, **asked)
    return suite_from_cube(cube, windows=windows, window_months=window_months, method=method, level=level)


def suite_from_cube(cube: Cube, *, windows: int = 36, window_months: int = 12, method: str = DEFAULT_METHOD,
                    level: float = 0.95) -> BoardSuite:
    """The suite from a cube with at least the dimensions of SUITE_BY (its measures, its strata)."""
    measures = cube.measures
    neighbourhoods = sorted(cube.observed(("division", "neighbourhood"), dated=True), key=group_sort_key)
    grid = cube.grid(measures, by=SUITE_BY, groups=[(*pair, e) for pair in neighbourhoods for e in ETHNIC_AXIS])
    base = {s: a.reshape(len(measures), len(neighbourhoods), len(ETHNIC_AXIS), *a.shape[2:])
            for s, a in grid.stats.items()}  # [measure, neighbourhood, ethnic group, stratum, month]
    first = grid.first_month
    areas, membership = _areas(neighbourhoods)
    rolled = _rolled(base, membership, first=first, windows=windows, window_months=window_months)
    # every area, group and window is a domain of the one design: the whole source
    estimates = rate_arrays(rolled, stratum_sizes=grid.stratum_sizes, deft=cube.definition.deft,
                            method=method, level=level)
    white, bme = ({k: v[:, :, g] for k, v in estimates.items()} for g in (1, 2))
    gap = compare_arrays(white, bme, level=level)
    months = base["n"].shape[-1]
    ends = tuple(range(first + months - windows, first + months))
    estimates.pop("single_unit_strata")
    estimates["n"] = estimates["n"].astype(np.int64)
    return BoardSuite(measures, areas, ends, window_months, estimates, gap)


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
