"""A force against the average of its most similar forces (MSF).

statistics.md §4: the MSF average is the plain mean of the peers' rates (the
force itself left out unless asked for), its standard error sqrt(Σse_i²)/k,
and z = (p_force − p_msf)/sqrt(se_force² + se_msf²).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from .compare import check_direction
from .intervals import two_sided_p, z_for
from .rates import RateEstimate
from .verdicts import versus

MSF = "the MSF average"


@dataclass(frozen=True)
class Peer:
    """One force's published rate and base; `deft` scales its binomial standard error."""

    rate: float
    n: float
    deft: float = 1.0
    name: str | None = None
    known_se: float | None = None  # a design-based SE, when there is one

    @property
    def se(self) -> float:
        """deft·sqrt(p(1−p)/n), the binomial standard error of a published rate (or known_se)."""
        if self.known_se is not None:
            return self.known_se
        if self.n <= 0:
            raise ValueError(f"peer {self.name or self.rate!r} has no base (n={self.n!r})")
        return self.deft * math.sqrt(self.rate * (1 - self.rate) / self.n)


@dataclass(frozen=True)
class MsfComparison:
    force_rate: float | None
    force_se: float | None
    msf_rate: float | None
    msf_se: float | None
    peers: int  # k, the number of rates averaged (0 with a published average)
    diff: float | None
    ci_low: float | None
    ci_high: float | None
    z: float | None
    p: float | None
    verdict: str  # 'significantly better' | 'not significantly different' | 'significantly worse' | 'no data'
    direction: str

    @property
    def sentence(self) -> str:
        """'significantly better than the MSF average', and so on (statistics.md §4)."""
        return versus(self.verdict, MSF)

    def as_dict(self) -> dict:
        return {**asdict(self), "sentence": self.sentence}


def _as_peer(value) -> Peer:
    if isinstance(value, Peer):
        return value
    if isinstance(value, RateEstimate):
        return Peer(value.rate, value.n, known_se=value.se)
    if isinstance(value, dict):
        return Peer(**value)
    return Peer(*value)


def _force(force) -> tuple[float | None, float | None]:
    """(rate, se) of the force: an estimate's own design-based SE, or a Peer-like tuple's binomial one."""
    if isinstance(force, RateEstimate):
        return force.rate, force.se
    peer = _as_peer(force)
    return peer.rate, peer.se


def msf_mean(peers: Sequence) -> tuple[float, float]:
    """Plain mean of the peers' rates and its standard error sqrt(Σse_i²)/k.

    Source: statistics.md §4 (the mean of k independent estimates).
    """
    listed = [_as_peer(p) for p in peers]
    if not listed:
        raise ValueError("no peers to average")
    k = len(listed)
    return sum(p.rate for p in listed) / k, math.sqrt(sum(p.se**2 for p in listed)) / k


def msf_comparison(
    force,
    *,
    peers: Sequence | None = None,
    msf_rate: float | None = None,
    msf_se: float | None = None,
    force_name: str | None = None,
    include_force: bool = False,
    direction: str = "higher-better",
    level: float = 0.95,
) -> MsfComparison:
    """Compare a force with its MSF average: z = (p_force − p_msf)/sqrt(se_force² + se_msf²).

    `force` is a RateEstimate or (rate, n[, deft]). The average comes from
    `peers` — Peer, RateEstimate, (rate, n[, deft[, name]]) tuples or dicts —
    or from a published `msf_rate` with `msf_se`. A peer named `force_name` is
    left out of the average unless `include_force`; with `include_force` the
    force's own rate joins the average (once) and the variance of the
    difference becomes (1 − 1/k)²·se_force² + Σ_others se_i²/k², because the
    force is then on both sides. Significant when |z| > z(level) (1.959964);
    'better' or 'worse' follow `direction`.
    Source: statistics.md §4; HMIC (2008) most-similar-force comparisons.
    """
    check_direction(direction)
    rate, se = _force(force)
    if peers is None and (msf_rate is None or msf_se is None):
        raise ValueError("give the peers' rates (peers=...) or a published msf_rate with its msf_se")
    if rate is None or se is None:
        return MsfComparison(rate, se, msf_rate, msf_se, 0, None, None, None, None, None, "no data", direction)
    k, var_diff = 0, se**2 + (msf_se or 0.0) ** 2
    if peers is not None:
        others = _others(peers, force_name)
        k = len(others) + (1 if include_force else 0)
        if k == 0:
            raise ValueError("no peers to average: the MSF list is empty once the force itself is left out")
        msf_rate = (sum(p.rate for p in others) + (rate if include_force else 0.0)) / k
        others_var = sum(p.se**2 for p in others)
        msf_se = math.sqrt(others_var + (se**2 if include_force else 0.0)) / k
        own_share = (1 - 1 / k) if include_force else 1.0
        var_diff = own_share**2 * se**2 + others_var / k**2
    diff, total_se, z_crit = rate - msf_rate, math.sqrt(var_diff), z_for(level)
    z = diff / total_se if total_se > 0 else None
    return MsfComparison(rate, se, msf_rate, msf_se, k, diff, diff - z_crit * total_se,
                         diff + z_crit * total_se, z, two_sided_p(z) if z is not None else None,
                         _verdict(z, z_crit, direction), direction)


def _others(peers: Sequence, force_name: str | None) -> list[Peer]:
    """The peers other than the force itself (matched by name)."""
    listed = [_as_peer(p) for p in peers]
    return [p for p in listed if force_name is None or p.name != force_name]


def _verdict(z: float | None, z_crit: float, direction: str) -> str:
    if z is None or abs(z) <= z_crit:
        return "not significantly different"
    higher = z > 0
    better = higher if direction == "higher-better" else not higher
    return "significantly better" if better else "significantly worse"
