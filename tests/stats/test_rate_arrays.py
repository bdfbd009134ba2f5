"""rate_arrays and compare_arrays, the one implementation of statistics.md §2–3: hand-computed values,
published references, domains, the cautious base and the minimum base for a test."""

import math

import numpy as np
import pytest

from citizenfocus.stats import MIN_TEST_BASE, NOT_TESTED, compare_arrays, rate_arrays, z_for
from citizenfocus.stats.intervals import wilson_limits

estimate_cells = rate_arrays


def compare_cells(a, b):
    return compare_arrays(a, b, min_base=0)


def wilson(p, n, z):
    return wilson_limits(p, n, z)


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


# Domains, the cautious base and the minimum base ------------------------------------------


def test_a_domain_uses_its_strata_whole_design_sizes_as_r_svyby():
    # Two strata of 4 in the whole design; the group holds 2 of stratum a and 1 of stratum b.
    rows = [(1.0, 1), (3.0, 0), (2.0, 1)]
    strata = ["a", "a", "b"]
    est = rate_arrays(_stats(rows, strata), stratum_sizes=np.array([4.0, 4.0]))
    w = 6.0
    p = 3.0 / w
    var = 0.0
    for members in (rows[:2], rows[2:]):
        z = [wi * (yi - p) / w for wi, yi in members] + [0.0] * (4 - len(members))  # zeros outside the group
        mean = sum(z) / 4
        var += 4 / 3 * sum((zi - mean) ** 2 for zi in z)
    assert est["se"][0] == pytest.approx(math.sqrt(var), abs=1e-15)
    assert est["single_unit_strata"][0] == 0  # b has one of the group but four in the design
    assert est["df"][0] == 3 - 2


def test_a_stratum_of_one_in_the_whole_design_is_counted_and_adds_nothing():
    rows = [(1.0, 1), (2.0, 0), (3.0, 1)]
    with_lonely = rate_arrays(_stats(rows, ["a", "a", "b"]), stratum_sizes=np.array([5.0, 1.0]))
    assert with_lonely["single_unit_strata"][0] == 1


def test_a_stratum_size_below_the_groups_count_is_refused():
    with pytest.raises(ValueError, match="whole-design size"):
        rate_arrays(_stats([(1.0, 1), (1.0, 0)]), stratum_sizes=np.array([1.0]))


def test_the_cautious_base_is_never_above_kish_or_the_design_base():
    rng = np.random.default_rng(5)
    rows = [(float(w), int(y)) for w, y in zip(rng.lognormal(0, 0.8, 40), rng.random(40) < 0.85, strict=True)]
    est = rate_arrays(_stats(rows))
    arrays = _stats(rows)
    kish = arrays["sw"].sum() ** 2 / arrays["sw2"].sum()
    assert est["n_ci"][0] <= kish + 1e-9
    assert est["n_ci"][0] <= est["n_eff"][0] + 1e-9


def test_below_the_minimum_base_no_difference_is_called_significant():
    def side(n, p):
        return {"n": np.array([n]), "n_eff": np.array([float(n)]), "rate": np.array([p]),
                "se": np.array([math.sqrt(p * (1 - p) / n)])}

    small = compare_arrays(side(MIN_TEST_BASE - 1, 1.0), side(MIN_TEST_BASE - 1, 0.1))
    assert small["verdict"][0] == NOT_TESTED
    large = compare_arrays(side(MIN_TEST_BASE, 1.0), side(MIN_TEST_BASE, 0.1))
    assert large["verdict"][0] == "significantly higher"


def test_the_p_from_the_interval_agrees_with_the_verdict():
    rng = np.random.default_rng(9)
    n1, n2 = rng.integers(20, 400, 300).astype(float), rng.integers(20, 400, 300).astype(float)
    p1, p2 = rng.uniform(0.5, 0.95, 300), rng.uniform(0.5, 0.95, 300)
    a = {"n": n1, "n_eff": n1, "rate": p1, "se": np.sqrt(p1 * (1 - p1) / n1)}
    b = {"n": n2, "n_eff": n2, "rate": p2, "se": np.sqrt(p2 * (1 - p2) / n2)}
    got = compare_arrays(a, b)
    significant = np.isin(got["verdict"], ("significantly higher", "significantly lower"))
    assert significant.any() and (~significant).any()
    assert np.array_equal(significant, got["p_interval"] < 0.05)


def test_a_cell_where_every_answer_is_the_same_has_a_rate_of_exactly_one_whatever_the_order_of_addition():
    # the same weights added in two orders: Σwy a rounding error away from Σw (2.4000000000000004 against 2.4)
    weights = [0.1, 0.7, 0.2, 0.3, 1.1]
    forward = sum(weights)
    backward = sum(reversed(weights))
    assert forward != backward  # the case: the same total, two different last bits
    sums = {"n": np.array([[5.0]]), "sw": np.array([[forward]]), "swy": np.array([[backward]]),
            "sw2": np.array([[sum(w * w for w in weights)]]), "sw2y": np.array([[sum(w * w for w in weights)]])}
    out = rate_arrays(sums)
    assert out["rate"][0] == 1.0
    kish = forward**2 / sum(w * w for w in weights)
    assert out["n_eff"][0] == pytest.approx(kish, rel=1e-12)  # no variance: Kish's base, not p(1-p)/1e-33
    none = dict(sums, swy=np.array([[1e-17]]), sw2y=np.array([[0.0]]))
    assert rate_arrays(none)["rate"][0] == 0.0
