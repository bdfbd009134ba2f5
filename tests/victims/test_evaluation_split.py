"""The randomised evaluation's split: seeded, reproducible, half and half, nobody in both arms."""

import random

from citizenfocus.victims.evaluation import split_arms


def test_the_split_is_pythons_seeded_shuffle_of_the_ids_in_order():
    ids = [40, 3, 17, 8, 25, 11, 2]
    call, control = split_arms(ids, seed=99)
    shuffled = sorted(ids)
    random.Random(99).shuffle(shuffled)
    assert call == sorted(shuffled[:4]) and control == sorted(shuffled[4:])
    assert split_arms(list(reversed(ids)), seed=99) == (call, control)  # the order given does not matter
    assert not set(call) & set(control) and sorted(call + control) == sorted(ids)
    assert split_arms(ids, seed=100) != (call, control)
