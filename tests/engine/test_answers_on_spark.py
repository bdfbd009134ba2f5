"""The stored answers' packed codes and the measures derived from them are plain Ibis: Spark gives DuckDB's sums."""

import ibis
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from citizenfocus.engine.sources import measure_outcome, packed_code
from citizenfocus.surveys.definition import get_definition
from citizenfocus.surveys.packing import pack

from .responses import random_responses
from .test_spark import spark  # noqa: F401 - the module's local Spark session, as a fixture

pytestmark = pytest.mark.spark
USS = get_definition("uss")


# the questions' slots in an order of their own (not the definition's), as a survey that gained questions has
SLOTS = {item: slot for slot, item in enumerate(reversed(USS.item_keys))}


def _packed_responses() -> pa.Table:
    """The random survey as stored: responses (id, ethnicity, weight) with their packed answer codes."""
    rows = random_responses(400).to_pylist()
    return pa.table({"id": list(range(1, len(rows) + 1)), "ethnicity": [r["ethnicity"] for r in rows],
                     "weight": [r["weight"] for r in rows],
                     "answer_codes": [pack({item: r[item] for item in USS.item_keys}, SLOTS) for r in rows]})


def _sums(con) -> list[tuple]:
    r = con.table("responses")
    joined = r.mutate(**{item: packed_code(r.answer_codes, SLOTS[item]) for item in USS.item_keys})
    aggs = {}
    for m in USS.measures:
        y = measure_outcome(joined[m.item_key], m)
        aggs[f"{m.key}_n"], aggs[f"{m.key}_swy"] = y.count(), (joined.weight * y).sum()
    result = joined.group_by("ethnicity").aggregate(**aggs).order_by("ethnicity").to_pyarrow().to_pylist()
    return [tuple(round(v, 9) if isinstance(v, float) else v for v in row.values()) for row in result]


def test_spark_unpacks_the_answers_and_derives_every_measure_as_duckdb_does(spark, tmp_path):  # noqa: F811
    responses = _packed_responses()
    duck = ibis.duckdb.connect()
    pq.write_table(responses, tmp_path / "responses.parquet")
    duck.read_parquet(str(tmp_path / "responses.parquet"), table_name="responses")
    spark.createDataFrame(responses.to_pandas()).createOrReplaceTempView("responses")
    on_spark = _sums(ibis.pyspark.connect(spark))
    assert on_spark == _sums(duck)
    assert len(on_spark) > 5 and all(row[1] > 0 for row in on_spark)
