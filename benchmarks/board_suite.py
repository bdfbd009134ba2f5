"""Benchmark: the full board suite, from Parquet (DuckDB) and from a stored SQLite database.

    python benchmarks/board_suite.py                        # 1,000,000 demo USS responses
    python benchmarks/board_suite.py --rows 200000 --repeat 5
    python benchmarks/board_suite.py --rows 10000000 --skip-sqlite --repeat 3
    python benchmarks/board_suite.py --parquet big.parquet --skip-sqlite --repeat 1   # a file written before

The suite: every measure × {all, white, BME, white − BME gap} × the force, its
divisions and its neighbourhoods × 36 rolling 12-month windows, each rate with
its Wilson interval and each gap with its Newcombe interval and verdict. It is
one GROUP BY in the database; everything else is numpy (citizenfocus.engine.suite).

The demo generator writes up to 1,000,000 responses; beyond that DuckDB copies them with new
response ids up to --rows (as benchmarks/spark_suite.py does).

The baseline, measured in the same run and interleaved with the suite: ONE DuckDB GROUP BY of
the same sums over the same file — the SQL the suite's cube runs (every measure's n, Σw, Σwy,
Σw², Σw²y by month × division × neighbourhood × ethnic group, the answers mapped as the suite
maps them), compiled once beforehand and taken out as Arrow. The suite's time includes opening
the file (its footer, the check of its ethnicity values), building and compiling that query,
and all the numpy after it. Each figure is wall time with the process's CPU time (all threads,
getrusage) beside it, and the peak resident memory of each step (VmHWM, reset before the step
through /proc/self/clear_refs).

From the stored database the suite is timed twice: grouping the responses, and reading the monthly sums
persisted in the database (built once here, as an import builds them in its transaction; engine/stored.py),
which is what `citizenfocus indicators --db` and the suite read when they hold the request. The share of
that time spent reading the persisted cells (engine.stored.load_cube) is timed on its own too.

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
import resource
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


GENERATED = 1_000_000


def write_parquet(path: Path, rows: int, seed: int) -> int:
    """`rows` demo responses: generated up to a million, then copied with new ids by DuckDB."""
    from citizenfocus.demo import write_survey_file

    if rows <= GENERATED:
        return write_survey_file(path, "uss", size=rows, seed=seed)
    seed_file = path.with_name(path.stem + "-seed.parquet")
    write_survey_file(seed_file, "uss", size=GENERATED, seed=seed)
    copy_with_new_ids(seed_file, path, rows)
    seed_file.unlink()
    return rows


def copy_with_new_ids(seed_file: Path, path: Path, rows: int) -> None:
    """`rows` rows into `path` (Parquet): copies of the GENERATED rows of `seed_file`, each copy's response ids
    made new by a suffix, by DuckDB."""
    import duckdb

    copies = -(-rows // GENERATED)
    limit = "" if rows == copies * GENERATED else f" LIMIT {rows}"
    con = duckdb.connect()
    # streamed: without these the copy of 100,000,000 rows held over 11 GiB before it was stopped
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET memory_limit = '2GB'")
    con.execute(
        f"COPY (SELECT * REPLACE (response_id || '-' || CAST(k AS VARCHAR) AS response_id) "
        f"FROM read_parquet('{seed_file}'), range({copies}) AS r(k){limit}) TO '{path}' (FORMAT parquet)"
    )
    con.close()


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
    from citizenfocus.surveys.packing import pack_columns

    definition = get_definition("uss")
    con = sqlite3.connect(db)
    slots = {key: slot for slot, key in enumerate(definition.item_keys)}
    con.executemany("INSERT INTO surveys_surveyitem (survey_id, item, slot) VALUES (?, ?, ?)",
                    [(survey_id, key, slot) for key, slot in slots.items()])
    divisions = dict(con.execute("SELECT name, id FROM areas_division"))
    hoods = {(d, n): i for n, d, i in con.execute(
        "SELECT n.name, d.name, n.id FROM areas_neighbourhood n JOIN areas_division d ON n.division_id = d.id")}
    wards = {(h, w): i for w, h, i in con.execute(
        "SELECT w.name, w.neighbourhood_id, w.id FROM areas_ward w")}
    keys = definition.item_keys
    columns = ("survey_id", "response_id", "interview_date", "incident_date", "crime_type", "division_id",
               "neighbourhood_id", "ward_id", "ethnicity", "age_band", "sex", "disability",
               "weight", "comment", "batch_id", "row_hash", "answer_codes")
    sql = f"INSERT INTO surveys_response ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    for batch in pq.ParquetFile(parquet).iter_batches(batch_size=100_000):
        data = batch.to_pydict()
        packed = pack_columns({slots[key]: batch.column(key) for key in keys}, batch.num_rows).to_pylist()
        rows = []
        for i in range(batch.num_rows):
            hood = hoods[(data["division"][i], data["neighbourhood"][i])]
            rows.append((
                survey_id, data["response_id"][i], data["interview_date"][i].isoformat(),
                data["incident_date"][i].isoformat() if data["incident_date"][i] else None,
                data["crime_type"][i] or "", divisions[data["division"][i]], hood,
                wards.get((hood, data["ward"][i])), data["ethnicity"][i], data["age_band"][i],
                data["sex"][i], data["disability"][i],
                data["weight"][i], data["comment"][i] or "", batch_id, data["response_id"][i], packed[i],
            ))
        con.executemany(sql, rows)
    con.commit()
    con.execute("ANALYZE")
    con.close()


# Timings ----------------------------------------------------------------------------------


def cpu_seconds() -> float:
    """This process's CPU time, every thread (DuckDB's workers included)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def reset_peak() -> bool:
    """Reset VmHWM to the current resident size (Linux 4.0+); False where that is not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def memory_mib(field: str) -> float | None:
    """A /proc/self/status figure (VmHWM: peak resident; VmRSS: resident now) in MiB; None off Linux."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def measured(fn) -> tuple[dict, object]:
    """Wall and CPU seconds of fn(), and the peak resident memory while it ran."""
    reset = reset_peak()
    before = memory_mib("VmRSS")
    cpu, started = cpu_seconds(), time.perf_counter()
    result = fn()
    figures = {"wall_s": time.perf_counter() - started, "cpu_s": cpu_seconds() - cpu}
    peak = memory_mib("VmHWM") if reset else None
    figures["peak_mib"] = peak
    figures["peak_above_start_mib"] = None if peak is None or before is None else max(peak - before, 0.0)
    return figures, result


def run_suite(open_source) -> tuple[dict, object]:
    from citizenfocus.engine import board_suite

    return measured(lambda: board_suite(open_source()))


def sums_group_by_sql(parquet: Path) -> tuple[str, object]:
    """The suite's GROUP BY over the file, as the SQL DuckDB runs, and the DuckDB connection it runs on."""
    import ibis

    from citizenfocus.engine import open_file_source
    from citizenfocus.engine.columns import with_derived_columns
    from citizenfocus.engine.suite import SUITE_BY
    from citizenfocus.engine.sums import sums_expr
    from citizenfocus.surveys.definition import get_definition

    source = open_file_source(parquet, get_definition("uss"))
    table = with_derived_columns(source.table, definition=source.definition, date_basis="interview")
    expr = sums_expr(table, measures=source.measures, by=SUITE_BY)
    return str(ibis.to_sql(expr, dialect="duckdb")), ibis.get_backend(table).con


def duckdb_sums(sql: str, con) -> tuple[dict, object]:
    """One DuckDB GROUP BY of the suite's sums, taken out as Arrow (the cheapest way out of DuckDB)."""
    return measured(lambda: con.sql(sql).to_arrow_table())


def bare_sqlite(db: Path) -> dict:
    from citizenfocus.surveys.definition import get_definition

    scale = get_definition("uss").measure(MEASURE_FOR_BARE).scale
    y = (f"CASE WHEN a.code IN ({', '.join(map(str, sorted(scale.positive)))}) THEN 1 "
         f"WHEN a.code IN ({', '.join(map(str, sorted(scale.negative)))}) THEN 0 END")
    slot = get_definition("uss").item_keys.index(get_definition("uss").measure(MEASURE_FOR_BARE).item_key)
    code = f"CAST(NULLIF(TRIM(SUBSTR(r.answer_codes, {2 * slot + 1}, 2)), '') AS INTEGER)"
    y = y.replace("a.code", code)
    sql = (f"SELECT strftime('%Y-%m', r.interview_date), r.neighbourhood_id, r.ethnicity, COUNT({y}), SUM({y}) "
           "FROM surveys_response r WHERE r.survey_id = 1 GROUP BY 1, 2, 3")
    con = sqlite3.connect(db)
    figures, _ = measured(lambda: con.execute(sql).fetchall())
    con.close()
    return figures


def largest_difference(a, b) -> float:
    """The largest absolute difference between two suites' rates, standard errors and gaps."""
    worst = 0.0
    for name in ("rate", "se", "ci_low", "ci_high"):
        worst = max(worst, float(np.nanmax(np.abs(a.estimates[name] - b.estimates[name]))))
    return max(worst, float(np.nanmax(np.abs(a.gap["diff"] - b.gap["diff"]))))


def summary(runs: list[dict]) -> dict:
    """Medians of wall and CPU seconds, the fastest wall, and the highest peak memory of the runs."""
    out = {"median_s": round(statistics.median(r["wall_s"] for r in runs), 4),
           "min_s": round(min(r["wall_s"] for r in runs), 4),
           "median_cpu_s": round(statistics.median(r["cpu_s"] for r in runs), 4)}
    peaks = [r for r in runs if r.get("peak_mib") is not None]
    if peaks:
        out["peak_mib"] = round(max(r["peak_mib"] for r in peaks), 1)
        out["peak_above_start_mib"] = round(max(r["peak_above_start_mib"] for r in peaks), 1)
    return out


def ratio(runs: dict, top: str, bottom: str, figure: str) -> float:
    return round(statistics.median(r[figure] for r in runs[top]) / statistics.median(r[figure] for r in runs[bottom]), 2)


def prepared_files(folder: Path, args) -> tuple[Path, Path, int]:
    """The Parquet file (written, or reused from --keep or --parquet) and where the SQLite database goes."""
    if args.parquet:
        parquet = Path(args.parquet)
        return parquet, folder / "uss.sqlite3", pq.ParquetFile(parquet).metadata.num_rows
    parquet = folder / "uss.parquet"
    if parquet.is_file():
        rows = pq.ParquetFile(parquet).metadata.num_rows
        print(f"reusing {parquet} ({rows:,} responses)", file=sys.stderr)
        return parquet, folder / "uss.sqlite3", rows
    started = time.perf_counter()
    rows = write_parquet(parquet, args.rows, args.seed)
    print(f"wrote {rows:,} demo responses to Parquet in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return parquet, folder / "uss.sqlite3", rows


def prepared_sqlite(db: Path, parquet: Path) -> float | None:
    """Build the database (or reuse it from --keep) and its persisted cells; their build time when built."""
    if db.is_file():
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
        os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(40))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citizenfocus.settings")
        import django

        django.setup()
        from citizenfocus.surveys.models import CubeLayout

        if CubeLayout.objects.exists():
            print(f"reusing {db} and its persisted cells", file=sys.stderr)
            return None
    else:
        started = time.perf_counter()
        build_sqlite(db, parquet)
        print(f"loaded them into SQLite in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    seconds = build_cells()
    print(f"built the persisted monthly sums in {seconds:.1f} s", file=sys.stderr)
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--parquet", help="time this USS Parquet file instead of writing one")
    parser.add_argument("--keep", help="write the files to this folder and keep them; reuse what is there")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    from citizenfocus.engine import open_db_source, open_file_source
    from citizenfocus.surveys.definition import get_definition

    definition = get_definition("uss")
    with tempfile.TemporaryDirectory(prefix="citizenfocus-bench-") as tmp:
        folder = Path(args.keep) if args.keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        parquet, db, rows = prepared_files(folder, args)
        cells_seconds = None if args.skip_sqlite else prepared_sqlite(db, parquet)
        sqlite_database = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(db)}
        sql, con = sums_group_by_sql(parquet)
        runs = {"parquet_suite": [], "duckdb_sums": [], "sqlite_suite": [], "sqlite_bare": [], "stored_suite": [],
                "stored_cells": []}
        suites = {}
        # one round to warm up (the file's view, Django's connection, the page cache), not counted
        for round_ in range(args.repeat + 1):  # interleaved, so a busy machine slows every figure alike
            counted = round_ > 0
            figures, suites["parquet"] = run_suite(lambda: open_file_source(parquet, definition))
            if counted:
                runs["parquet_suite"].append(figures)
            figures, _ = duckdb_sums(sql, con)
            if counted:
                runs["duckdb_sums"].append(figures)
            if not args.skip_sqlite:
                from citizenfocus.engine.stored import load_cube

                # the responses, grouped (a definition given: the persisted sums are not used); once is enough
                if round_ == 1:
                    figures, suites["sqlite"] = run_suite(
                        lambda: open_db_source("uss", database=sqlite_database, definition=definition))
                    runs["sqlite_suite"].append(figures)
                    runs["sqlite_bare"].append(bare_sqlite(db))
                # the persisted monthly sums the import keeps (engine.stored): what `--db` reads
                figures, suites["stored"] = run_suite(lambda: open_db_source("uss"))
                if counted:
                    runs["stored_suite"].append(figures)
                figures, _ = measured(lambda: load_cube("uss", build=False))
                if counted:
                    runs["stored_cells"].append(figures)
        started = time.perf_counter()
        long_form = suites["parquet"].rows()
        elapsed = time.perf_counter() - started
        report = _report(rows, runs, suites, args)
        if not args.skip_sqlite:
            report["stored"] = {"suite": summary(runs["stored_suite"]), "cells_read": summary(runs["stored_cells"]),
                                "cells_built_s": None if cells_seconds is None else round(cells_seconds, 2)}
            report["stored"]["ratio_to_parquet_suite"] = ratio(runs, "stored_suite", "parquet_suite", "wall_s")
            report["stored"]["cpu_ratio_to_parquet_suite"] = ratio(runs, "stored_suite", "parquet_suite", "cpu_s")
            report["stored"]["cells_read_share"] = ratio(runs, "stored_cells", "stored_suite", "wall_s")
            report["stored"]["cells_read_cpu_share"] = ratio(runs, "stored_cells", "stored_suite", "cpu_s")
            report["largest_difference_parquet_vs_stored"] = largest_difference(suites["parquet"], suites["stored"])
        report["long_form_rows"] = {"rows": len(long_form), "seconds": round(elapsed, 4)}
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        _print_report(report)
    return 0


def _report(rows: int, runs: dict, suites: dict, args) -> dict:
    suite = suites["parquet"]
    report = {
        "rows": rows,
        "repeat": args.repeat,
        "cells": suite.cells,
        "measures": len(suite.measures),
        "areas": len(suite.areas),
        "windows": len(suite.ends),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "parquet": {"suite": summary(runs["parquet_suite"]), "sums_group_by": summary(runs["duckdb_sums"]),
                    "ratio_median": ratio(runs, "parquet_suite", "duckdb_sums", "wall_s"),
                    "cpu_ratio_median": ratio(runs, "parquet_suite", "duckdb_sums", "cpu_s")},
    }
    if "sqlite" in suites:
        report["sqlite"] = {"suite": summary(runs["sqlite_suite"]), "bare_group_by": summary(runs["sqlite_bare"]),
                            "ratio_median": ratio(runs, "sqlite_suite", "sqlite_bare", "wall_s")}
        report["largest_difference_parquet_vs_sqlite"] = largest_difference(suites["parquet"], suites["sqlite"])
    return report


def _seconds(part: dict) -> str:
    text = f"{part['median_s']:.3f} s ({part['median_cpu_s']:.3f} s CPU"
    if "peak_mib" not in part:
        return text + ")"
    return text + f", peak {part['peak_mib']:.0f} MiB, {part['peak_above_start_mib']:.0f} MiB above its start)"


def _print_report(report: dict) -> None:
    print(f"board suite: {report['rows']:,} responses, {report['measures']} measures x {report['areas']} areas "
          f"(force, divisions, neighbourhoods) x {report['windows']} rolling 12-month windows x "
          f"(all, white, BME, gap) = {report['cells']:,} cells; median of {report['repeat']} runs after one "
          f"not counted; load average {report['load_average']}")
    part = report["parquet"]
    print(f"  parquet  suite {_seconds(part['suite'])}; one DuckDB GROUP BY of the same sums "
          f"{_seconds(part['sums_group_by'])}; ratio {part['ratio_median']:.2f}x wall, {part['cpu_ratio_median']:.2f}x CPU")
    if "sqlite" in report:
        part = report["sqlite"]
        print(f"  sqlite   suite grouping the stored responses {_seconds(part['suite'])}, bare SQLite GROUP BY of "
              f"one measure's answers {_seconds(part['bare_group_by'])}, ratio {part['ratio_median']:.1f}x (one run)")
    long_form = report["long_form_rows"]
    print(f"  turning the arrays into {long_form['rows']:,} JSON-ready rows (BoardSuite.rows) takes a further "
          f"{long_form['seconds']:.3f} s")
    if "stored" in report:
        part = report["stored"]
        built = "" if part["cells_built_s"] is None else f" (the sums built once, as an import does, in " \
                                                            f"{part['cells_built_s']:.1f} s)"
        print(f"  stored   suite {_seconds(part['suite'])} from the persisted monthly sums{built}: "
              f"{part['ratio_to_parquet_suite']:.2f}x the suite from Parquet wall, "
              f"{part['cpu_ratio_to_parquet_suite']:.2f}x CPU; reading the cells (load_cube) alone "
              f"{_seconds(part['cells_read'])}, {part['cells_read_share']:.0%} of the stored suite's wall time, "
              f"{part['cells_read_cpu_share']:.0%} of its CPU; largest difference from Parquet's figures "
              f"{report['largest_difference_parquet_vs_stored']:.2e}")
    if "largest_difference_parquet_vs_sqlite" in report:
        print(f"  largest difference between the Parquet and SQLite figures: "
              f"{report['largest_difference_parquet_vs_sqlite']:.2e}")


if __name__ == "__main__":
    sys.exit(main())
