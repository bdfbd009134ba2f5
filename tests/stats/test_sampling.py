"""The panel's stratified sample: reproducible, allocated as asked, with inclusion probabilities."""

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from citizenfocus.stats.sampling import allocate, stratified_sample

KEYS = [f"s{i:04d}" for i in range(1000)]
STRATA = ["section 60"] * 50 + ["no further action"] * 650 + ["other"] * 300


def test_the_same_seed_gives_the_same_sample_and_another_seed_another():
    one = stratified_sample(KEYS, STRATA, n=40, seed=7, oversample={"section 60": 4})
    assert one == stratified_sample(list(reversed(KEYS)), list(reversed(STRATA)), n=40, seed=7,
                                    oversample={"section 60": 4})
    assert one != stratified_sample(KEYS, STRATA, n=40, seed=8, oversample={"section 60": 4})


def test_oversampling_gives_a_stratum_more_than_its_share_worked_by_hand():
    # N·k: 50·4 = 200, 650·1 = 650, 300·1 = 300 (total 1,150); n = 46 → 8.0, 26.0, 12.0
    assert allocate({"section 60": 50, "no further action": 650, "other": 300}, 46, {"section 60": 4}) == {
        "section 60": 8, "no further action": 26, "other": 12}
    drawn = stratified_sample(KEYS, STRATA, n=46, seed=1, oversample={"section 60": 4})
    counts = Counter(d.stratum for d in drawn)
    assert counts["section 60"] == 8
    assert {d.probability for d in drawn if d.stratum == "section 60"} == {8 / 50}


@given(st.dictionaries(st.sampled_from("abcde"), st.integers(0, 40), min_size=1), st.integers(0, 120))
def test_allocation_adds_up_and_never_exceeds_a_stratum(sizes, n):
    take = allocate(sizes, n, {"a": 3.0})
    assert sum(take.values()) == min(n, sum(sizes.values()))
    assert all(0 <= take[h] <= sizes[h] for h in sizes)
