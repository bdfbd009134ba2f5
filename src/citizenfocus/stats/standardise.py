"""The adjusted gap: the white − BME gap once BME victims' mix of strata is
made the same as white victims' (direct standardisation).

statistics.md §7. If BME victims suffer different crimes, are younger or live
in different divisions, part of the raw gap is that mix. Reweighting the BME
stratum rates by the white group's shares removes it; what remains is the gap
between like and like.

Small strata: where the BME group has one respondent or a unanimous answer,
the stratum's own variance is 0, which would make the interval too narrow
(in real divisions such strata can hold over a third of the white weight). Those
strata take the variance of their rate shrunk toward the BME group's overall
rate (`shrunk_variance`). The white shares are treated as fixed, as R
survey::svystandardize does; benchmarks/adjusted_gap_coverage.py shows the
interval's coverage and how little the shares' own sampling error adds.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import asdict, dataclass

from .compare import Comparison, compare_rates
from .rates import RateEstimate, Sums, estimate_rate, rate_interval

StratumSums = Sums | Mapping[Hashable, Sums]  # Sums, or Sums by design stratum

# Pseudo-respondents answering at the BME group's overall rate, added to a stratum whose own
# variance is 0 (benchmarks/adjusted_gap_coverage.py: coverage 95.2–97.4% from 50 BME respondents up).
PSEUDO_RESPONDENTS = 2.0


@dataclass(frozen=True)
class LeftOutStratum:
    stratum: Hashable
    white_n: int
    bme_n: int
    white_share: float  # share of the white group's weighted base this stratum held


@dataclass(frozen=True)
class StandardisedStratum:
    """One stratum both groups share, as it enters Σ π_s·p_BME,s and Σ π_s²·Var(p_BME,s)."""

    stratum: Hashable
    white_share: float  # π_s: the white group's share of the weighted base in the strata both groups have
    bme: RateEstimate  # the BME group's rate in the stratum
    variance: float  # Var(p_BME,s) used: the design variance, or `shrunk_variance` when that is 0
    shrunk: bool  # True when the design variance was 0 (one respondent, or all gave the same answer)


@dataclass(frozen=True)
class AdjustedGap:
    white: RateEstimate  # all white respondents
    bme: RateEstimate  # all BME respondents
    raw: Comparison  # white − BME, all respondents
    white_kept: RateEstimate  # white respondents in the strata both groups share
    bme_adjusted: RateEstimate  # Σ π_white,s·p_BME,s
    adjusted: Comparison  # white_kept − bme_adjusted
    left_out: tuple[LeftOutStratum, ...]
    strata: tuple[StandardisedStratum, ...] = ()  # the kept strata

    @property
    def left_out_white_share(self) -> float:
        return sum(s.white_share for s in self.left_out)

    @property
    def shrunk_strata(self) -> tuple[StandardisedStratum, ...]:
        """Kept strata whose BME variance came from the shrunk rate (their own was 0)."""
        return tuple(s for s in self.strata if s.shrunk)

    @property
    def shrunk_white_share(self) -> float:
        """The standardisation weight Σ π_s those strata carry."""
        return sum(s.white_share for s in self.shrunk_strata)

    def as_dict(self) -> dict:
        return {"white": self.white.as_dict(), "bme": self.bme.as_dict(), "raw": self.raw.as_dict(),
                "white_kept": self.white_kept.as_dict(), "bme_adjusted": self.bme_adjusted.as_dict(),
                "adjusted": self.adjusted.as_dict(), "left_out": [asdict(s) for s in self.left_out],
                "left_out_white_share": self.left_out_white_share,
                "strata": [{**asdict(s), "bme": s.bme.as_dict()} for s in self.strata],
                "shrunk_strata": len(self.shrunk_strata), "shrunk_white_share": self.shrunk_white_share}


def _total(value: StratumSums) -> Sums:
    return value if isinstance(value, Sums) else sum(value.values(), Sums.zero())


def _by_design_stratum(values: Sequence[StratumSums]) -> list[Sums]:
    """Pool standardisation strata (domains) within each design stratum, for a whole group's estimate."""
    pooled: dict[Hashable, Sums] = {}
    for value in values:
        for key, sums in ({None: value} if isinstance(value, Sums) else value).items():
            pooled[key] = pooled.get(key, Sums.zero()) + sums
    return list(pooled.values())


def shrunk_variance(sums: Sums, *, overall: float, deft: float = 1.0,
                    pseudo_respondents: float = PSEUDO_RESPONDENTS) -> float:
    """A stratum rate's variance from the rate shrunk toward the group's overall rate.

    deft²·p̃(1 − p̃)/n_k with p̃ = (p·n_k + m·p̄)/(n_k + m): p = Σswy/Σsw, the
    stratum's rate; n_k = (Σw)²/Σw², its Kish base; p̄ the group's overall rate;
    m pseudo-respondents (default 2). For a stratum whose own variance is 0 (one
    respondent, or a unanimous answer) this is the binomial variance at a rate
    that borrows strength from the group, instead of 0. m = 0 gives p(1 − p)/n_k
    (0 for such a stratum).
    Source: pseudo-observations as in Agresti & Coull (1998) Am Stat 52:119, here
    at the group's rate rather than ½ (shrinkage toward the group mean: Efron &
    Morris 1975 JASA 70:311); m chosen by simulation, benchmarks/adjusted_gap_coverage.py.
    """
    if sums.n == 0 or not sums.sw > 0 or not sums.sw2 > 0:
        raise ValueError("a stratum's variance needs at least one respondent with a positive weight")
    n_k = sums.sw * sums.sw / sums.sw2
    p = min(max(sums.swy / sums.sw, 0.0), 1.0)
    shrunk = (p * n_k + pseudo_respondents * overall) / (n_k + pseudo_respondents)
    return deft**2 * shrunk * (1 - shrunk) / n_k


def adjusted_gap(
    white: Mapping[Hashable, StratumSums],
    bme: Mapping[Hashable, StratumSums],
    *,
    deft: float = 1.0,
    level: float = 0.95,
    pseudo_respondents: float = PSEUDO_RESPONDENTS,
) -> AdjustedGap:
    """Raw and directly standardised white − BME gaps, each with Newcombe's interval.

    Inputs map each standardisation stratum s (default crime type × age band)
    to its Sums, or to a mapping of design stratum → Sums. Standardisation
    strata are domains: a group's overall rate pools them within design strata.
    π_s = the white group's weighted share of stratum s among strata both groups
    have; p_BME,adj = Σ π_s·p_BME,s with Var = Σ π_s²·V_s, where V_s is the
    stratum's design variance, or `shrunk_variance` (toward the BME overall rate,
    `pseudo_respondents` m) when that is 0; n_eff = p(1−p)/Var. The shares π_s
    are treated as fixed (as R survey::svystandardize): by the delta method their
    own sampling error would add 0.6–7.5% to the gap's variance with a white base
    4× the BME one, and the interval covers 95% without it
    (benchmarks/adjusted_gap_coverage.py). The adjusted gap compares white
    respondents in those strata with p_BME,adj. Strata where either group has no
    respondents are left out and listed with the share of the white base they held.
    Source: statistics.md §7; direct standardisation (Fleiss, Levin & Paik 2003,
    Statistical Methods for Rates and Proportions, 3rd ed., Wiley).
    """
    strata = list(dict.fromkeys([*white, *bme]))
    zero = Sums.zero()
    white_sums = {s: _total(white.get(s, zero)) for s in strata}
    bme_sums = {s: _total(bme.get(s, zero)) for s in strata}
    kept = [s for s in strata if white_sums[s].n > 0 and bme_sums[s].n > 0]
    white_w = sum(v.sw for v in white_sums.values())
    left_out = tuple(
        LeftOutStratum(s, white_sums[s].n, bme_sums[s].n, white_sums[s].sw / white_w if white_w > 0 else 0.0)
        for s in strata if s not in kept
    )
    white_all = estimate_rate(_by_design_stratum(list(white.values())), deft=deft, level=level)
    bme_all = estimate_rate(_by_design_stratum(list(bme.values())), deft=deft, level=level)
    white_kept = estimate_rate(_by_design_stratum([white[s] for s in kept]), deft=deft, level=level)
    kept_w = sum(white_sums[s].sw for s in kept)
    parts = tuple(_stratum(s, white_sums[s].sw / kept_w, bme[s], bme_sums[s], overall=bme_all.rate, deft=deft,
                           level=level, pseudo_respondents=pseudo_respondents) for s in kept)
    bme_adj = _standardised(parts, n=sum(bme_sums[s].n for s in kept), level=level)
    return AdjustedGap(white_all, bme_all, compare_rates(white_all, bme_all, level=level), white_kept,
                       bme_adj, compare_rates(white_kept, bme_adj, level=level), left_out, parts)


def _stratum(key: Hashable, share: float, value: StratumSums, total: Sums, *, overall: float, deft: float,
             level: float, pseudo_respondents: float) -> StandardisedStratum:
    estimate = estimate_rate(_as_list(value), deft=deft, level=level)
    variance = float(estimate.se) ** 2
    if variance > 0:
        return StandardisedStratum(key, share, estimate, variance, False)
    shrunk = shrunk_variance(total, overall=overall, deft=deft, pseudo_respondents=pseudo_respondents)
    return StandardisedStratum(key, share, estimate, shrunk, bool(shrunk > 0))


def _as_list(value: StratumSums) -> list[Sums]:
    return [value] if isinstance(value, Sums) else list(value.values())


def _standardised(parts: Sequence[StandardisedStratum], *, n: int, level: float) -> RateEstimate:
    """Σ π_s·p_s with variance Σ π_s²·V_s, as a RateEstimate whose interval is Wilson on n_eff."""
    if not parts:
        return RateEstimate(0, 0.0, None, None, None, None, "wilson")
    rate = min(max(float(sum(s.white_share * s.bme.rate for s in parts)), 0.0), 1.0)
    var = float(sum(s.white_share**2 * s.variance for s in parts))
    n_eff = float(rate * (1 - rate) / var if 0 < rate < 1 and var > 0 else _kish_n(parts))
    low, high = rate_interval(rate, math.sqrt(var), n_eff, method="wilson", level=level)
    return RateEstimate(n, n_eff, rate, math.sqrt(var), low, high, "wilson")


def _kish_n(parts: Sequence[StandardisedStratum]) -> float:
    """Effective base when the standardised rate is 0 or 1 or its variance 0: 1/Σ(π_s²/n_eff,s)."""
    return 1.0 / sum(s.white_share**2 / s.bme.n_eff for s in parts if s.bme.n_eff > 0)
