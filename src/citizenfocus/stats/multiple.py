"""Many comparisons in one table: the false discovery rate (statistics.md §6, "Many comparisons").

A table that tests sixty neighbourhoods at 5% finds about three "significant"
gaps when there is no real gap anywhere. Benjamini–Hochberg adjusted p-values
control the expected share of false findings among those reported; the table
also says how many findings chance alone would give.
"""

from __future__ import annotations

import numpy as np

from .methods import Method

SIGNIFICANT = ("significantly higher", "significantly lower")
FDR = 0.05

MULTIPLE_METHODS: dict[str, Method] = {
    "fdr": Method("fdr", "Many comparisons: the false discovery rate", "compare-fdr",
                  "Benjamini–Hochberg adjusted p-values across each table; a finding must hold after them."),
}


def benjamini_hochberg(p) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (NaN stays NaN and is not counted among the tests).

    Sorted p_(1) ≤ … ≤ p_(m): adjusted p_(i) = min over j ≥ i of m·p_(j)/j, capped at 1,
    as R p.adjust(method = "BH"). Source: Benjamini & Hochberg (1995) JRSS B 57:289.
    """
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    tested = np.isfinite(p)
    values = p[tested]
    m = values.size
    if m == 0:
        return out
    order = np.argsort(values)
    scaled = values[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum(np.minimum.accumulate(scaled[::-1])[::-1], 1.0)
    result = np.empty(m)
    result[order] = adjusted
    out[tested] = result
    return out


def many_comparisons(p, verdicts, *, fdr: float = FDR) -> dict[str, np.ndarray]:
    """For a table of comparisons: the BH-adjusted p and whether each finding holds after it.

    `p` are p-values that agree with the verdicts (compare.interval_p); only rows
    with a significance verdict are tested (not 'no data' or 'too few responses to
    test'). Returns p_adjusted and significant_fdr (True when the verdict is
    significant AND p_adjusted ≤ fdr).
    """
    verdicts = np.asarray(verdicts)
    tested = np.isin(verdicts, (*SIGNIFICANT, "not significantly different"))
    adjusted = benjamini_hochberg(np.where(tested, np.asarray(p, dtype=float), np.nan))
    holds = np.isin(verdicts, SIGNIFICANT) & (np.nan_to_num(adjusted, nan=1.0) <= fdr)
    return {"p_adjusted": adjusted, "significant_fdr": holds}


def chance_sentence(verdicts, significant_fdr, *, what: str = "groups", level: float = 0.95) -> str:
    """'Of 60 groups tested, 3 differ on their own at the 5% level; about 3 would by chance alone …'"""
    verdicts = np.asarray(verdicts)
    tested = int(np.isin(verdicts, (*SIGNIFICANT, "not significantly different")).sum())
    if tested == 0:
        return f"No {what} had enough responses to test."
    alone = int(np.isin(verdicts, SIGNIFICANT).sum())
    expected = tested * (1 - level)
    held = int(np.asarray(significant_fdr).sum())
    chance = f"{expected:.1f}" if expected < 10 else f"{expected:.0f}"
    return (f"Of {tested} {what} tested, {alone} {'differs' if alone == 1 else 'differ'} at the "
            f"{1 - level:.0%} level on their own; about {chance} would by chance alone if there were no real "
            "difference anywhere. After allowing "
            f"for the many comparisons (false discovery rate {FDR:.0%}), {held} "
            f"{'remains' if held == 1 else 'remain'}.")
