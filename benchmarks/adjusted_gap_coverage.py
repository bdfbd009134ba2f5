"""Coverage of the adjusted-gap interval (direct standardisation), by base size.

    python benchmarks/adjusted_gap_coverage.py                  # 2,000 replications per base, 2 processes
    python benchmarks/adjusted_gap_coverage.py --alternatives   # also the two methods not chosen (slower)
    python benchmarks/adjusted_gap_coverage.py --white-per-bme 1  # as many white respondents as BME
    python benchmarks/adjusted_gap_coverage.py --reps 400 --workers 1 --seed 7

A simulation, not a test: it prints the figures quoted in docs/methodology.md
("Adjusted gap"). The population is a force's victims over 8 crime types × 5
age bands (40 strata, as the gap explorer's crime type × age band). White
victims' mix over the strata is uneven (a seeded Dirichlet draw); BME victims
are tilted toward younger ages and some crime types. Satisfaction follows a
logit model with crime and age effects (about 85% on average); BME victims in
each stratum are less satisfied by 0.25 on the logit scale, plus a little
stratum-specific noise, so the true adjusted gap is a few points.

Each replication draws n BME respondents and 4n white ones (--white-per-bme),
multinomial over the strata, their answers, and a lognormal weight each (sd
0.5, unrelated to the answer), turns them into per-stratum Sums, and calls
citizenfocus.stats.standardise.adjusted_gap: the code the gap explorer uses.
Coverage is the share of 95% intervals for the adjusted gap that contain the
true adjusted gap over the strata the replication kept,
D* = Σ_kept π*_s (p_white,s − p_BME,s) / Σ_kept π*_s, with π*_s the
population's white shares — so the sampling error of the white shares, which
the interval treats as fixed, is part of what it must cover.

Columns:

* zero-var strata: strata where the BME sample had one respondent or a
  unanimous answer (design variance 0), and the share of the white base they
  carry in the standardisation (π).
* before: those strata add no variance (the method before this one).
* chosen: their variance from the rate shrunk toward the BME overall rate by
  2 pseudo-respondents (`shrunk_variance`, the default).
* Wilson p̃, pooled p̄ (with --alternatives): the alternatives considered —
  p̃ = (x + z²/2)/(n + z²), or the BME overall rate, in p(1 − p)/n for those strata.
* SE/SD: the chosen method's mean standard error of the adjusted gap over the
  standard deviation of its error across replications (1 = right on average).
* shares' term: how much larger the gap's variance would be with the white
  shares' sampling error and its covariance with the white rate added (delta
  method), averaged over replications.

Every replication's seed comes from --seed, so the figures do not depend on
--workers.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from citizenfocus.stats import RateEstimate, Sums, compare_rates  # noqa: E402
from citizenfocus.stats.intervals import z_for  # noqa: E402
from citizenfocus.stats.standardise import adjusted_gap, shrunk_variance  # noqa: E402

CRIME_TYPES, AGE_BANDS = 8, 5
BASES = (50, 100, 200, 400, 800)
CHUNK = 250
VARIANTS = ("before", "chosen")
ALTERNATIVES = ("wilson", "pooled")


def population(seed: int = 2014) -> dict[str, np.ndarray]:
    """Stratum rates and mixes for white and BME victims (fixed for every replication)."""
    rng = np.random.default_rng(seed)
    crime = rng.normal(0.0, 0.6, CRIME_TYPES)
    age = np.linspace(-0.5, 0.5, AGE_BANDS)
    logit_white = np.add.outer(crime, age).ravel() + 2.0
    logit_bme = logit_white - 0.25 + rng.normal(0.0, 0.15, logit_white.size)
    mix_white = rng.dirichlet(np.full(logit_white.size, 0.8))
    tilt = np.add.outer(np.linspace(0.6, -0.6, CRIME_TYPES), np.linspace(0.8, -0.8, AGE_BANDS)).ravel()
    mix_bme = mix_white * np.exp(tilt)
    return {"p_white": 1 / (1 + np.exp(-logit_white)), "p_bme": 1 / (1 + np.exp(-logit_bme)),
            "mix_white": mix_white, "mix_bme": mix_bme / mix_bme.sum()}


def draw_group(rng, n: int, mix: np.ndarray, p: np.ndarray) -> dict[int, Sums]:
    """n respondents over the strata with lognormal weights: Sums per stratum that has any."""
    stratum = rng.choice(mix.size, size=n, p=mix)
    y = (rng.random(n) < p[stratum]).astype(float)
    w = rng.lognormal(0.0, 0.5, n)
    k = mix.size
    sums = [np.bincount(stratum, weights=v, minlength=k) for v in (np.ones(n), w, w * y, w * w, w * w * y)]
    return {s: Sums(int(sums[0][s]), sums[1][s], sums[2][s], sums[3][s], sums[4][s])
            for s in range(k) if sums[0][s] > 0}


def _variant_variance(gap, bme: dict[int, Sums], variant: str) -> float:
    """Var(p_BME,adj) with the zero-variance strata treated as `variant` says."""
    z2 = z_for(0.95) ** 2
    p_bar = gap.bme.rate
    total = 0.0
    for part in gap.strata:
        v = part.variance
        if part.shrunk:
            sums = bme[part.stratum]
            n_k = sums.sw**2 / sums.sw2
            if variant == "before":
                v = 0.0
            elif variant == "wilson":
                p = (sums.swy / sums.sw * n_k + z2 / 2) / (n_k + z2)
                v = p * (1 - p) / n_k
            elif variant == "pooled":
                v = shrunk_variance(sums, overall=p_bar, pseudo_respondents=1e12)
        total += part.white_share**2 * v
    return total


def _interval(gap, var: float) -> tuple[float, float]:
    """The adjusted gap's interval with p_BME,adj's variance replaced by `var`."""
    if var == gap.bme_adjusted.se**2:
        return gap.adjusted.ci_low, gap.adjusted.ci_high
    rate = gap.bme_adjusted.rate
    n_eff = rate * (1 - rate) / var if var > 0 and 0 < rate < 1 else gap.bme_adjusted.n_eff
    side = RateEstimate(gap.bme_adjusted.n, n_eff, rate, math.sqrt(var), None, None, "wilson")
    comparison = compare_rates(gap.white_kept, side)
    return comparison.ci_low, comparison.ci_high


def _shares_term(gap, white: dict[int, Sums]) -> float:
    """Var(gap) with the white shares' error (delta method) over Var(gap) with the shares fixed, minus 1.

    The adjusted gap is the white sample's weighted mean of e_i = y_i − p_BME,s(i), so
    its white-side variance is that mean's: n/(n − 1)·Σ_s [(1 − 2c_s)·Σw²y + c_s²·Σw²]/W²
    with c_s = p_BME,s + gap (one design stratum), against the white rate's own.
    """
    kept = [white[p.stratum] for p in gap.strata]
    n, total_w = sum(s.n for s in kept), sum(s.sw for s in kept)
    diff, p_white = gap.adjusted.diff, gap.white_kept.rate
    spread = sum((1 - 2 * c) * s.sw2y + c * c * s.sw2
                 for s, c in zip(kept, [p.bme.rate + diff for p in gap.strata], strict=True))
    own = sum((1 - 2 * p_white) * s.sw2y + p_white**2 * s.sw2 for s in kept)
    scale = n / (n - 1) / total_w**2
    bme_var = gap.bme_adjusted.se**2
    return (scale * spread + bme_var) / (scale * own + bme_var) - 1


def run_chunk(task: tuple[int, int, int, np.random.SeedSequence, tuple[str, ...]]) -> dict[str, list[float]]:
    base, white_per_bme, reps, seed, variants = task
    pop = population()
    rng = np.random.default_rng(seed)
    out: dict[str, list[float]] = {k: [] for k in (*variants, "width_before", "width_chosen", "error", "se",
                                                   "kept", "zero", "zero_share", "shares_term")}
    for _ in range(reps):
        white = draw_group(rng, white_per_bme * base, pop["mix_white"], pop["p_white"])
        bme = draw_group(rng, base, pop["mix_bme"], pop["p_bme"])
        gap = adjusted_gap(white, bme)
        kept = [p.stratum for p in gap.strata]
        shares = pop["mix_white"][kept] / pop["mix_white"][kept].sum()
        truth = float(shares @ (pop["p_white"][kept] - pop["p_bme"][kept]))
        for variant in variants:
            low, high = _interval(gap, _variant_variance(gap, bme, variant))
            out[variant].append(low <= truth <= high)
            if variant in ("before", "chosen"):
                out[f"width_{variant}"].append(high - low)
        out["error"].append(gap.adjusted.diff - truth)
        out["se"].append(math.sqrt(gap.white_kept.se**2 + gap.bme_adjusted.se**2))
        out["kept"].append(len(kept))
        out["zero"].append(len(gap.shrunk_strata))
        out["zero_share"].append(gap.shrunk_white_share)
        out["shares_term"].append(_shares_term(gap, white))
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=2000, help="replications per base (default 2000)")
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--white-per-bme", type=int, default=4, help="white base as a multiple of the BME base")
    parser.add_argument("--alternatives", action="store_true",
                        help="also the Wilson p̃ and pooled p̄ variances for the zero-variance strata")
    args = parser.parse_args(argv)
    variants = VARIANTS + ALTERNATIVES if args.alternatives else VARIANTS
    chunks = [(base, min(CHUNK, args.reps - start)) for base in BASES for start in range(0, args.reps, CHUNK)]
    seeds = np.random.SeedSequence(args.seed).spawn(len(chunks))
    tasks = [(base, args.white_per_bme, reps, seed, variants) for (base, reps), seed in zip(chunks, seeds, strict=True)]
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        results = list(pool.map(run_chunk, tasks))
    by_base: dict[int, dict[str, list[float]]] = {}
    for (base, _), result in zip(chunks, results, strict=True):
        merged = by_base.setdefault(base, {k: [] for k in result})
        for key, values in result.items():
            merged[key] += values
    print(f"Adjusted gap, 95% interval: coverage of the true adjusted gap ({args.reps:,} replications per row, "
          f"seed {args.seed}; white base = {args.white_per_bme} × BME base; {CRIME_TYPES * AGE_BANDS} strata)")
    print()
    titles = {"before": "before", "chosen": "chosen", "wilson": "Wilson p̃", "pooled": "pooled p̄"}
    print("| BME base | strata kept | zero-var strata (white share) | "
          + " | ".join(titles[v] for v in variants) + " | width before → chosen | SE/SD | shares' term |")
    print("| ---: " * (len(variants) + 6) + "|")
    for base in BASES:
        r = {k: np.asarray(v, dtype=float) for k, v in by_base[base].items()}
        cover = " | ".join(f"{r[v].mean():.1%}" for v in variants)
        print(f"| {base} | {r['kept'].mean():.1f} | {r['zero'].mean():.1f} ({r['zero_share'].mean():.0%}) | {cover} "
              f"| {r['width_before'].mean() * 100:.1f} → {r['width_chosen'].mean() * 100:.1f} pts "
              f"| {r['se'].mean() / r['error'].std():.2f} | {r['shares_term'].mean():+.1%} |")
    mc = math.sqrt(0.95 * 0.05 / args.reps)
    print()
    print(f"Monte Carlo standard error of a coverage near 95%: {mc:.1%}. "
          f"{time.perf_counter() - started:.0f} s with {args.workers} worker(s).")


if __name__ == "__main__":
    main()
