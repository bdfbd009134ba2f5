"""The stored answers' pivot and the measures derived from their codes are plain Ibis: Spark gives DuckDB's sums."""

import ibis
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from citizenfocus.engine.sources import answer_codes, measure_outcome
from citizenfocus.surveys.definition import get_definition

from .responses import random_responses
from .test_spark import spark  # noqa: F401 - the module's local Spark session, as a fixture

pytestmark = pytest.mark.spark
USS = get_definition("uss")


def _long_answers() -> tuple[pa.Table, pa.Table]:
    """The random survey as stored: responses (id, month, ethnicity, weight) and answers (response, item, code)."""
    rows = random_responses(400).to_pylist()
    responses = pa.table({"id": list(range(1, len(rows) + 1)), "ethnicity": [r["ethnicity"] for r in rows],
                          "weight": [r["weight"] for r in rows]})
    answers = [(i, item, r[item]) for i, r in enumerate(rows, 1) for item in USS.item_keys if r[item] is not None]
    return responses, pa.table({"response_id": [a[0] for a in answers], "item": [a[1] for a in answers],
                                "code": pa.array([a[2] for a in answers], pa.int16())})


def _sums(con) -> list[tuple]:
    r, a = con.table("responses"), con.table("answers")
    codes = answer_codes(a, USS.item_keys)
    joined = r.left_join(codes, r.id == codes.answer_response_pk)
    aggs = {}
    for m in USS.measures:
        y = measure_outcome(joined[m.item_key], m)
        aggs[f"{m.key}_n"], aggs[f"{m.key}_swy"] = y.count(), (joined.weight * y).sum()
    result = joined.group_by("ethnicity").aggregate(**aggs).order_by("ethnicity").to_pyarrow().to_pylist()
    return [tuple(round(v, 9) if isinstance(v, float) else v for v in row.values()) for row in result]


def test_spark_pivots_the_answers_and_derives_every_measure_as_duckdb_does(spark, tmp_path):  # noqa: F811
    responses, answers = _long_answers()
    duck = ibis.duckdb.connect()
    for name, table in (("responses", responses), ("answers", answers)):
        pq.write_table(table, tmp_path / f"{name}.parquet")
        duck.read_parquet(str(tmp_path / f"{name}.parquet"), table_name=name)
    spark.createDataFrame(responses.to_pandas()).createOrReplaceTempView("responses")
    spark.createDataFrame(answers.to_pandas()).createOrReplaceTempView("answers")
    on_spark = _sums(ibis.pyspark.connect(spark))
    assert on_spark == _sums(duck)
    assert len(on_spark) > 5 and all(row[1] > 0 for row in on_spark)
