"""Benchmark: rebuild every month of the stored cube from the stored responses (their packed answer codes).

    python benchmarks/cube_rebuild.py --rows 200000                 # 200,000 USS rows × 20 questions, SQLite
    python benchmarks/cube_rebuild.py --rows 1000000 --workdir /tmp/cube-rebuild   # keep the file and database
    python benchmarks/cube_rebuild.py --rows 200000 --postgres postgres://postgres@127.0.0.1:5432/cf_bench

The rebuild is what migration surveys 0007, a changed survey definition, an erasure's or a purge's months
and an import whose months mix stored and new rows run: `refresh_months(survey, None)` without an import's
own rows, so every month is read from `surveys_response` through the database (one query a group of months:
the responses with their cells' columns and each answer's code read from their packed codes, counted in numpy:
engine/stored.py `fresh_parts`).

The database is made as benchmarks/import_survey.py makes it: a generated CSV file of N rows (the demo
generator's, with added questions up to `--items`) imported into a fresh database, in a process of its
own. Then each rebuild runs in a fresh child process, inside the app's Django setup, and prints its CPU
seconds (the client's, plus the server process's on PostgreSQL), wall seconds and peak resident memory
(VmHWM), and a digest of every persisted month's row, so that two versions of the code can be compared bit
for bit on the same database (the code measured is the `citizenfocus` on PYTHONPATH). With `--workdir`
the file and the SQLite database are kept and reused: a second run rebuilds the same database without
importing it again; `--postgres` drops and imports the database every run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parent))

from import_survey import (  # noqa: E402
    _fresh_postgres,
    _have_demo,
    _peak_rss_mib,
    _server_cpu_reader,
    make_file,
    many_questions,
    run_import,
)


def child(args) -> None:
    """One rebuild of every month of the survey's cube; prints its figures as JSON."""
    os.environ["DATABASE_URL"] = args.db if "://" in args.db else f"sqlite:///{args.db}"
    os.environ.setdefault("DEBUG", "0")  # as a server runs (with it on, Django keeps every query's SQL)
    os.environ.setdefault("SECRET_KEY", "benchmark only, not a server's key")
    os.environ["DJANGO_SETTINGS_MODULE"] = "citizenfocus.settings"
    import django

    django.setup()
    from django.db import connection

    from citizenfocus.engine import stored
    from citizenfocus.engine.stored import refresh_months
    from citizenfocus.surveys.models import CubeMonth, Response, Survey

    survey = Survey.objects.get(key=args.survey)
    responses = Response.objects.filter(survey=survey).count()
    server = _server_cpu_reader(connection)
    server_started = server()
    started, cpu_started = time.perf_counter(), time.process_time()
    cells = refresh_months(survey, None)
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu_started + server() - server_started
    peak_mib = _peak_rss_mib()
    # the digest of the matrices as plain float64 (stored compressed since 7 Dec 2026, plain before), so that
    # versions on either side of that change compare bit for bit
    measures, shares = stored._measure_keys(stored._definition(survey))
    widths = (5 * len(measures), sum(3 + 2 * len(keys) for keys in stored._questions(shares)))
    digest = hashlib.sha256()
    rows = CubeMonth.objects.filter(survey=survey).order_by("basis", "month").values_list(
        "basis", "month", "responses", "cells", "keys", "codes", "rows", "sums", "shares")
    for row in rows.iterator(chunk_size=20):
        in_month = row[3]
        row = (*row[:7], stored._plain(bytes(row[7]), in_month * widths[0] * 8),
               stored._plain(bytes(row[8]), in_month * widths[1] * 8))
        for value in row:
            digest.update(bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode())
            digest.update(b"\0")
    print(json.dumps({"responses": responses, "months": rows.count(), "cells": cells, "wall_s": wall, "cpu_s": cpu,
                      "peak_rss_mib": peak_mib, "digest": digest.hexdigest()[:16]}))


def run_rebuild(db: Path | str, survey: str) -> dict:
    done = subprocess.run([sys.executable, str(HERE), "--child", "--db", str(db), "--survey", survey],
                          capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"rebuild failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--survey", default="uss")
    parser.add_argument("--items", type=int, default=20,
                        help="questions in the survey (its own and added ones); 0: the survey's own")
    parser.add_argument("--repeat", type=int, default=1, help="rebuilds of the same database, each in its own process")
    parser.add_argument("--postgres", help="rebuild in this PostgreSQL database instead (dropped and made again)")
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--workdir", type=Path, help="keep the file and the SQLite database here, and reuse them")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    with tempfile.TemporaryDirectory(prefix="citizenfocus-bench-") as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        areas = "demo" if _have_demo() else "standin"
        survey, key, extra = args.survey, args.survey, ()
        if args.items:
            survey, extra = many_questions(args.survey, args.items, work)
            key = f"{args.survey}_{args.items}q"
        path = work / f"{args.survey}-{args.rows}-{args.items or 'own'}q.csv"
        if not path.exists():
            started = time.perf_counter()
            source = make_file(path, args.survey, args.rows, args.seed, extra)
            print(f"wrote {path.name} ({path.stat().st_size / 2**20:,.0f} MiB) with the {source} "
                  f"in {time.perf_counter() - started:,.1f} s", flush=True)
        db: Path | str
        if args.postgres:
            db = _fresh_postgres(args.postgres)
            made = True
        else:
            db = work / f"{path.stem}-rebuild.sqlite3"
            made = not db.exists()
        if made:
            started = time.perf_counter()
            r = run_import(path, db, survey, areas, fresh=True)
            print(f"imported {r['rows']:,} rows in {time.perf_counter() - started:,.1f} s "
                  f"({r['cpu_s']:,.1f} s CPU, peak {r['peak_rss_mib']:,.0f} MiB)", flush=True)
        print(f"{'database':<10} {'responses':>10} {'months':>7} {'cells':>9} {'wall s':>8} {'CPU s':>7} "
              f"{'peak RSS MiB':>13}  digest")
        for _ in range(args.repeat):
            r = run_rebuild(db, key)
            print(f"{'PostgreSQL' if args.postgres else 'SQLite':<10} {r['responses']:>10,} {r['months']:>7,} "
                  f"{r['cells']:>9,} {r['wall_s']:>8,.1f} {r['cpu_s']:>7,.1f} {r['peak_rss_mib']:>13,.0f}  "
                  f"{r['digest']}", flush=True)


if __name__ == "__main__":
    main()
