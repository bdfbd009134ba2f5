"""The dissimilarity index and goodness of fit: hand-worked values."""

import pytest

from citizenfocus.stats.representativeness import representativeness


def test_dissimilarity_worked_by_hand():
    # respondents 90 White, 10 BME (90%, 10%); residents 800 and 200 (80%, 20%): D = ½(0.1 + 0.1) = 0.10
    # chi-square = (90 − 80)²/80 + (10 − 20)²/20 = 1.25 + 5 = 6.25, p = 0.01242 (1 df)
    r = representativeness({"White": 90, "BME": 10}, {"White": 800, "BME": 200})
    assert r.dissimilarity == pytest.approx(0.10)
    assert r.chi_square == pytest.approx(6.25)
    assert r.p == pytest.approx(0.012419, abs=1e-6)
    assert r.sentence("respondents").startswith("10% of respondents would have to be in another ethnic group")
    assert "significantly different from" in r.sentence("respondents")


def test_a_perfect_match_and_no_respondents():
    assert representativeness({"a": 8, "b": 2}, {"a": 80, "b": 20}).dissimilarity == pytest.approx(0.0)
    assert representativeness({}, {"a": 80}).dissimilarity is None


def test_the_sentence_writes_the_base_with_a_thousands_separator():
    sentence = representativeness({"White": 28224, "BME": 2120}, {"White": 800, "BME": 200}).sentence("respondents")
    assert sentence.endswith("(n=30,344).")
