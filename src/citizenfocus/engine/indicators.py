"""Indicator rows: a measure's rate with its interval for each group, and the gap between two groups.

What `citizenfocus indicators` prints. The source's engine cube (engine.cube: one group-by over
all months, keyed by the request's by-columns, strata, weight and date basis, so a group with no
responses in the period is still listed, with n = 0) is laid out as a grid and the period's
months are summed in numpy.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import product

import numpy as np

from citizenfocus.stats import (
    DEFAULT_METHOD,
    INTERVAL_METHODS,
    Period,
    compare_arrays,
    many_comparisons,
    parse_period,
    rate_arrays,
)

from .columns import DATE_BASES, ETHNIC_GROUPS, groupable_columns
from .cube import Cube, Grid, group_sort_key
from .sources import Source, SourceError
from .sums import month_start

METHODS = tuple(INTERVAL_METHODS)
ESTIMATE_FIELDS = ("n", "n_eff", "rate", "se", "ci_low", "ci_high", "df", "single_unit_strata")
GAP_FIELDS = ("diff", "ci_low", "ci_high", "z", "p", "p_interval", "p_adjusted", "verdict", "significant_fdr")


@dataclass(frozen=True)
class Request:
    """What an indicator query asks for, checked against the source before any query runs."""

    measure: str
    by: tuple[str, ...] = ()
    period: str | None = None
    strata: str | None = None
    weight: str = "weight"
    ci: str = DEFAULT_METHOD
    date_basis: str = "interview"
    level: float = 0.95

    def __post_init__(self):
        object.__setattr__(self, "by", tuple(self.by or ()))


def check_request(source: Source, request: Request) -> None:
    """Refuse an unknown measure, column or method with one clear message (SourceError)."""
    source.require_measure(request.measure)
    groupable = groupable_columns(source.table, source.definition)
    for col in request.by:
        if col not in groupable:
            raise SourceError(f"unknown --by column {col!r}; use one of {', '.join(groupable)}")
    if len(set(request.by)) != len(request.by):
        raise SourceError(f"a --by column is repeated: {', '.join(request.by)}")
    if request.strata is not None and request.strata not in source.table.columns:
        raise SourceError(f"unknown --strata column {request.strata!r}")
    if request.strata in request.by:
        raise SourceError(f"--strata {request.strata!r} is also a --by column")
    weight_type = source.table.schema().get(request.weight)
    if weight_type is None or not weight_type.is_numeric():
        raise SourceError(f"--weight {request.weight!r} is not a numeric column")
    if request.ci not in METHODS:
        raise SourceError(f"unknown --ci method {request.ci!r}; use one of {', '.join(METHODS)}")
    if not 0 < request.level < 1:
        raise SourceError(f"confidence level must be between 0 and 1, not {request.level}")
    if request.date_basis not in DATE_BASES:
        raise SourceError(f"unknown date basis {request.date_basis!r}; use {' or '.join(DATE_BASES)}")
    if request.period is not None:
        parse_period(request.period)  # a bad period is refused before any query runs


def request_cube(source: Source, request: Request, by: tuple[str, ...]) -> Cube:
    """The engine cube the request reads: the persisted one when it holds the request (engine.stored.cube_for),
    else one group-by of the source. `month` is not a database column of the group-by (every cube has the
    month), so it is left out of the cube's dimensions."""
    from .stored import cube_for

    asked = {"dimensions": tuple(c for c in by if c != "month"), "strata": request.strata,
             "measures": (request.measure,), "weight": request.weight, "date_basis": request.date_basis}
    return cube_for(source, **asked) or Cube.from_source(source, **asked)


def _listed_groups(cube: Cube, by: tuple[str, ...], period: Period) -> list[tuple]:
    """The groups to report: those in the data (any month), every ethnic group, every month of the period.

    So a group with no responses in the period is listed with n = 0, never dropped.
    """
    filled = {
        "ethnic_group": ETHNIC_GROUPS,
        "month": [month_start(m).isoformat()[:7] for m in range(period.first, period.last + 1)],
    }
    if not any(c in filled for c in by):
        return sorted(cube.observed(by), key=group_sort_key)
    fixed = tuple(c for c in by if c not in filled)
    bases = set(cube.observed(fixed)) or {()}
    groups = []
    for base, combo in product(bases, product(*(filled[c] for c in by if c in filled))):
        values, given, chosen = [], iter(base), iter(combo)
        for column in by:
            values.append(next(chosen) if column in filled else next(given))
        groups.append(tuple(values))
    return sorted(groups, key=group_sort_key)


def _grid(source: Source, request: Request, by: tuple[str, ...]) -> tuple[Grid, Period]:
    cube = request_cube(source, request, by)
    latest = cube.latest_month()
    if latest is None:
        raise SourceError("there are no responses with a date to report on")
    period = resolve_period(request.period, latest=latest)
    return cube.grid(request.measure, by=by, groups=_listed_groups(cube, by, period)), period


def resolve_period(spec: str | None, *, latest: int) -> Period:
    """The period asked for; by default the 12 months to the latest month with data."""
    if spec is None:
        return parse_period(f"rolling12:{month_start(latest).isoformat()[:7]}")
    return parse_period(spec)


def _estimate(grid: Grid, period: Period, *, deft: float, request: Request) -> dict[str, np.ndarray]:
    window = grid.window(first=period.first, last=period.last)  # [group, stratum]
    return rate_arrays(window, stratum_sizes=grid.stratum_sizes, deft=deft, method=request.ci, level=request.level)


def indicator_rows(source: Source, request: Request | None = None, /, **fields) -> list[dict]:
    """One row per group: group (by-column → value), n, n_eff, rate, se, ci_low, ci_high, method.

    Pass a Request (the CLI does), or its fields as keywords (measure, by, period,
    strata, weight, ci, date_basis, level). Rates are proportions (0–1). A group with no responses
    in the period has n = 0 and no rate. The survey definition's deft applies.
    """
    request = _request(source, request, fields)
    check_request(source, request)
    grid, period = _grid(source, request, request.by)
    est = _estimate(grid, period, deft=source.definition.deft, request=request)
    return [
        {
            "group": dict(zip(request.by, group, strict=True)),
            "measure": request.measure,
            **_period_fields(period),
            **_estimate_fields(est, i),
            "method": request.ci,
        }
        for i, group in enumerate(grid.groups)
    ]


def gap_rows(source: Source, request: Request | None = None, /, *, groups: Sequence[str] = ("white", "bme"),
             **fields) -> list[dict]:
    """Per group of the --by columns: first minus second ethnic group, Newcombe interval, z, p, verdict.

    Each side's own estimate (n, rate, interval) is included under its name so
    the gap is never read without its bases. A side with no responses gives
    verdict "no data", not an error.
    """
    request = _request(source, request, fields)
    check_request(source, request)
    first, second = _gap_groups(groups)
    if "ethnic_group" in request.by:
        raise SourceError("--gap compares ethnic groups: leave ethnic_group out of --by")
    grid, period = _grid(source, request, (*request.by, "ethnic_group"))
    areas = sorted({g[:-1] for g in grid.groups}, key=group_sort_key)
    sides = {
        name: _estimate(grid.select([(*area, name) for area in areas]), period,
                        deft=source.definition.deft, request=request)
        for name in (first, second)
    }
    gap = compare_arrays(sides[first], sides[second], level=request.level)
    gap.update(many_comparisons(gap["p_interval"], gap["verdict"]))
    return [
        {
            "group": dict(zip(request.by, area, strict=True)),
            "measure": request.measure,
            **_period_fields(period),
            "comparison": f"{first} - {second}",
            **{field: plain(gap[field][i]) for field in GAP_FIELDS},
            **{name: _estimate_fields(sides[name], i) for name in (first, second)},
        }
        for i, area in enumerate(areas)
    ]


def _request(source: Source, request: Request | None, fields: dict) -> Request:
    """The request, with the survey definition's strata when none are asked for (one design everywhere)."""
    if request is None:
        try:
            request = Request(**fields)
        except TypeError as exc:
            raise TypeError(f"indicator request: {exc}") from None
    elif fields:
        raise TypeError(f"indicator request: give a Request or its fields, not both ({', '.join(fields)})")
    if request.strata is None and source.definition.strata not in request.by:
        request = replace(request, strata=source.definition.strata)
    return request


def _gap_groups(groups: Sequence[str]) -> tuple[str, str]:
    groups = tuple(groups)
    if len(groups) != 2 or len(set(groups)) != 2 or any(g not in ETHNIC_GROUPS for g in groups):
        raise SourceError(f"--gap needs two different ethnic groups from {', '.join(ETHNIC_GROUPS)}, e.g. white,bme")
    return groups[0], groups[1]


def _period_fields(period: Period) -> dict:
    return {"period": period.spec, "period_label": period.label}


def _estimate_fields(est: dict[str, np.ndarray], i: int) -> dict:
    fields = {field: plain(est[field][i]) for field in ESTIMATE_FIELDS}
    fields["n"] = int(est["n"][i])
    return fields


def plain(value):
    """A JSON-ready Python value from a numpy one: NaN and infinities (no estimate) become None."""
    if isinstance(value, np.str_ | str):
        return str(value)
    value = value.item() if hasattr(value, "item") else value
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
