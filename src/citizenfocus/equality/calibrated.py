"""Public confidence in a neighbourhood with the respondents' weights raked to its census margins
(age band and sex of residents aged 16 and over, and White or minority ethnic), beside the unweighted-to-census figure.

Respondents whose age, sex (other than female or male, as the census table counts) or ethnicity is not
stated cannot be placed in a margin and are left out of the calibrated figure; the page says how many.
"""

from __future__ import annotations

import numpy as np

from citizenfocus.engine.indicators import resolve_period
from citizenfocus.engine.sums import month_start
from citizenfocus.performance.cube import get_cube
from citizenfocus.stats.calibration import (
    CalibrationError,
    calibrate_weights,
    calibrated_mean,
    margin_matrix,
)

from . import population, survey_figures


def calibrated_confidence(hood) -> dict | None:
    """{n, left_out, rate, se, ci_low, ci_high, note} for the confidence survey's overall measure over its
    latest 12 months, raked to the census; None when nothing is stored."""
    cube = get_cube("confidence")
    if cube is None:
        return None
    period = resolve_period(None, latest=cube.last_month)
    first, before = month_start(period.first), month_start(period.last + 1)
    measure = cube.definition.overall_measure.key
    rows = survey_figures.respondents_for_calibration(survey="confidence", neighbourhood=hood, measure=measure,
                                                      first=first, before=before)
    ages = population.age_sex(hood)
    groups = {g: n for g, n in population.ethnic_groups(hood).items() if n}
    usable = [r for r in rows if (r[0], r[1]) in ages and r[2] in groups]
    out = {"label": f"{cube.definition.overall_measure.label}, raked to the census", "n": len(usable),
           "left_out": len(rows) - len(usable), "period": period.label}
    if not usable:
        return {**out, "note": "no respondents to calibrate"}
    # Three margins, each small enough for a neighbourhood's sample: age band, sex, and White or minority
    # ethnic (the full age × sex × 5-group cross leaves cells empty in most neighbourhoods).
    margins = [[a for a, *_ in usable], [s for _, s, *_ in usable],
               ["White" if g == "White" else "Minority ethnic" for *_, g, _, _ in usable]]
    residents = [_sum_by(ages, 0), _sum_by(ages, 1),
                 {"White": groups.get("White", 0), "Minority ethnic": sum(groups.values()) - groups.get("White", 0)}]
    totals_by_margin = [_met(values, total, sum(ages.values())) for values, total in zip(margins, residents, strict=True)]
    try:
        X, totals = margin_matrix(margins, totals_by_margin)
        cal = calibrate_weights(design_weights=np.array([r[4] for r in usable]), X=X, totals=totals, method="raking")
    except CalibrationError as exc:
        return {**out, "note": f"could not calibrate: {exc}"}
    est = calibrated_mean(y=np.array([float(r[3]) for r in usable]), calibration=cal)
    half = 1.959964 * est.se
    return {**out, "rate": est.estimate, "se": est.se, "ci_low": max(0.0, est.estimate - half),
            "ci_high": min(1.0, est.estimate + half),
            "note": f"{out['left_out']} respondents with age, sex or ethnicity not stated left out"
            if out["left_out"] else ""}


def _sum_by(cells: dict[tuple[str, str], int], position: int) -> dict[str, float]:
    out: dict[str, float] = {}
    for key, n in cells.items():
        out[key[position]] = out.get(key[position], 0) + n
    return out


def _met(values: list[str], residents: dict[str, float], adults: float) -> dict[str, float]:
    """The margin's census totals for the categories respondents fall in, scaled to all adults: a category
    with no respondents here is pooled with the rest (it cannot be weighted up from nobody)."""
    present = {k: v for k, v in residents.items() if k in set(values) and v > 0}
    scale = adults / sum(present.values())
    return {k: v * scale for k, v in present.items()}
