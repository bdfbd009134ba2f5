"""The vectorised estimates: hand-computed values, published references, and equality with stats."""

import math

import numpy as np
import pytest

from citizenfocus.engine.estimates import compare_cells, estimate_cells, wilson, z_for


def _stats(rows, strata=None):
    """Sums over (weight, outcome) rows, one stratum per distinct label; outcome None is skipped."""
    strata = strata or [None] * len(rows)
    labels = sorted(set(strata), key=str)
    out = {s: np.zeros((1, len(labels))) for s in ("n", "sw", "swy", "sw2", "sw2y")}
    for (w, y), h in zip(rows, strata, strict=True):
        if y is None:
            continue
        j = labels.index(h)
        out["n"][0, j] += 1
        out["sw"][0, j] += w
        out["swy"][0, j] += w * y
        out["sw2"][0, j] += w * w
        out["sw2y"][0, j] += w * w * y
    return out


HAND = [(1.0, 1), (2.0, 0), (3.0, 1), (4.0, None), (2.0, 1)]


def test_a_small_weighted_example_matches_the_hand_computation():
    # p = (1 + 3 + 2) / (1 + 2 + 3 + 2) = 0.75
    # Σ w²(y − p)² = 1(.25)² + 4(.75)² + 9(.25)² + 4(.25)² = 3.125; / W² = 3.125 / 64
    # Var = n/(n−1) · that = 4/3 · 0.048828125 (S1 = Σ w(y − p)/W = 0 without strata)
    est = estimate_cells(_stats(HAND))
    assert est["rate"][0] == pytest.approx(0.75, abs=1e-15)
    assert est["se"][0] == pytest.approx(math.sqrt(4 / 3 * 3.125 / 64), abs=1e-15)
    assert est["n"][0] == 4
    assert est["n_eff"][0] == pytest.approx(0.75 * 0.25 / (4 / 3 * 3.125 / 64), abs=1e-12)


def test_strata_add_their_own_terms_and_a_single_unit_stratum_adds_nothing():
    rows = [(1.0, 1), (2.0, 0), (3.0, 1), (2.0, 1), (5.0, 0)]
    strata = ["a", "a", "b", "b", "c"]
    est = estimate_cells(_stats(rows, strata))
    w = sum(r[0] for r in rows)
    p = (1 + 3 + 2) / w
    var = 0.0
    for h in ("a", "b"):  # stratum c has one respondent: no term
        part = [r for r, s in zip(rows, strata, strict=True) if s == h]
        n_h = len(part)
        z = [wi * (yi - p) / w for wi, yi in part]
        mean = sum(z) / n_h
        var += n_h / (n_h - 1) * sum((zi - mean) ** 2 for zi in z)
    assert est["rate"][0] == pytest.approx(p, abs=1e-15)
    assert est["se"][0] == pytest.approx(math.sqrt(var), abs=1e-15)
    assert est["single_unit_strata"][0] == 1


def test_unweighted_data_reduce_to_p_q_over_n_minus_one():
    rows = [(1.0, 1)] * 30 + [(1.0, 0)] * 20
    est = estimate_cells(_stats(rows))
    assert est["se"][0] ** 2 == pytest.approx(0.6 * 0.4 / 49, abs=1e-15)


def test_deft_scales_the_standard_error_and_shrinks_the_effective_base():
    plain, designed = estimate_cells(_stats(HAND)), estimate_cells(_stats(HAND), deft=1.2)
    assert designed["se"][0] == pytest.approx(1.2 * plain["se"][0], abs=1e-15)
    assert designed["n_eff"][0] == pytest.approx(plain["n_eff"][0] / 1.44, abs=1e-12)


def test_an_empty_cell_has_n_zero_and_no_rate():
    est = estimate_cells(_stats([(1.0, None)]))
    assert est["n"][0] == 0 and est["n_eff"][0] == 0
    assert all(math.isnan(est[k][0]) for k in ("rate", "se", "ci_low", "ci_high"))


@pytest.mark.parametrize(
    ("x", "n", "low", "high"),
    [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718)],
)
def test_wilson_matches_newcombe_1998(x, n, low, high):
    got = wilson(np.array([x / n]), np.array([float(n)]), z_for(0.95))
    assert (round(float(got[0][0]), 4), round(float(got[1][0]), 4)) == (low, high)


@pytest.mark.parametrize(
    ("a", "b", "low", "high"),
    [((56, 70), (48, 80), 0.0524, 0.3339), ((9, 10), (3, 10), 0.1705, 0.8090), ((6, 7), (2, 7), 0.0582, 0.8062),
     ((5, 56), (0, 29), -0.0381, 0.1926), ((0, 10), (0, 20), -0.1611, 0.2775), ((10, 10), (0, 20), 0.6791, 1.0)],
)
def test_the_gap_interval_is_newcombes_hybrid_score_interval(a, b, low, high):
    def side(x, n):
        p = x / n
        return {"n": np.array([n]), "n_eff": np.array([float(n)]), "rate": np.array([p]),
                "se": np.array([math.sqrt(p * (1 - p) / n)])}

    got = compare_cells(side(*a), side(*b))
    assert (round(float(got["ci_low"][0]), 4), round(float(got["ci_high"][0]), 4)) == (low, high)
    expected = "significantly higher" if low > 0 else "not significantly different"
    assert got["verdict"][0] == expected


def test_a_gap_with_an_empty_side_says_no_data():
    empty = {"n": np.array([0]), "n_eff": np.array([np.nan]), "rate": np.array([np.nan]), "se": np.array([np.nan])}
    full = {"n": np.array([50]), "n_eff": np.array([49.0]), "rate": np.array([0.5]), "se": np.array([0.07])}
    assert compare_cells(full, empty)["verdict"][0] == "no data"


def test_z_for_95_percent_is_the_usual_value():
    assert z_for(0.95) == pytest.approx(1.959964, abs=1e-6)


# Equality with stats.estimate_rate, cell by cell ------------------------------------------


def _random_cells(seed: int, cells: int = 400, strata: int = 3):
    """Random weighted cells, with the awkward ones: empty, one respondent, all 0, all 1, empty strata."""
    rng = np.random.default_rng(seed)
    out = {s: np.zeros((cells, strata)) for s in ("n", "sw", "swy", "sw2", "sw2y")}
    for c in range(cells):
        kind = c % 8
        for h in range(strata):
            size = {0: 0, 1: 1 if h == 0 else 0}.get(kind, int(rng.integers(0, 12)))
            w = rng.uniform(0.2, 4.0, size)
            share = {2: 0.0, 3: 1.0}.get(kind, rng.uniform(0.1, 0.9))
            y = (rng.random(size) < share).astype(float)
            out["n"][c, h], out["sw"][c, h], out["swy"][c, h] = size, w.sum(), (w * y).sum()
            out["sw2"][c, h], out["sw2y"][c, h] = (w * w).sum(), (w * w * y).sum()
    return out


def _as_sums(arrays, c):
    from citizenfocus.stats import Sums

    return [
        Sums(int(arrays["n"][c, h]), *(float(arrays[s][c, h]) for s in ("sw", "swy", "sw2", "sw2y")))
        for h in range(arrays["n"].shape[1])
    ]


def _same(a, b):
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b))
    return b is not None and math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


@pytest.mark.parametrize("method", ["wilson", "logit", "wald", "cp"])
@pytest.mark.parametrize("deft", [1.0, 1.2])
def test_every_cell_equals_stats_estimate_rate(method, deft):
    from citizenfocus.stats import estimate_rate

    arrays = _random_cells(seed=int(deft * 10) + len(method))
    est = estimate_cells(arrays, deft=deft, method=method, level=0.9 if method == "cp" else 0.95)
    for c in range(arrays["n"].shape[0]):
        ref = estimate_rate(_as_sums(arrays, c), deft=deft, method=method, level=0.9 if method == "cp" else 0.95)
        for field in ("n", "n_eff", "rate", "se", "ci_low", "ci_high", "single_unit_strata"):
            assert _same(float(est[field][c]), getattr(ref, field)), (c, field, est[field][c], ref)


def test_every_gap_equals_stats_compare_rates():
    from citizenfocus.stats import compare_rates, estimate_rate

    first, second = _random_cells(seed=3), _random_cells(seed=4)
    gaps = compare_cells(estimate_cells(first, deft=1.2), estimate_cells(second, deft=1.2))
    for c in range(first["n"].shape[0]):
        ref = compare_rates(estimate_rate(_as_sums(first, c), deft=1.2), estimate_rate(_as_sums(second, c), deft=1.2))
        for field in ("diff", "ci_low", "ci_high", "z", "p"):
            assert _same(float(gaps[field][c]), getattr(ref, field)), (c, field, gaps[field][c], ref)
        assert gaps["verdict"][c] == ref.verdict
