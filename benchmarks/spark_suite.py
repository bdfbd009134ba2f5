"""Benchmark: the full board suite on a local Spark session beside DuckDB, from the same Parquet file.

    python benchmarks/spark_suite.py                  # 10,000,000 responses, local[2]
    python benchmarks/spark_suite.py --rows 2000000 --repeat 3

The demo generator writes 1,000,000 responses (or --rows, if fewer); DuckDB copies them, with new
response ids, up to --rows. Spark reads the file as a temporary view and the suite reaches it through
the same connection URL the CLI takes (`pyspark://?table=responses`), so this times the engine's one
GROUP BY on Spark. Each engine's figure is set against a bare GROUP BY of one measure on the same
engine in the same run; the largest difference between the two suites' numbers is printed too.
Needs PyPI's pyspark and a Java runtime.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citizenfocus.settings")
os.environ.setdefault("CITIZENFOCUS_TESTING", "1")


def write_parquet(folder: Path, rows: int, seed: int) -> Path:
    """`rows` demo responses: generated up to a million, then copied with new ids by DuckDB."""
    # this folder's board_suite.py: the same generated rows and the same copy as the suite's benchmark
    from board_suite import GENERATED, copy_with_new_ids

    from citizenfocus.demo import write_survey_file

    seed_file = folder / "seed.parquet"
    write_survey_file(seed_file, "uss", size=min(rows, GENERATED), seed=seed)
    if rows <= GENERATED:
        return seed_file
    path = folder / "uss.parquet"
    copy_with_new_ids(seed_file, path, rows)
    return path


def timed(fn, repeat: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return times, result


def bare_sql(measure: str) -> str:
    return (f"SELECT date_trunc('month', interview_date) AS month, neighbourhood, ethnicity, COUNT({measure}), "
            f"SUM(CASE WHEN {measure} <= 3 THEN 1 ELSE 0 END) FROM responses GROUP BY 1, 2, 3")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--cores", type=int, default=2)
    args = parser.parse_args(argv)

    import django

    django.setup()
    import duckdb
    import numpy as np
    from pyspark.sql import SparkSession

    from citizenfocus.engine import board_suite, open_connection_source, open_file_source
    from citizenfocus.surveys.definition import get_definition

    definition = get_definition("uss")
    with tempfile.TemporaryDirectory(prefix="citizenfocus-spark-") as tmp:
        started = time.perf_counter()
        parquet = write_parquet(Path(tmp), args.rows, args.seed)
        print(f"wrote {args.rows:,} responses in {time.perf_counter() - started:.1f} s", file=sys.stderr)

        duck = duckdb.connect()
        duck.execute(f"CREATE VIEW responses AS SELECT * FROM read_parquet('{parquet}')")
        duck_suite_times, duck_suite = timed(lambda: board_suite(open_file_source(parquet, definition)), args.repeat)
        duck_bare, _ = timed(lambda: duck.sql(bare_sql("whole_experience")).to_arrow_table(), args.repeat)

        started = time.perf_counter()
        session = (SparkSession.builder.master(f"local[{args.cores}]").appName("citizenfocus-benchmark")
                   .config("spark.ui.enabled", "false").config("spark.driver.memory", "4g")
                   .config("spark.sql.shuffle.partitions", str(args.cores * 2)).getOrCreate())
        session.read.parquet(str(parquet)).createOrReplaceTempView("responses")
        startup = time.perf_counter() - started
        spark_suite_times, spark_suite = timed(
            lambda: board_suite(open_connection_source("pyspark://?table=responses", definition)), args.repeat)
        spark_bare, _ = timed(lambda: session.sql(bare_sql("whole_experience")).collect(), args.repeat)
        session.stop()

    worst = max(float(np.nanmax(np.abs(duck_suite.estimates[k] - spark_suite.estimates[k])))
                for k in ("rate", "se", "ci_low", "ci_high"))
    worst = max(worst, float(np.nanmax(np.abs(duck_suite.gap["diff"] - spark_suite.gap["diff"]))))
    median = statistics.median
    figures = {
        "rows": args.rows, "cells": duck_suite.cells, "spark_cores": args.cores,
        "duckdb_suite_s": round(median(duck_suite_times), 3), "duckdb_bare_group_by_s": round(median(duck_bare), 3),
        "spark_session_start_s": round(startup, 1),
        "spark_suite_s": round(median(spark_suite_times), 3), "spark_bare_group_by_s": round(median(spark_bare), 3),
        "spark_suite_over_duckdb_suite": round(median(spark_suite_times) / median(duck_suite_times), 1),
        "spark_suite_over_spark_bare": round(median(spark_suite_times) / median(spark_bare), 2),
        "largest_difference_spark_duckdb": worst,
    }
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
