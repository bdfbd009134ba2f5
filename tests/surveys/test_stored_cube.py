"""The dashboard's monthly sums kept in the database: after every import, re-import, erasure and purge the
persisted cells (the measures' sums and the answer-code shares' sums) are exactly a fresh GROUP BY of every
stored response; a refused import leaves them as they were; and the dashboard's cubes (the rates' and the
distribution's) are read from them, not from the responses."""

import datetime as dt

import numpy as np
import pytest

from citizenfocus.engine import stored
from citizenfocus.engine.cube import STANDARD_DIMENSIONS, Cube
from citizenfocus.engine.sums import STATISTICS, month_number
from citizenfocus.performance import cube as cubes
from citizenfocus.surveys.importing import ImportRefused, survey_import
from citizenfocus.surveys.models import CubeMonth, Response, Survey
from citizenfocus.surveys.respondents import respondent_erase
from citizenfocus.surveys.retention import survey_purge

from .conftest import TODAY, USS_COLUMNS, uss_row, write_csv

pytestmark = pytest.mark.django_db
ROWS = [
    uss_row(1),
    uss_row(2, interview_date="2013-07-03", ethnicity="A2", whole_experience="6", weight="1.25"),
    uss_row(3, interview_date="2013-07-21", neighbourhood="", ward="", treatment="", weight="0.75"),
    uss_row(4, interview_date="2011-05-10", incident_date="2011-03-28", division="Southern", neighbourhood="Riverside", ward="Quayside",
            age_band="25-34", ethnicity="NS", weight="2.5"),
    uss_row(5, interview_date="2013-08-30", crime_type="vehicle_crime", kept_informed="1", weight="1.1"),
]


def _import(tmp_path, rows, name="survey.csv"):
    path = write_csv(tmp_path / name, rows, columns=USS_COLUMNS)
    return survey_import(path=path, survey="uss", today=TODAY, user_name="analyst")


def _by_cell(sums) -> dict:
    """(month, dimension values...) → (rows, every measure's five sums)."""
    out = {}
    for i in range(len(sums)):
        key = (int(sums.month[i]), *(sums.keys[d][i] for d in STANDARD_DIMENSIONS))
        assert key not in out, f"cell {key} twice"
        out[key] = (sums.rows[i], tuple(sums.sums[m][s][i] for m in sums.measures for s in STATISTICS))
    return out


def _persisted(survey) -> dict:
    """The persisted cells, each with its measures' sums and then its share measures' sums (fresh_sums' order)."""
    measures, shares = stored._measure_keys(survey.definition)
    rates = _by_cell(stored.read_sums(survey, measures))
    distribution = _by_cell(stored.read_sums(survey, shares, shares=True))
    assert rates.keys() == distribution.keys()
    assert all(rates[k][0] == distribution[k][0] for k in rates)
    return {k: (rows, sums + distribution[k][1]) for k, (rows, sums) in rates.items()}


def assert_persisted_is_fresh(survey=None):
    survey = survey or Survey.objects.get(key="uss")
    persisted, fresh = _persisted(survey), _by_cell(stored.fresh_sums(survey))
    measures, shares = stored._measure_keys(survey.definition)
    assert stored.fresh_sums(survey).measures == measures + shares and len(shares) > len(measures)
    assert persisted.keys() == fresh.keys()
    for key, (rows, sums) in fresh.items():
        assert persisted[key][0] == rows, key
        np.testing.assert_array_equal(persisted[key][1], sums, err_msg=str(key))
    assert sum(rows for rows, _ in persisted.values()) == Response.objects.filter(survey=survey).count()


def test_an_import_writes_the_cells_of_its_months(areas, tmp_path):
    _import(tmp_path, ROWS)

    assert_persisted_is_fresh()
    months = set(CubeMonth.objects.values_list("month", flat=True))
    assert months == {month_number(dt.date(y, m, 1)) for y, m in ((2013, 6), (2013, 7), (2011, 5), (2013, 8))}
    july = [c for k, c in _persisted(Survey.objects.get(key="uss")).items()
            if k[0] == month_number(dt.date(2013, 7, 1))]
    assert sorted(rows for rows, _ in july) == [1, 1]  # one response with no neighbourhood, its own cell


def test_the_months_matrices_are_stored_compressed_and_plain_ones_written_before_still_read(areas, tmp_path):
    import pyarrow as pa

    _import(tmp_path, ROWS)
    survey = Survey.objects.get(key="uss")
    before = _persisted(survey)
    month = CubeMonth.objects.filter(survey=survey).order_by("month").first()
    assert bytes(month.sums)[:4] == bytes(month.shares)[:4] == stored.ZSTD_MAGIC
    width = len(stored._measure_keys(survey.definition)[0]) * 5
    plain = pa.Codec("zstd").decompress(bytes(month.sums), decompressed_size=month.cells * width * 8, asbytes=True)
    assert len(plain) == month.cells * width * 8 > len(bytes(month.sums))

    # as a version before compression wrote them: plain float64
    shares_width = sum(3 + 2 * len(keys) for keys in stored._questions(stored._measure_keys(survey.definition)[1]))
    for m in CubeMonth.objects.filter(survey=survey):
        m.sums = stored._plain(bytes(m.sums), m.cells * width * 8)
        m.shares = stored._plain(bytes(m.shares), m.cells * shares_width * 8)
        assert bytes(m.sums)[:4] != stored.ZSTD_MAGIC
        m.save(update_fields=["sums", "shares"])
    assert _persisted(survey) == before


def test_a_reimport_that_moves_a_row_to_another_month_and_changes_an_answer_refreshes_both_months(areas, tmp_path):
    _import(tmp_path, ROWS)
    june = month_number(dt.date(2013, 6, 1))

    moved = [uss_row(1, interview_date="2013-09-02", whole_experience="7"), *ROWS[1:],
             uss_row(6, interview_date="2013-08-01")]
    summary = _import(tmp_path, moved, name="again.csv")

    assert (summary.rows_new, summary.rows_changed) == (1, 1)
    assert_persisted_is_fresh()
    assert not CubeMonth.objects.filter(month=june).exists()  # its only response moved out


def test_a_changed_answer_in_the_same_month_is_counted_anew(areas, tmp_path):
    _import(tmp_path, ROWS)
    _import(tmp_path, [uss_row(2, interview_date="2013-07-03", ethnicity="A2", whole_experience="1",
                               weight="1.25")], name="again.csv")

    assert_persisted_is_fresh()


def test_a_refused_import_leaves_the_cells_as_they_were(areas, tmp_path):
    _import(tmp_path, ROWS)
    before = _persisted(Survey.objects.get(key="uss"))

    with pytest.raises(ImportRefused):
        _import(tmp_path, [uss_row(7, interview_date="2013-10-01"), uss_row(8, interview_date="not a date")],
                name="bad.csv")

    assert _persisted(Survey.objects.get(key="uss")) == before


def test_an_erasure_refreshes_the_respondents_month(areas, tmp_path):
    _import(tmp_path, ROWS)

    respondent_erase(survey=Survey.objects.get(key="uss"), response_id="U00002", reason="request 1",
                     who_name="dpo")

    assert_persisted_is_fresh()
    assert Response.objects.count() == 4


def test_a_purge_keeps_the_cells_equal_to_the_anonymised_responses(areas, tmp_path):
    _import(tmp_path, ROWS)

    result = survey_purge(survey=Survey.objects.get(key="uss"), who_name="dpo", today=TODAY)

    assert result.anonymised == 1
    assert_persisted_is_fresh()


def test_the_dashboard_reads_the_persisted_cells_not_the_responses(areas, tmp_path, monkeypatch):
    _import(tmp_path, ROWS)
    cubes.clear()

    def refuse(*args, **kwargs):
        raise AssertionError("the dashboard's cube went back to the responses")

    monkeypatch.setattr(stored, "fresh_sums", refuse)
    monkeypatch.setattr(stored, "fresh_parts", refuse)
    monkeypatch.setattr(Cube, "from_source", refuse)
    cube = cubes.get_cube("uss")

    assert cube.design_size == len(ROWS)
    assert cube.key.dimensions == STANDARD_DIMENSIONS
    everyone = cube.sums(cube.slice(), "whole_experience")
    assert everyone["n"].iloc[0] == 5
    assert everyone["swy"].iloc[0] == pytest.approx(1 + 0.75 + 2.5 + 1.1)  # codes 1-3 satisfied; U00002 gave 6


def test_a_changed_definition_rebuilds_every_month_on_the_next_read(areas, tmp_path):
    _import(tmp_path, ROWS)
    survey = Survey.objects.get(key="uss")
    CubeMonth.objects.filter(survey=survey).update(responses=99)  # what a stale layout would hold
    survey.definition_toml += "\n# edited\n"
    survey.save(update_fields=["definition_toml"])

    stored.load_cube("uss")

    assert_persisted_is_fresh(survey)


def test_every_month_rebuilt_in_place_gives_the_same_cells(areas, tmp_path):
    _import(tmp_path, ROWS)
    survey = Survey.objects.get(key="uss")
    before = _persisted(survey)

    written = stored.refresh_months(survey, None)

    assert written == len(before) and _persisted(survey) == before
    assert stored.refresh_months(survey, []) == 0  # nothing asked, nothing rewritten


def test_a_rebuild_a_few_months_at_a_time_gives_the_cells_of_one_query_over_every_month(areas, tmp_path,
                                                                                          monkeypatch):
    """The stored responses are grouped a few whole months at a time (STORED_ROWS_PER_QUERY responses): no
    month dropped, none counted twice, every cell's sums the same bits as one query over every month (July,
    a group of its own, has no answer to one question: a column of NULLs)."""
    days = [dt.date(2013, 1 + i % 7, 1 + i % 27) for i in range(41)]
    rows = [uss_row(i, interview_date=days[i].isoformat(), incident_date=(days[i] - dt.timedelta(days=40)).isoformat(),
                    ethnicity=("W1", "A2", "NS")[i % 3], whole_experience=str(1 + i % 7),
                    treatment=("1", "3", "5", "")[i % 4] if i % 7 != 6 else "", weight=f"{0.3 + (i * 0.6180339887) % 2:.7f}")
            for i in range(1, 41)]
    _import(tmp_path, rows)
    survey = Survey.objects.get(key="uss")
    groups, original = [], stored._month_groups

    def spy(*args, **kwargs):
        groups.append(original(*args, **kwargs))
        return groups[-1]

    monkeypatch.setattr(stored, "_month_groups", spy)
    monkeypatch.setattr(stored, "STORED_ROWS_PER_QUERY", 10**9)
    stored.refresh_months(survey, None)
    one = _persisted(survey)
    monkeypatch.setattr(stored, "STORED_ROWS_PER_QUERY", 12)  # 5 or 6 responses a month: two months a group
    written = stored.refresh_months(survey, None)

    assert [len(g) for g in groups[0]] == [7]
    assert sorted(m for g in groups[1] for m in g) == sorted(groups[0][0])
    assert [len(g) for g in groups[1]] == [2, 2, 2, 1]
    assert written == len(one) and _persisted(survey) == one
    assert sum(rows for rows, _ in one.values()) == 40
    assert_persisted_is_fresh(survey)


@pytest.mark.django_db(transaction=True)  # the engine's own connection reads the responses for the comparison
def test_the_distribution_page_and_the_cli_read_the_persisted_shares_not_the_responses(areas, tmp_path, monkeypatch,
                                                                                       client, make_user):
    from citizenfocus.cli.indicators import _distribution_rows
    from citizenfocus.engine import Request, open_db_source
    from citizenfocus.performance import memo

    _import(tmp_path, ROWS)
    survey = Survey.objects.get(key="uss")
    # the figures from the responses, before the spy: what the persisted shares must give
    source = open_db_source("uss", shares=True)
    expected = Cube.from_source(source, dimensions=STANDARD_DIMENSIONS, strata=source.definition.strata)
    request = Request(measure="whole_experience", by=("ethnic_group",), period="rolling12:2013-08")
    from_responses = _distribution_rows(source, request, gap=None)
    cubes.clear()
    memo.results.clear()

    def refuse(*args, **kwargs):
        raise AssertionError("the distribution went back to the responses")

    monkeypatch.setattr(stored, "fresh_sums", refuse)
    monkeypatch.setattr(stored, "fresh_parts", refuse)
    monkeypatch.setattr(Cube, "from_source", refuse)
    shares = cubes.get_cube("uss", shares=True)
    assert shares.measures == stored._measure_keys(survey.definition)[1]
    for measure in shares.measures:
        got, want = shares.sums(shares.slice(), measure, by=("ethnic_group",)), expected.sums(
            expected.slice(), measure, by=("ethnic_group",))
        np.testing.assert_allclose(got.to_numpy(), want.to_numpy(), rtol=1e-12, err_msg=measure)
    everyone = shares.sums(shares.slice(), "whole_experience__code_6")
    assert (everyone["n"].iloc[0], everyone["swy"].iloc[0]) == (5, 1.25)  # U00002 alone gave code 6

    assert _distribution_rows(open_db_source("uss", shares=True), request, gap=None) == from_responses

    client.force_login(make_user("board_member"))
    page = client.get("/performance/distribution/?survey=uss&measure=whole_experience&format=json")
    assert page.status_code == 200, page.content[:300]
    rows = page.json()["tables"]["distribution"]["rows"]
    assert [r["code"] for r in rows] == [1, 2, 3, 4, 5, 6, 7]
    assert rows[5]["all_n"] == 4  # the default period, the 12 months to Aug 2013: the 2011 response is out


def test_erasing_a_months_only_response_leaves_that_month_without_a_row(areas, tmp_path):
    _import(tmp_path, ROWS)
    may_2011 = month_number(dt.date(2011, 5, 1))
    assert CubeMonth.objects.filter(month=may_2011).exists()

    respondent_erase(survey=Survey.objects.get(key="uss"), response_id="U00004", reason="request 2", who_name="dpo")

    assert not CubeMonth.objects.filter(month=may_2011).exists()
    assert_persisted_is_fresh()


# -- months only an import holds are summed from its own checked rows ------------------------------------------

def _spy(monkeypatch) -> list:
    """Every `months` the import's refresh asked the GROUP BY of the stored responses for."""
    asked, original = [], stored.fresh_parts

    def fresh_parts(survey, *, months=None, **kwargs):
        asked.append(None if months is None else set(months))
        return original(survey, months=months, **kwargs)

    monkeypatch.setattr(stored, "fresh_parts", fresh_parts)
    return asked


def test_a_first_import_sums_its_months_from_its_own_rows_not_the_stored_answers(areas, tmp_path, monkeypatch):
    asked = _spy(monkeypatch)

    _import(tmp_path, ROWS)

    assert asked == []  # no GROUP BY of the stored answers
    monkeypatch.undo()
    assert_persisted_is_fresh()
    assert len(_persisted(Survey.objects.get(key="uss"))) == len(ROWS)


def test_an_import_adding_a_month_sums_only_the_months_that_held_rows_before_from_the_database(
        areas, tmp_path, monkeypatch):
    _import(tmp_path, ROWS)
    asked = _spy(monkeypatch)
    june, september = month_number(dt.date(2013, 6, 1)), month_number(dt.date(2013, 9, 1))
    october = month_number(dt.date(2013, 10, 1))

    # U00001 moves from June to September (a month no row held), U00006 is new in October, U00007 joins August
    moved = [uss_row(1, interview_date="2013-09-02", whole_experience="7"), *ROWS[1:],
             uss_row(6, interview_date="2013-10-01", weight="0.5"), uss_row(7, interview_date="2013-08-12")]
    summary = _import(tmp_path, moved, name="again.csv")

    assert (summary.rows_new, summary.rows_changed, summary.rows_unchanged) == (2, 1, 4)
    # August held rows before: from the database. September and October from the file; June, now empty
    # (no stored row, none of the file's), needs no sums at all
    assert asked == [{month_number(dt.date(2013, 8, 1))}]
    monkeypatch.undo()
    assert_persisted_is_fresh()
    persisted = _persisted(Survey.objects.get(key="uss"))
    assert {k[0] for k in persisted} >= {september, october} and june not in {k[0] for k in persisted}


def test_a_row_the_database_withholds_sends_its_month_back_to_the_stored_responses(areas, tmp_path, monkeypatch):
    _import(tmp_path, ROWS)
    survey = Survey.objects.get(key="uss")
    respondent_erase(survey=survey, response_id="U00004", reason="request 2", who_name="dpo")  # May 2011's only row
    may = month_number(dt.date(2011, 5, 1))
    assert not CubeMonth.objects.filter(month=may).exists()
    asked = _spy(monkeypatch)

    _import(tmp_path, [*ROWS, uss_row(8, interview_date="2011-05-20", incident_date="2011-04-01", division="Southern", neighbourhood="Riverside",
                                      ward="Quayside", age_band="25-34", ethnicity="NS")], name="again.csv")

    # May 2011's one stored row is U00008, new; the file has U00004 there too, withheld: May is not from the file
    assert asked == [{may}]
    monkeypatch.undo()
    assert CubeMonth.objects.get(month=may).responses == 1
    assert_persisted_is_fresh()


def test_cells_from_a_large_first_import_equal_a_fresh_group_by(areas, tmp_path):
    """Many rows per cell, weights with many digits: the file's sums (DuckDB) against the database's GROUP BY,
    to 1e-9 (two engines may add the same rows in another order)."""
    import random

    rng = random.Random(11)
    places = [{}, {"neighbourhood": "", "ward": ""},
              {"division": "Southern", "neighbourhood": "Riverside", "ward": "Quayside"}]
    rows = []
    for i in range(1, 1501):
        day = dt.date(2012, 1, 1) + dt.timedelta(days=rng.randrange(400))
        rows.append(uss_row(i, interview_date=day.isoformat(), incident_date=(day - dt.timedelta(days=50)).isoformat(),
                            ethnicity=rng.choice(["W1", "A2", "NS", "B1"]), weight=f"{rng.uniform(0.2, 3):.6f}",
                            whole_experience=rng.choice(["1", "2", "4", "6", "7", ""]),
                            treatment=rng.choice(["1", "3", "5", "9", ""]), **rng.choice(places)))
    _import(tmp_path, rows)

    survey = Survey.objects.get(key="uss")
    persisted, fresh = _persisted(survey), _by_cell(stored.fresh_sums(survey))
    assert persisted.keys() == fresh.keys()
    for key, (count, sums) in fresh.items():
        assert persisted[key][0] == count
        np.testing.assert_allclose(persisted[key][1], sums, rtol=1e-9, atol=1e-9, err_msg=str(key))
    assert sum(count for count, _ in persisted.values()) == 1500


def test_when_summing_the_imported_rows_fails_part_way_the_stored_ones_are_grouped(areas, tmp_path, monkeypatch):
    import duckdb

    original = stored._imported_parts

    def fails_after_one_part(*args, **kwargs):
        parts = original(*args, **kwargs)
        yield next(parts)
        raise duckdb.OutOfMemoryException("no room")

    monkeypatch.setattr(stored, "FETCH_ROWS", 1)  # a part per cell: the first is written before the failure
    monkeypatch.setattr(stored, "_imported_parts", fails_after_one_part)
    _import(tmp_path, ROWS)

    monkeypatch.undo()
    assert_persisted_is_fresh()
    assert len(_persisted(Survey.objects.get(key="uss"))) == len(ROWS)
