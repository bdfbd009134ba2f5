"""How closely the people who answered a survey match the people who live in the area.

Dissimilarity index (Duncan & Duncan 1955, "A methodological analysis of segregation indexes", Am. Sociol.
Rev. 20:210): D = ½ Σ_g |r_g − c_g|, r and c the respondents' and residents' shares of each group; the
share of respondents who would have to be in another group for the two to match (0 = a perfect match).
With it, Pearson's goodness-of-fit test of the respondents' counts against the census shares.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from scipy import stats as sps

from .methods import Method

REPRESENTATIVENESS_METHODS: dict[str, Method] = {
    m.key: m
    for m in (
        Method("dissimilarity", "Representativeness: the dissimilarity index", "representativeness",
               "Half the sum of the differences between respondents' and residents' shares of each group."),
    )
}


@dataclass(frozen=True)
class Representativeness:
    respondents: int
    dissimilarity: float | None
    chi_square: float | None
    p: float | None

    def sentence(self, who: str) -> str:
        if self.dissimilarity is None:
            return f"No {who} to compare with the census."
        words = "not significantly different from" if self.p is None or self.p >= 0.05 else "significantly different from"
        return (f"{self.dissimilarity:.0%} of {who} would have to be in another ethnic group to match the census; "
                f"their make-up is {words} the residents' (n={self.respondents:,}).")

    def as_dict(self) -> dict:
        return {"respondents": self.respondents, "dissimilarity": self.dissimilarity, "chi_square": self.chi_square,
                "p": self.p}


def representativeness(respondents: Mapping[str, int], residents: Mapping[str, int]) -> Representativeness:
    """D and the goodness-of-fit test over the groups the census counts (respondents of other groups are left out)."""
    groups = [g for g in residents if residents[g] > 0]
    n = sum(respondents.get(g, 0) for g in groups)
    total = sum(residents[g] for g in groups)
    if not n or not total:
        return Representativeness(n, None, None, None)
    d = 0.5 * sum(abs(respondents.get(g, 0) / n - residents[g] / total) for g in groups)
    observed = [respondents.get(g, 0) for g in groups]
    expected = [n * residents[g] / total for g in groups]
    chi2, p = sps.chisquare(observed, expected)
    return Representativeness(n, d, float(chi2), float(p))
