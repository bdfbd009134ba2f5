"""interval_p bisects each cell with only the Wilson limits its nearer end needs: the same p, to the bit."""

import numpy as np
from scipy import special

from citizenfocus.stats.compare import interval_p
from citizenfocus.stats.intervals import newcombe_from_limits, wilson_limits


def _both_ends(p1, n1, p2, n2):
    """Every cell's both ends at each halving, as interval_p computed them before."""
    p1, n1, p2, n2 = (np.asarray(x, dtype=float) for x in (p1, n1, p2, n2))
    d = p1 - p2
    lo, hi = np.zeros_like(d), np.full_like(d, 40.0)
    for _ in range(60):
        mid = (lo + hi) / 2
        l1, u1 = wilson_limits(p1, n1, mid)
        l2, u2 = wilson_limits(p2, n2, mid)
        low, high = newcombe_from_limits(p1, l1, u1, p2, l2, u2)
        excludes = np.where(d >= 0, low > 0, high < 0)
        lo, hi = np.where(excludes, mid, lo), np.where(excludes, hi, mid)
    with np.errstate(invalid="ignore"):
        out = 2 * special.ndtr(-(lo + hi) / 2)
    return np.where(d == 0, 1.0, out)


def test_the_same_p_values_to_the_bit_as_bisecting_both_ends():
    rng = np.random.default_rng(11)
    size = 5000
    p1, p2 = rng.uniform(0, 1, size), rng.uniform(0, 1, size)
    n1, n2 = rng.uniform(0.5, 3000, size), rng.uniform(0.5, 3000, size)
    # edges: all or none satisfied, equal rates, no base, a missing rate
    p1[:40], p2[40:80], p1[80:120] = 1.0, 0.0, 0.0
    p2[120:160] = p1[120:160]
    n1[160:170], p2[170:180], n2[180:190] = 0.0, np.nan, 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = _both_ends(p1, n1, p2, n2)
    got = interval_p(p1, n1, p2, n2)
    np.testing.assert_array_equal(got, expected)
    assert ((got < 0.05) & (got > 0)).sum() > 100 and (got > 0.5).sum() > 100


def test_numbers_and_shapes():
    with np.errstate(divide="ignore", invalid="ignore"):
        assert interval_p(0.7, 200, 0.6, 150) == _both_ends(0.7, 200, 0.6, 150)
        assert interval_p(0.5, 100, 0.5, 100) == 1.0
    grid = np.full((3, 4), 0.62), np.full((3, 4), 120.0), np.linspace(0.3, 0.9, 12).reshape(3, 4), 90.0
    got = interval_p(*grid)
    assert got.shape == (3, 4)
    np.testing.assert_array_equal(got, _both_ends(*grid))
