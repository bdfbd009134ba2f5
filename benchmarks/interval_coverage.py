"""Coverage of each interval method, and the false-positive rate of the gap verdict, on small weighted groups.

    python benchmarks/interval_coverage.py                  # 4,000 replications per base
    python benchmarks/interval_coverage.py --reps 20000 --seed 7

A simulation, not a test: it prints figures for docs/methodology.md. Each
replication draws a group (a domain) of n respondents from a stratified,
weighted design like a force's victim survey: six strata whose weights differ
(0.5 to 4, as when crime types or areas are sampled at different rates), with
individual variation on top (lognormal, sd 0.3), and every stratum holding 500
respondents in the whole design. Answers are satisfied (1) with probability p.

* Coverage: the share of 95% intervals, from citizenfocus.stats.rate_arrays
  (the code every page uses), that contain the true p. A method that holds
  stays near 95% at every base.
* False positives: two independent groups with the SAME p, compared by
  citizenfocus.stats.compare_arrays (the gap and trend verdicts); the share
  called "significantly higher/lower" should be near 5% at every base that is
  tested, and no higher. The same is shown for the square-and-add interval
  built from plain Wilson limits on n_eff (the method before this one).

Everything is vectorised over replications, so the default run takes seconds.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from citizenfocus.stats import INTERVAL_METHODS  # noqa: E402
from citizenfocus.stats.compare import compare_arrays  # noqa: E402
from citizenfocus.stats.intervals import newcombe_from_limits, wilson_limits, z_for  # noqa: E402
from citizenfocus.stats.rates import rate_arrays  # noqa: E402

STRATUM_WEIGHTS = np.array([0.5, 1.0, 1.5, 2.0, 3.0, 4.0])
STRATUM_SHARES = np.array([0.3, 0.25, 0.15, 0.12, 0.1, 0.08])
STRATUM_SIZE = 500
BASES = (10, 20, 30, 50, 80, 150, 300)
RATES = (0.5, 0.8, 0.9)


def draw(rng, *, reps: int, n: int, p: float) -> dict[str, np.ndarray]:
    """Sums [rep, stratum] of `reps` groups of n respondents."""
    stratum = rng.choice(len(STRATUM_WEIGHTS), size=(reps, n), p=STRATUM_SHARES)
    w = STRATUM_WEIGHTS[stratum] * rng.lognormal(0.0, 0.3, size=(reps, n))
    y = (rng.random((reps, n)) < p).astype(float)
    onehot = stratum[..., None] == np.arange(len(STRATUM_WEIGHTS))  # [rep, row, stratum]
    return {
        "n": onehot.sum(1).astype(float),
        "sw": (onehot * w[..., None]).sum(1),
        "swy": (onehot * (w * y)[..., None]).sum(1),
        "sw2": (onehot * (w * w)[..., None]).sum(1),
        "sw2y": (onehot * (w * w * y)[..., None]).sum(1),
    }


def estimates(sums, method):
    return rate_arrays(sums, stratum_sizes=np.full(len(STRATUM_WEIGHTS), STRATUM_SIZE), method=method)


def coverage_table(rng, reps: int) -> list[str]:
    methods = list(INTERVAL_METHODS)
    lines = ["| base n | true rate | " + " | ".join(methods) + " |", "|---" * (len(methods) + 2) + "|"]
    for p in RATES:
        for n in BASES:
            sums = draw(rng, reps=reps, n=n, p=p)
            cells = []
            for method in methods:
                est = estimates(sums, method)
                covered = (est["ci_low"] <= p) & (p <= est["ci_high"])
                cells.append(f"{covered.mean():.1%}")
            lines.append(f"| {n} | {p:.0%} | " + " | ".join(cells) + " |")
    return lines


def false_positive_table(rng, reps: int) -> list[str]:
    lines = ["| base n (each group) | true rate | called significant (this method) | "
             "square-and-add on plain Wilson limits |", "|---|---|---|---|"]
    z = z_for(0.95)
    for p in RATES:
        for n in BASES:
            a, b = (estimates(draw(rng, reps=reps, n=n, p=p), "wilson") for _ in range(2))
            verdict = compare_arrays(a, b, min_base=0)["verdict"]
            ours = np.isin(verdict, ("significantly higher", "significantly lower")).mean()
            (l1, u1), (l2, u2) = wilson_limits(a["rate"], a["n_eff"], z), wilson_limits(b["rate"], b["n_eff"], z)
            low, high = newcombe_from_limits(a["rate"], l1, u1, b["rate"], l2, u2)
            plain = ((low > 0) | (high < 0)).mean()
            lines.append(f"| {n} | {p:.0%} | {ours:.1%} | {plain:.1%} |")
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=20261201)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    started = time.perf_counter()
    print(f"Coverage of 95% intervals ({args.reps} replications per row, seed {args.seed})\n")
    print("\n".join(coverage_table(rng, args.reps)))
    print(f"\nFalse positives: two groups with the same true rate ({args.reps} pairs per row)\n")
    print("\n".join(false_positive_table(rng, args.reps)))
    print(f"\n{time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
