"""Does a panel's self-declared make-up reflect its area? Each group's share of the members who declared,
against the group's share of the area's population, with an exact binomial test.

Members declare voluntarily; those who did not are left out of the shares and counted. With fewer than
MIN_DECLARED declarations nothing is tested: a panel of eight cannot show anything but chance.
Source: the exact binomial test (Clopper & Pearson 1934; scipy.stats.binomtest), two-sided.
"""

from __future__ import annotations

from scipy.stats import binomtest

from .methods import Method
from .verdicts import HIGHER, LOWER, NOT_TESTED, SAME

REPRESENTATION_METHODS: dict[str, Method] = {
    "panel-makeup": Method("panel-makeup", "A panel's make-up against its area", "representation-panel-makeup",
                           "Each group's share of the members declaring, against its population share: exact "
                           "binomial test, not tested under 20 declarations."),
}

MIN_DECLARED = 20
NO_PROFILE = "no census profile loaded"


def representation(declared: dict[str, int], population: dict[str, float] | None, *,
                   not_declared: int = 0, level: float = 0.95) -> dict:
    """Rows per group: members, share of those declaring, population share, difference and verdict.

    `population` maps each group to its share of the area's population (a plain dict, e.g. from a census
    profile); None gives the shares with the note 'no census profile loaded' and no comparison.
    """
    total = sum(declared.values())
    groups = list(dict.fromkeys([*declared, *(population or {})]))
    rows = []
    for group in groups:
        members = declared.get(group, 0)
        row = {"group": group, "members": members, "share": members / total if total else None,
               "population_share": None, "difference": None, "verdict": NO_PROFILE}
        if population is not None:
            expected = population.get(group)
            row["population_share"] = expected
            if expected is None or not total:
                row["verdict"] = "no population share for this group" if expected is None else "no declarations"
            else:
                row["difference"] = members / total - expected
                row["verdict"] = _verdict(members, total, expected, level)
        rows.append(row)
    return {"declared": total, "not_declared": not_declared, "rows": rows,
            "note": NO_PROFILE if population is None else ""}


def _verdict(members: int, total: int, expected: float, level: float) -> str:
    if total < MIN_DECLARED:
        return NOT_TESTED
    p = binomtest(members, total, expected).pvalue
    if p >= 1 - level:
        return SAME
    return HIGHER if members / total > expected else LOWER
