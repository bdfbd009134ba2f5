"""Files and batches: deterministic, the right size, the right columns, whatever the batch size."""

import hashlib

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from citizenfocus.demo import iter_survey_batches, write_survey_file
from citizenfocus.demo.generate import CHUNK_ROWS

USS_COLUMNS = [
    "response_id", "interview_date", "incident_date", "crime_type", "division",
    "neighbourhood", "ward", "ethnicity", "age_band", "sex", "disability",
    "ease_of_contact", "actions_taken", "kept_informed", "treatment", "whole_experience",
    "weight", "recontact_consent", "comment",
]
CONFIDENCE_COLUMNS = [
    "response_id", "interview_date", "division", "neighbourhood", "ward", "ethnicity",
    "age_band", "sex", "disability", "good_job", "deal_with_matters", "asb_problem", "weight",
]


def _sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
@pytest.mark.parametrize("survey", ["uss", "confidence"])
def test_two_runs_write_identical_bytes(tmp_path, survey, suffix):
    first, second = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    write_survey_file(first, survey, size=7_000)
    write_survey_file(second, survey, size=7_000)
    assert _sha256(first) == _sha256(second)


def test_rows_do_not_depend_on_the_batch_size():
    size = CHUNK_ROWS + 1_234  # crosses a chunk boundary
    whole = pa.Table.from_batches(list(iter_survey_batches("uss", size=size, batch_rows=size)))
    for batch_rows in (1_000, 7_777, CHUNK_ROWS, 100_000):
        batches = list(iter_survey_batches("uss", size=size, batch_rows=batch_rows))
        assert all(b.num_rows == batch_rows for b in batches[:-1])
        assert pa.Table.from_batches(batches).equals(whole)


def test_another_seed_gives_other_answers_from_the_same_force():
    one = pa.Table.from_batches(list(iter_survey_batches("uss", size=2_000, seed=1)))
    two = pa.Table.from_batches(list(iter_survey_batches("uss", size=2_000, seed=2)))
    assert one["response_id"].equals(two["response_id"])
    assert not one["whole_experience"].equals(two["whole_experience"])


def test_the_surveys_draw_from_separate_streams():
    uss = pa.Table.from_batches(list(iter_survey_batches("uss", size=500)))
    confidence = pa.Table.from_batches(list(iter_survey_batches("confidence", size=500)))
    assert not uss["ward"].equals(confidence["ward"])


def test_default_sizes_are_three_years_of_each_survey(uss, confidence):
    assert len(uss) == 60_000
    assert len(confidence) == 12_000


@pytest.mark.parametrize("size", [0, 1, 999, CHUNK_ROWS, CHUNK_ROWS + 1])
def test_it_gives_exactly_the_rows_asked_for(size):
    assert sum(b.num_rows for b in iter_survey_batches("uss", size=size)) == size


def test_batches_have_the_import_columns_in_order(uss, confidence):
    assert list(uss.columns) == USS_COLUMNS
    assert list(confidence.columns) == CONFIDENCE_COLUMNS


def test_a_csv_file_has_the_header_and_the_rows(tmp_path, uss_table):
    path = tmp_path / "uss.csv"
    assert write_survey_file(path, "uss", size=3_000) == 3_000
    assert path.read_text(encoding="utf-8").splitlines()[0] == ",".join(USS_COLUMNS)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert len(frame) == 3_000
    assert frame["interview_date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    assert frame["response_id"].iloc[0] == "USS-0000001"


def test_a_csv_file_reads_back_to_the_same_rows(tmp_path):
    path = tmp_path / "uss.csv"
    write_survey_file(path, "uss", size=3_000)
    expected = pa.Table.from_batches(list(iter_survey_batches("uss", size=3_000)))
    options = pacsv.ConvertOptions(column_types=expected.schema, strings_can_be_null=False)
    assert pacsv.read_csv(path, convert_options=options).equals(expected)


def test_a_parquet_file_reads_back_to_the_same_rows(tmp_path):
    path = tmp_path / "confidence.parquet"
    assert write_survey_file(path, "confidence", size=4_321) == 4_321
    expected = pa.Table.from_batches(list(iter_survey_batches("confidence", size=4_321)))
    assert pq.read_table(path).equals(expected)
    assert pq.read_schema(path).names == CONFIDENCE_COLUMNS


def test_an_empty_file_still_has_its_columns(tmp_path):
    path = tmp_path / "empty.parquet"
    assert write_survey_file(path, "uss", size=0) == 0
    assert pq.read_schema(path).names == USS_COLUMNS


def test_the_format_can_be_named_when_the_suffix_says_nothing(tmp_path):
    path = tmp_path / "export.dat"
    write_survey_file(path, "uss", size=10, format="csv")
    assert path.read_text(encoding="utf-8").startswith("response_id,")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda p: write_survey_file(p / "x.xlsx", "uss"), "use .csv or .parquet"),
        (lambda p: write_survey_file(p / "x.csv", "uss", format="json"), "unknown format"),
        (lambda p: write_survey_file(p / "x.csv", "crime"), "demo surveys: uss, confidence"),
        (lambda p: list(iter_survey_batches("uss", size=-1)), "size must be 0 or more"),
        (lambda p: list(iter_survey_batches("uss", batch_rows=0)), "batch_rows must be"),
    ],
)
def test_it_refuses_what_it_cannot_do_with_a_clear_message(tmp_path, call, message):
    with pytest.raises(ValueError, match=message):
        call(tmp_path)


def test_a_failed_write_leaves_no_file_behind(tmp_path, monkeypatch):
    from citizenfocus.demo import writers

    def broken(*args, **kwargs):
        yield from iter_survey_batches("uss", size=10)
        raise RuntimeError("disk full")

    monkeypatch.setattr(writers, "iter_survey_batches", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        write_survey_file(tmp_path / "uss.csv", "uss", size=20)
    assert list(tmp_path.iterdir()) == []
