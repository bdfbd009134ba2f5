"""A reproducible stratified random sample of records for review, with each one's inclusion probability.

Stratified simple random sampling without replacement (Cochran, Sampling Techniques, 3rd ed., ch. 5):
the sample size n is allocated to strata in proportion to N_h·k_h (k_h > 1 oversamples a stratum, such
as section 60 searches or no-further-action outcomes), capped at N_h, largest remainders first; within a
stratum, n_h records are drawn with numpy's PCG64 generator from the seed. Each record's inclusion
probability is n_h/N_h, so a panel's findings can be weighted (1/π) back to every search.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Drawn:
    key: str
    stratum: str
    probability: float


def allocate(sizes: Mapping[str, int], n: int, oversample: Mapping[str, float] | None = None) -> dict[str, int]:
    """n split over strata in proportion to N_h·k_h, never more than N_h (largest remainder)."""
    oversample = oversample or {}
    take = dict.fromkeys(sizes, 0)
    room = min(n, sum(sizes.values()))
    while room > 0:
        weights = {h: sizes[h] * oversample.get(h, 1.0) for h in sizes if take[h] < sizes[h]}
        total = sum(weights.values())
        shares = {h: room * w / total for h, w in weights.items()}
        whole = {h: min(int(share), sizes[h] - take[h]) for h, share in shares.items()}
        if not any(whole.values()):  # every share under one: the largest remainders get one each
            whole = dict.fromkeys(sorted(shares, key=lambda h: (-shares[h], h))[:room], 1)
        for h, k in whole.items():
            take[h] += k
        room -= sum(whole.values())
    return take


def stratified_sample(keys: Sequence[str], strata: Sequence[str], *, n: int, seed: int,
                      oversample: Mapping[str, float] | None = None) -> list[Drawn]:
    """The same keys, strata, n and seed always give the same sample (keys sorted first)."""
    by_stratum: dict[str, list[str]] = {}
    for key, stratum in sorted(zip(keys, strata, strict=True)):
        by_stratum.setdefault(stratum, []).append(key)
    take = allocate({h: len(v) for h, v in by_stratum.items()}, n, oversample)
    rng = np.random.default_rng(seed)
    drawn = []
    for stratum in sorted(by_stratum):
        members = by_stratum[stratum]
        chosen = rng.choice(len(members), size=take[stratum], replace=False) if take[stratum] else []
        drawn += [Drawn(members[i], stratum, take[stratum] / len(members)) for i in sorted(chosen)]
    return drawn
