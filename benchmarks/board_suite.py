"""Benchmark: the full board suite, from Parquet (DuckDB) and from a stored SQLite database.

    python benchmarks/board_suite.py                        # 1,000,000 demo USS responses
    python benchmarks/board_suite.py --rows 200000 --repeat 5
    python benchmarks/board_suite.py --skip-sqlite          # Parquet only (no database load)

The suite: five measures × {all, white, BME, white − BME gap} × the force, its
divisions and its neighbourhoods × 36 rolling 12-month windows, each rate with
its Wilson interval and each gap with its Newcombe interval and verdict. It is
one GROUP BY in the database; everything else is numpy (citizenfocus.engine.suite).

Each figure is set against a bare GROUP BY over the same rows on the same
backend, measured in the same run, interleaved: month × neighbourhood ×
ethnicity, counting and summing one measure's outcome. The time for the suite
includes opening the source (reading the file's footer, checking answer codes).

From the stored database the suite is timed twice: grouping the responses, and reading the monthly sums
persisted in the database (built once here, as an import builds them in its transaction; engine/stored.py),
which is what `citizenfocus indicators --db` and the suite read when they hold the request.

The SQLite database is a migrated citizenfocus database: areas and the survey
through the Django models, then the responses and their answers (one row per
question answered, the code as given, as the import stores them) loaded
directly with sqlite3, because
the subject here is reading, not importing (benchmarks/import_survey.py times
the import).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

MEASURE_FOR_BARE = "whole_experience"


def write_parquet(path: Path, rows: int, seed: int) -> int:
    from citizenfocus.demo import write_survey_file

    return write_survey_file(path, "uss", size=rows, seed=seed)


# The stored database ---------------------------------------------------------------------


def build_sqlite(path: Path, parquet: Path) -> None:
    """A migrated citizenfocus database holding the Parquet file's responses."""
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(40))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citizenfocus.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    survey_id, batch_id = _areas_and_survey()
    _load_responses(path, parquet, survey_id=survey_id, batch_id=batch_id)


def build_cells() -> float:
    """The persisted monthly sums of every month, as an import of these rows would write them."""
    from citizenfocus.engine.stored import refresh_months
    from citizenfocus.surveys.models import Survey

    started = time.perf_counter()
    refresh_months(Survey.objects.get(key="uss"), None)
    return time.perf_counter() - started


def _areas_and_survey() -> tuple[int, int]:
    from django.utils import timezone

    from citizenfocus.areas.services import force_load
    from citizenfocus.demo import demo_force
    from citizenfocus.surveys.definition import DEFINITIONS_DIR
    from citizenfocus.surveys.models import ImportBatch, Survey

    force_load(force=demo_force())
    survey = Survey.objects.create(
        key="uss", name="User satisfaction survey", definition_toml=(DEFINITIONS_DIR / "uss.toml").read_text()
    )
    now = timezone.now()
    batch = ImportBatch.objects.create(
        survey=survey, imported_by_name="benchmark", source="cli", started_at=now, finished_at=now,
        file_name="board-suite.parquet", file_sha256="0" * 64, status="stored",
    )
    return survey.pk, batch.pk


def _load_responses(db: Path, parquet: Path, *, survey_id: int, batch_id: int) -> None:
    from citizenfocus.surveys.definition import get_definition

    definition = get_definition("uss")
    con = sqlite3.connect(db)
    divisions = dict(con.execute("SELECT name, id FROM areas_division"))
    hoods = {(d, n): i for n, d, i in con.execute(
        "SELECT n.name, d.name, n.id FROM areas_neighbourhood n JOIN areas_division d ON n.division_id = d.id")}
    wards = {(h, w): i for w, h, i in con.execute(
        "SELECT w.name, w.neighbourhood_id, w.id FROM areas_ward w")}
    keys = definition.item_keys
    columns = ("survey_id", "response_id", "interview_date", "incident_date", "crime_type", "division_id",
               "neighbourhood_id", "ward_id", "ethnicity", "age_band", "sex", "disability",
               "weight", "comment", "batch_id", "row_hash")
    sql = f"INSERT INTO surveys_response ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    for batch in pq.ParquetFile(parquet).iter_batches(batch_size=100_000):
        data = batch.to_pydict()
        rows = []
        for i in range(batch.num_rows):
            hood = hoods[(data["division"][i], data["neighbourhood"][i])]
            rows.append((
                survey_id, data["response_id"][i], data["interview_date"][i].isoformat(),
                data["incident_date"][i].isoformat() if data["incident_date"][i] else None,
                data["crime_type"][i] or "", divisions[data["division"][i]], hood,
                wards.get((hood, data["ward"][i])), data["ethnicity"][i], data["age_band"][i],
                data["sex"][i], data["disability"][i],
                data["weight"][i], data["comment"][i] or "", batch_id, data["response_id"][i],
            ))
        first = (con.execute("SELECT COALESCE(MAX(id), 0) FROM surveys_response").fetchone()[0]) + 1
        con.executemany(sql, rows)  # one connection, an empty table: the ids follow on from `first`
        con.executemany(
            "INSERT INTO surveys_answer (response_id, item, code) VALUES (?, ?, ?)",
            ((first + i, key, code) for key in keys for i, code in enumerate(data[key]) if code is not None),
        )
    con.commit()
    con.execute("ANALYZE")
    con.close()


# Timings ----------------------------------------------------------------------------------


def run_suite(open_source):
    from citizenfocus.engine import board_suite

    started = time.perf_counter()
    suite = board_suite(open_source())
    return time.perf_counter() - started, suite


def bare_duckdb(con, parquet: Path) -> float:
    from citizenfocus.surveys.definition import get_definition

    scale = get_definition("uss").measure(MEASURE_FOR_BARE).scale
    y = (f"CASE WHEN {MEASURE_FOR_BARE} IN ({', '.join(map(str, sorted(scale.positive)))}) THEN 1 "
         f"WHEN {MEASURE_FOR_BARE} IN ({', '.join(map(str, sorted(scale.negative)))}) THEN 0 END")
    sql = (f"SELECT date_trunc('month', interview_date) AS month, neighbourhood, ethnicity, "
           f"COUNT({y}), SUM({y}) FROM read_parquet('{parquet}') GROUP BY ALL")
    started = time.perf_counter()
    con.sql(sql).to_arrow_table()  # columnar, the cheapest way to take a result out of DuckDB
    return time.perf_counter() - started


def bare_sqlite(db: Path) -> float:
    from citizenfocus.surveys.definition import get_definition

    scale = get_definition("uss").measure(MEASURE_FOR_BARE).scale
    y = (f"CASE WHEN a.code IN ({', '.join(map(str, sorted(scale.positive)))}) THEN 1 "
         f"WHEN a.code IN ({', '.join(map(str, sorted(scale.negative)))}) THEN 0 END")
    sql = (f"SELECT strftime('%Y-%m', r.interview_date), r.neighbourhood_id, r.ethnicity, COUNT({y}), SUM({y}) "
           "FROM surveys_answer a JOIN surveys_response r ON r.id = a.response_id "
           f"WHERE r.survey_id = 1 AND a.item = '{MEASURE_FOR_BARE}' GROUP BY 1, 2, 3")
    con = sqlite3.connect(db)
    started = time.perf_counter()
    con.execute(sql).fetchall()
    elapsed = time.perf_counter() - started
    con.close()
    return elapsed


def largest_difference(a, b) -> float:
    """The largest absolute difference between two suites' rates, standard errors and gaps."""
    worst = 0.0
    for name in ("rate", "se", "ci_low", "ci_high"):
        worst = max(worst, float(np.nanmax(np.abs(a.estimates[name] - b.estimates[name]))))
    return max(worst, float(np.nanmax(np.abs(a.gap["diff"] - b.gap["diff"]))))


def summary(times: list[float]) -> dict:
    return {"median_s": round(statistics.median(times), 4), "min_s": round(min(times), 4)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    import duckdb

    from citizenfocus.engine import open_db_source, open_file_source
    from citizenfocus.surveys.definition import get_definition

    definition = get_definition("uss")
    with tempfile.TemporaryDirectory(prefix="citizenfocus-bench-") as tmp:
        parquet, db = Path(tmp) / "uss.parquet", Path(tmp) / "uss.sqlite3"
        started = time.perf_counter()
        rows = write_parquet(parquet, args.rows, args.seed)
        print(f"wrote {rows:,} demo responses to Parquet in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        cells_seconds = None
        if not args.skip_sqlite:
            started = time.perf_counter()
            build_sqlite(db, parquet)
            print(f"loaded them into SQLite in {time.perf_counter() - started:.1f} s", file=sys.stderr)
            cells_seconds = build_cells()
            print(f"built the persisted monthly sums in {cells_seconds:.1f} s", file=sys.stderr)
        sqlite_database = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(db)}
        con = duckdb.connect()
        times = {"parquet_suite": [], "duckdb_bare": [], "sqlite_suite": [], "sqlite_bare": [], "stored_suite": []}
        suites = {}
        for _ in range(args.repeat):  # interleaved, so a busy machine slows every figure alike
            elapsed, suites["parquet"] = run_suite(lambda: open_file_source(parquet, definition))
            times["parquet_suite"].append(elapsed)
            times["duckdb_bare"].append(bare_duckdb(con, parquet))
            if not args.skip_sqlite:
                # the responses, grouped (a definition given: the persisted sums are not used)
                elapsed, suites["sqlite"] = run_suite(
                    lambda: open_db_source("uss", database=sqlite_database, definition=definition))
                times["sqlite_suite"].append(elapsed)
                times["sqlite_bare"].append(bare_sqlite(db))
                # the persisted monthly sums the import keeps (engine.stored): what `--db` reads
                elapsed, suites["stored"] = run_suite(lambda: open_db_source("uss"))
                times["stored_suite"].append(elapsed)
        started = time.perf_counter()
        long_form = suites["parquet"].rows()
        times["rows"] = [time.perf_counter() - started]
        report = _report(rows, times, suites, args)
        if cells_seconds is not None:
            report["stored"] = {"suite": summary(times["stored_suite"]), "cells_built_s": round(cells_seconds, 2)}
            report["stored"]["ratio_to_parquet_suite"] = round(
                statistics.median(times["stored_suite"]) / statistics.median(times["parquet_suite"]), 2)
            report["largest_difference_parquet_vs_stored"] = largest_difference(suites["parquet"], suites["stored"])
        report["long_form_rows"] = {"rows": len(long_form), "seconds": round(times["rows"][0], 4)}
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        _print_report(report)
    return 0


def _report(rows: int, times: dict, suites: dict, args) -> dict:
    suite = suites["parquet"]
    report = {
        "rows": rows,
        "repeat": args.repeat,
        "cells": suite.cells,
        "measures": len(suite.measures),
        "areas": len(suite.areas),
        "windows": len(suite.ends),
        "parquet": {"suite": summary(times["parquet_suite"]), "bare_group_by": summary(times["duckdb_bare"])},
    }
    report["parquet"]["ratio_median"] = round(
        statistics.median(times["parquet_suite"]) / statistics.median(times["duckdb_bare"]), 2)
    if "sqlite" in suites:
        report["sqlite"] = {"suite": summary(times["sqlite_suite"]), "bare_group_by": summary(times["sqlite_bare"])}
        report["sqlite"]["ratio_median"] = round(
            statistics.median(times["sqlite_suite"]) / statistics.median(times["sqlite_bare"]), 2)
        report["largest_difference_parquet_vs_sqlite"] = largest_difference(suites["parquet"], suites["sqlite"])
    return report


def _print_report(report: dict) -> None:
    print(f"board suite: {report['rows']:,} responses, {report['measures']} measures x {report['areas']} areas "
          f"(force, divisions, neighbourhoods) x {report['windows']} rolling 12-month windows x "
          f"(all, white, BME, gap) = {report['cells']:,} cells; median of {report['repeat']} runs")
    for name in ("parquet", "sqlite"):
        if name not in report:
            continue
        part = report[name]
        print(f"  {name:8} suite {part['suite']['median_s']:.3f} s (min {part['suite']['min_s']:.3f}), "
              f"bare GROUP BY {part['bare_group_by']['median_s']:.3f} s (min {part['bare_group_by']['min_s']:.3f}), "
              f"ratio {part['ratio_median']:.1f}x")
    long_form = report["long_form_rows"]
    print(f"  turning the arrays into {long_form['rows']:,} JSON-ready rows (BoardSuite.rows) takes a further "
          f"{long_form['seconds']:.3f} s")
    if "stored" in report:
        part = report["stored"]
        print(f"  stored   suite {part['suite']['median_s']:.3f} s (min {part['suite']['min_s']:.3f}) from the persisted "
              f"monthly sums, {part['ratio_to_parquet_suite']:.2f}x the suite from Parquet (the sums built once, as "
              f"an import does, in {part['cells_built_s']:.1f} s); largest difference from Parquet's figures "
              f"{report['largest_difference_parquet_vs_stored']:.2e}")
    if "largest_difference_parquet_vs_sqlite" in report:
        print(f"  largest difference between the Parquet and SQLite figures: "
              f"{report['largest_difference_parquet_vs_sqlite']:.2e}")


if __name__ == "__main__":
    sys.exit(main())
