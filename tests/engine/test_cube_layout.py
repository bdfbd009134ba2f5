"""The cube's layout helpers the board suite leans on: the same answers as the plain constructions."""

import numpy as np
import pytest

from citizenfocus.engine import open_file_source
from citizenfocus.engine.cube import STANDARD_DIMENSIONS, Cube, CubeKey
from citizenfocus.stats.intervals import t_for
from citizenfocus.surveys.definition import get_definition

USS = get_definition("uss")


@pytest.fixture
def cube(parquet_path):
    return Cube.from_source(open_file_source(parquet_path, USS), dimensions=STANDARD_DIMENSIONS)


@pytest.mark.parametrize("strata", [None, "crime_type", "division"])
def test_a_rekeyed_cube_is_the_cube_built_again_under_that_key(cube, strata):
    key = CubeKey(STANDARD_DIMENSIONS, strata, cube.measures[:3])
    rekeyed, built = cube.rekeyed(key, definition=USS, survey_key="uss"), Cube(cube.data, key=key, definition=USS,
                                                                                survey_key="uss")
    assert rekeyed.key == key and rekeyed.measures == cube.measures[:3] and rekeyed.survey_key == "uss"
    assert rekeyed.strata_values() == built.strata_values()
    np.testing.assert_array_equal(rekeyed._stratum_sizes(built.strata_values()),
                                  built._stratum_sizes(built.strata_values()))
    for by in (("division",), ("neighbourhood", "ethnic_group")):
        mine, theirs = rekeyed.grid(rekeyed.measures, by=by), built.grid(built.measures, by=by)
        assert mine.groups == theirs.groups and mine.strata == theirs.strata
        for name, values in theirs.stats.items():
            np.testing.assert_array_equal(mine.stats[name], values, err_msg=name)
    assert cube.key.strata is None and cube.measures == USS.measure_keys  # the original is left as it was


def test_rekeying_refuses_other_dimensions_or_measures_the_cube_lacks(cube):
    with pytest.raises(ValueError, match="grouped by"):
        cube.rekeyed(CubeKey(("division",), None, cube.measures))
    with pytest.raises(ValueError, match="not all in"):
        cube.rekeyed(CubeKey(STANDARD_DIMENSIONS, None, ("no_such_measure",)))
    with pytest.raises(ValueError, match="neither the cube's stratum nor one of its dimensions"):
        cube.rekeyed(CubeKey(STANDARD_DIMENSIONS, "month", cube.measures))


def test_observed_lists_each_combination_once_in_the_order_of_the_values(cube):
    by = ("division", "neighbourhood", "ethnic_group")
    found = cube.observed(by)
    codes = np.stack([cube._codes[d] for d in by], axis=1)
    expected = [tuple(cube._values[d][c] for d, c in zip(by, row, strict=True))
                for row in np.unique(codes, axis=0).tolist()]
    assert found == expected and len(found) == len(set(found)) > 1
    dated = cube.observed(by, dated=True)
    assert set(dated) <= set(found)


def test_t_quantiles_are_those_of_each_cell_computed_alone():
    from scipy import special

    df = np.array([[1.0, 2.0, np.inf, 0.5, np.nan, 3.0, 3.0, 1e6], [0.0, 7.0, 7.0, 2.0, 1.0, 40.0, 5.0, 5.0]])
    got = t_for(0.95, df)
    assert got.shape == df.shape
    for value, q in zip(df.ravel(), got.ravel(), strict=True):
        if value >= 1 and np.isfinite(value):
            assert q == special.stdtrit(value, 0.975)
        elif value >= 1:
            assert q == pytest.approx(1.959963984540054)
        else:
            assert q == np.inf
    assert t_for(0.95, 5.0) == special.stdtrit(5.0, 0.975)
