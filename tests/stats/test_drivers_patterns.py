"""Key drivers from answer patterns give exactly the figures of key drivers from responses."""

import numpy as np
import pandas as pd
import pytest

from citizenfocus.stats.drivers import key_drivers, key_drivers_from_patterns

NAMES = ["Ease of contact", "Actions taken", "Kept informed", "Treatment"]


def _responses(seed: int, n: int = 4000):
    rng = np.random.default_rng(seed)
    x = (rng.random((n, 4)) < [0.9, 0.78, 0.7, 0.88]).astype(float)
    logit = -2.2 + x @ np.array([0.9, 1.4, 1.9, 1.2])
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(float)
    x[rng.random((n, 4)) < 0.03] = np.nan  # some aspects not answered: left out as incomplete
    w = np.round(rng.uniform(0.4, 2.2, n), 4)
    return y, x, w


def _patterns(y, x, w):
    frame = pd.DataFrame(x, columns=NAMES).assign(y=y, w=w, w2=w * w)
    grouped = frame.groupby([*NAMES, "y"], dropna=False).agg(n=("w", "size"), sw=("w", "sum"), sw2=("w2", "sum"))
    grouped = grouped.reset_index()
    return grouped["y"].to_numpy(), grouped[NAMES].to_numpy(), grouped


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_patterns_reproduce_the_response_level_key_drivers(seed):
    y, x, w = _responses(seed)
    expected = key_drivers(y, x, names=NAMES, weights=w)
    py, px, grouped = _patterns(y, x, w)
    assert len(grouped) < 100  # a few dozen rows stand for thousands of responses
    got = key_drivers_from_patterns(py, px, n=grouped["n"], sw=grouped["sw"], sw2=grouped["sw2"], names=NAMES)
    assert got.n == expected.n
    assert got.r_squared == pytest.approx(expected.r_squared, rel=1e-9)
    for a, b in zip(got.drivers, expected.drivers, strict=True):
        assert a.name == b.name and a.act_here == b.act_here
        for field in ("odds_ratio", "ci_low", "ci_high", "importance", "performance"):
            assert getattr(a, field) == pytest.approx(getattr(b, field), rel=1e-9), field


def test_too_few_complete_responses_are_refused_by_count_not_by_patterns():
    with pytest.raises(ValueError, match="3 complete responses are too few for 4 aspects"):
        key_drivers_from_patterns([1.0, 0.0], [[1, 1, 1, 1], [0, 0, 0, 0]], n=[2, 1], sw=[2.0, 1.0], sw2=[2.0, 1.0],
                                  names=NAMES)
