"""The adjusted gap: the white − BME gap once BME victims' mix of strata is
made the same as white victims' (direct standardisation).

statistics.md §7. If BME victims suffer different crimes, are younger or live
in different divisions, part of the raw gap is that mix. Reweighting the BME
stratum rates by the white group's shares removes it; what remains is the gap
between like and like.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import asdict, dataclass

from .compare import Comparison, compare_rates
from .rates import RateEstimate, Sums, estimate_rate, rate_interval

StratumSums = Sums | Mapping[Hashable, Sums]  # Sums, or Sums by design stratum


@dataclass(frozen=True)
class LeftOutStratum:
    stratum: Hashable
    white_n: int
    bme_n: int
    white_share: float  # share of the white group's weighted base this stratum held


@dataclass(frozen=True)
class AdjustedGap:
    white: RateEstimate  # all white respondents
    bme: RateEstimate  # all BME respondents
    raw: Comparison  # white − BME, all respondents
    white_kept: RateEstimate  # white respondents in the strata both groups share
    bme_adjusted: RateEstimate  # Σ π_white,s·p_BME,s
    adjusted: Comparison  # white_kept − bme_adjusted
    left_out: tuple[LeftOutStratum, ...]

    @property
    def left_out_white_share(self) -> float:
        return sum(s.white_share for s in self.left_out)

    def as_dict(self) -> dict:
        return {"white": self.white.as_dict(), "bme": self.bme.as_dict(), "raw": self.raw.as_dict(),
                "white_kept": self.white_kept.as_dict(), "bme_adjusted": self.bme_adjusted.as_dict(),
                "adjusted": self.adjusted.as_dict(), "left_out": [asdict(s) for s in self.left_out],
                "left_out_white_share": self.left_out_white_share}


def _total(value: StratumSums) -> Sums:
    return value if isinstance(value, Sums) else sum(value.values(), Sums.zero())


def _by_design_stratum(values: Sequence[StratumSums]) -> list[Sums]:
    """Pool standardisation strata (domains) within each design stratum, for a whole group's estimate."""
    pooled: dict[Hashable, Sums] = {}
    for value in values:
        for key, sums in ({None: value} if isinstance(value, Sums) else value).items():
            pooled[key] = pooled.get(key, Sums.zero()) + sums
    return list(pooled.values())


def adjusted_gap(
    white: Mapping[Hashable, StratumSums],
    bme: Mapping[Hashable, StratumSums],
    *,
    deft: float = 1.0,
    level: float = 0.95,
) -> AdjustedGap:
    """Raw and directly standardised white − BME gaps, each with Newcombe's interval.

    Inputs map each standardisation stratum s (default crime type × age band)
    to its Sums, or to a mapping of design stratum → Sums. Standardisation
    strata are domains: a group's overall rate pools them within design strata. π_s = the white group's
    weighted share of stratum s among strata both groups have; p_BME,adj =
    Σ π_s·p_BME,s with Var = Σ π_s²·Var(p_BME,s) (π fixed); n_eff = p(1−p)/Var.
    The adjusted gap compares white respondents in those strata with p_BME,adj.
    Strata where either group has no respondents are left out and listed with
    the share of the white base they held.
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
    shares = {s: white_sums[s].sw / kept_w for s in kept}
    by_stratum = {s: estimate_rate(_as_list(bme[s]), deft=deft, level=level) for s in kept}
    bme_adj = _standardised(shares, by_stratum, n=sum(bme_sums[s].n for s in kept), level=level)
    return AdjustedGap(white_all, bme_all, compare_rates(white_all, bme_all, level=level), white_kept,
                       bme_adj, compare_rates(white_kept, bme_adj, level=level), left_out)


def _as_list(value: StratumSums) -> list[Sums]:
    return [value] if isinstance(value, Sums) else list(value.values())


def _standardised(shares: Mapping, by_stratum: Mapping[Hashable, RateEstimate], *, n: int,
                  level: float) -> RateEstimate:
    """Σ π_s·p_s with variance Σ π_s²·Var(p_s), as a RateEstimate whose interval is Wilson on n_eff."""
    if not shares:
        return RateEstimate(0, 0.0, None, None, None, None, "wilson")
    rate = sum(shares[s] * by_stratum[s].rate for s in shares)
    rate = min(max(rate, 0.0), 1.0)
    var = sum(shares[s] ** 2 * by_stratum[s].se ** 2 for s in shares)
    n_eff = rate * (1 - rate) / var if 0 < rate < 1 and var > 0 else _kish_n(shares, by_stratum)
    low, high = rate_interval(rate, math.sqrt(var), n_eff, level=level)
    return RateEstimate(n, n_eff, rate, math.sqrt(var), low, high, "wilson")


def _kish_n(shares: Mapping, by_stratum: Mapping[Hashable, RateEstimate]) -> float:
    """Effective base when the standardised rate is 0 or 1: 1/Σ(π_s²/n_eff,s)."""
    return 1.0 / sum(shares[s] ** 2 / by_stratum[s].n_eff for s in shares if by_stratum[s].n_eff > 0)
