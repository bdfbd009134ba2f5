"""One cube: the CLI's rows, the board suite and the dashboard's pages read the persisted engine cube when it
holds their request, and get the numbers the responses give (the same GROUP BY, run at import)."""

import numpy as np
import pytest

from citizenfocus.engine import (
    Request,
    board_suite,
    gap_rows,
    indicator_rows,
    open_db_source,
    stored,
)
from citizenfocus.engine.cube import STANDARD_DIMENSIONS, Cube
from citizenfocus.performance import cube as cubes
from citizenfocus.performance.pages import PAGES
from citizenfocus.performance.pages.base import Filters

pytestmark = pytest.mark.django_db


@pytest.fixture
def from_source_calls(monkeypatch):
    calls = []
    original = Cube.from_source.__func__

    def spy(cls, *args, **kwargs):
        calls.append(kwargs.get("dimensions"))
        return original(cls, *args, **kwargs)

    monkeypatch.setattr(Cube, "from_source", classmethod(spy))
    return calls


def _close(a, b, *, rel=1e-12):
    """Equal, floats to `rel`: two GROUP BYs may add the same rows in another order (PostgreSQL follows the
    rows' physical order, which updates and deletes change), so the last bits of a sum can differ."""
    if isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys()
        for key in a:
            _close(a[key], b[key], rel=rel)
    elif isinstance(a, list | tuple):
        assert isinstance(b, list | tuple) and len(a) == len(b)
        for one, other in zip(a, b, strict=True):
            _close(one, other, rel=rel)
    elif isinstance(a, float) and isinstance(b, float):
        assert a == pytest.approx(b, rel=rel, abs=1e-12, nan_ok=True)
    else:
        assert a == b


def test_indicator_and_gap_rows_from_the_persisted_cube_equal_those_from_the_responses(
        demo_data, from_source_calls, monkeypatch):
    source = open_db_source("uss")
    assert source.stored_survey == "uss"
    asked = [Request(measure="whole_experience", by=("division",)),
             Request(measure="kept_informed", by=("neighbourhood", "month"), period="rolling12:2013-12"),
             Request(measure="treatment", by=("crime_type", "age_band"), strata="division")]
    persisted = [indicator_rows(source, r) for r in asked] + [gap_rows(source, asked[0])]
    assert from_source_calls == []  # every request was a slice of the persisted cube

    monkeypatch.setattr(stored, "cube_for", lambda *a, **k: None)
    scanned = [indicator_rows(source, r) for r in asked] + [gap_rows(source, asked[0])]
    assert len(from_source_calls) == 4
    for mine, theirs in zip(persisted, scanned, strict=True):
        assert len(mine) == len(theirs) > 0
        for row, other in zip(mine, theirs, strict=True):
            _close(row, other)


def test_a_request_the_persisted_cube_cannot_answer_groups_the_responses(demo_data, from_source_calls):
    source = open_db_source("uss")
    indicator_rows(source, Request(measure="whole_experience", by=("sex",)))
    indicator_rows(source, Request(measure="whole_experience", date_basis="incident"))
    assert from_source_calls == [("sex",), ()]


def test_the_board_suite_from_the_persisted_cube_equals_the_suite_from_the_responses(
        demo_data, from_source_calls, monkeypatch):
    source = open_db_source("uss")
    persisted = board_suite(source)
    assert from_source_calls == []
    monkeypatch.setattr(stored, "cube_for", lambda *a, **k: None)
    scanned = board_suite(source)
    assert persisted.areas == scanned.areas and persisted.ends == scanned.ends
    np.testing.assert_array_equal(persisted.estimates["n"], scanned.estimates["n"])
    # Rates and gaps to 1e-12, and intervals and effective bases too, windows where every answer is the same
    # included: their rate is exactly 1 (or 0) whichever order the additions took (stats.rates._snapped_rate).
    np.testing.assert_allclose(persisted.estimates["rate"], scanned.estimates["rate"], rtol=0, atol=1e-12)
    rate = scanned.estimates["rate"]
    assert ((rate == 1.0) | (rate == 0.0)).sum() > 0  # the windows with no spread are in the comparison
    for name in ("ci_low", "ci_high", "n_eff"):
        np.testing.assert_allclose(persisted.estimates[name], scanned.estimates[name], rtol=1e-9,
                                   atol=1e-12, err_msg=name)
    np.testing.assert_allclose(persisted.gap["diff"], scanned.gap["diff"], rtol=0, atol=1e-12)


def test_the_persisted_cube_holds_the_sums_of_a_fresh_group_by(demo_data):
    source = open_db_source("uss")
    asked = {"dimensions": STANDARD_DIMENSIONS, "strata": None, "measures": source.measures}
    persisted, scanned = stored.cube_for(source, **asked), Cube.from_source(source, **asked)
    mine, theirs = persisted.grid(source.measures, by=STANDARD_DIMENSIONS), scanned.grid(
        source.measures, by=STANDARD_DIMENSIONS)
    assert mine.groups == theirs.groups and mine.first_month == theirs.first_month
    for name, values in theirs.stats.items():
        np.testing.assert_allclose(mine.stats[name], values, rtol=1e-12, atol=1e-12, err_msg=name)


@pytest.mark.parametrize("page", sorted(set(PAGES) - {"drivers"}))
def test_every_page_from_the_persisted_cube_equals_the_page_from_the_responses(demo_data, page):
    cubes.clear()
    persisted = cubes.get_cube("uss")
    source = open_db_source("uss")
    built = Cube.from_source(source, dimensions=STANDARD_DIMENSIONS, strata=source.definition.strata)
    scanned = Cube(built.data, key=built.key, definition=source.definition, survey_key="uss",
                   version=persisted.version)
    filters = Filters(survey="uss", measure=persisted.definition.overall_measure, period="", crime_type=None,
                      division=None, neighbourhood=None)
    build = PAGES[page][0]
    _close(build(persisted, filters).as_dict()["tables"], build(scanned, filters).as_dict()["tables"], rel=1e-9)
