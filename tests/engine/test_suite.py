"""The board suite: one GROUP BY, and every cell the same as the indicator rows would say."""

import ibis.expr.types as ir
import pytest

from citizenfocus.engine import board_suite, gap_rows, indicator_rows, open_file_source
from citizenfocus.engine.sums import month_start
from citizenfocus.surveys.definition import get_definition

USS = get_definition("uss")


@pytest.fixture
def source(parquet_path):
    return open_file_source(parquet_path, USS)


def test_the_whole_suite_is_one_query(source, monkeypatch):
    calls = []
    original = ir.Table.to_pyarrow

    def counting(self, *args, **kwargs):
        calls.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(ir.Table, "to_pyarrow", counting)
    suite = board_suite(source, windows=24)
    assert len(calls) == 1
    # 6 measures (five and the "neither" share) × (force + 3 divisions + 6 neighbourhoods) × 24 windows
    # × (all, white, BME, gap)
    assert suite.cells == 6 * 10 * 24 * 4
    assert len(suite.rows()) == suite.cells


def _window(end: int) -> str:
    return f"rolling12:{month_start(end).isoformat()[:7]}"


@pytest.mark.parametrize("measure", ["kept_informed", "whole_experience"])
def test_each_cell_equals_the_indicator_rows_for_its_window(source, measure):
    suite = board_suite(source, measures=(measure,), windows=6)
    for j, end in enumerate(suite.ends):
        by_hood = indicator_rows(source, measure=measure, by=("division", "neighbourhood", "ethnic_group"),
                                 period=_window(end))
        by_division = indicator_rows(source, measure=measure, by=("division",), period=_window(end))
        everyone = indicator_rows(source, measure=measure, period=_window(end))
        gaps = gap_rows(source, measure=measure, by=("division", "neighbourhood"), period=_window(end))
        for a, area in enumerate(suite.areas):
            if area.level == "force":
                expected = {"all": everyone[0]}
            elif area.level == "division":
                expected = {"all": next(r for r in by_division if r["group"]["division"] == area.division)}
            else:
                here = [r for r in by_hood if r["group"]["neighbourhood"] == area.neighbourhood]
                expected = {r["group"]["ethnic_group"]: r for r in here}
                gap = next(r for r in gaps if r["group"]["neighbourhood"] == area.neighbourhood)
                assert suite.gap["verdict"][0, a, j] == gap["verdict"]
                if gap["diff"] is not None:
                    assert suite.gap["diff"][0, a, j] == pytest.approx(gap["diff"], abs=1e-12)
            for g, group in enumerate(("all", "white", "bme")):
                if group not in expected:
                    continue
                row = expected[group]
                assert suite.estimates["n"][0, a, g, j] == row["n"]
                if row["rate"] is not None:
                    assert suite.estimates["rate"][0, a, g, j] == pytest.approx(row["rate"], abs=1e-12)
                    assert suite.estimates["ci_low"][0, a, g, j] == pytest.approx(row["ci_low"], abs=1e-12)


def test_rows_are_plain_values_for_json(source):
    rows = board_suite(source, measures=("treatment",), windows=1).rows()
    gap = next(r for r in rows if r["group"] == "gap")
    assert isinstance(gap["verdict"], str)
    assert rows[0]["level"] == "force" and rows[0]["window_months"] == 12 and isinstance(rows[0]["n"], int)
    assert all(v is None or isinstance(v, str | int | float) for r in rows for v in r.values())


def _stratified_uss():
    import tomllib

    from citizenfocus.surveys.definition import DEFINITIONS_DIR, parse_definition

    data = tomllib.loads((DEFINITIONS_DIR / "uss.toml").read_text())
    return parse_definition({**data, "strata": "crime_type"}, source="uss sampled by crime type")


def test_with_the_surveys_own_strata_each_cell_equals_the_stratified_indicator_rows(parquet_path):
    source = open_file_source(parquet_path, _stratified_uss())
    suite = board_suite(source, measures=("kept_informed",), windows=3)
    plain = board_suite(open_file_source(parquet_path, USS), measures=("kept_informed",), windows=3)
    for j, end in enumerate(suite.ends):
        [everyone] = indicator_rows(source, measure="kept_informed", period=_window(end))
        assert everyone["se"] == pytest.approx(
            indicator_rows(source, measure="kept_informed", period=_window(end), strata="crime_type")[0]["se"],
            rel=1e-12)
        assert suite.estimates["se"][0, 0, 0, j] == pytest.approx(everyone["se"], rel=1e-12)
        assert suite.estimates["se"][0, 0, 0, j] != pytest.approx(plain.estimates["se"][0, 0, 0, j], rel=1e-6)
        gaps = gap_rows(source, measure="kept_informed", by=("division",), period=_window(end))
        for a, area in enumerate(suite.areas):
            if area.level == "division":
                gap = next(g for g in gaps if g["group"]["division"] == area.division)
                assert suite.gap["ci_low"][0, a, j] == pytest.approx(gap["ci_low"], rel=1e-12)
                assert suite.estimates["se"][0, a, 2, j] == pytest.approx(gap["bme"]["se"], rel=1e-12)


def test_a_definition_names_only_a_column_a_survey_is_sampled_within():
    import tomllib

    from citizenfocus.surveys.definition import DEFINITIONS_DIR, DefinitionError, parse_definition

    data = tomllib.loads((DEFINITIONS_DIR / "uss.toml").read_text())
    with pytest.raises(DefinitionError, match="strata 'ethnicity' is not a stored column"):
        parse_definition({**data, "strata": "ethnicity"}, source="uss.toml")
