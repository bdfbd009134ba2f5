"""Benchmark: import a large survey file (CSV and Parquet) into a fresh database, beside the bare loaders.

    python benchmarks/import_survey.py                  # 1,000,000 USS rows × 20 questions, CSV and Parquet
    python benchmarks/import_survey.py --rows 100000 --format parquet --items 0   # the USS's own 5 questions
    python benchmarks/import_survey.py --postgres postgres://postgres@127.0.0.1:5432/cf_bench   # and PostgreSQL
    python benchmarks/import_survey.py --input my-export.csv --survey uss   # a file of your own
                                                                             # (its areas must be the demo force's)

Each import runs in its own process, into its own fresh database, so the figures are
for the import alone: rows/s, wall time, CPU time (which a busy machine does not
inflate) and peak resident memory (VmHWM). The file is imported three times: first every
row is new, then every row is unchanged (a re-import), then the same rows with every
weight changed (a re-weighted file, as a force's quarterly re-weighting sends it: every
row changed). Files come from the demo
generator (citizenfocus.demo) when it is installed, otherwise from a small generator
here with the same columns. `--items 20` gives the survey 20 questions: its own and
added ones (a copy of its definition with more `[[items]]` on its scale, and as many
more answer columns in the file).

The baselines, for the same file, in the same run: the bare loaders of each database
into one wide table of the file's columns with no index: the `sqlite3` command-line
shell's `.import` (its CPU, as a child process; when there is no `sqlite3` program,
Python's sqlite3 executemany of csv.reader rows, and the table says so), PostgreSQL's
COPY (through psycopg; its CPU is the server process's, read from /proc, plus the
client's), and DuckDB's read_csv into a table. Our import's CPU on PostgreSQL is
likewise the client's plus its server process's (the server's part shown beside it).
Each line gives our CPU as a multiple of the bare loader's of the same database, run
just before that database's imports. With `--repeat N` the bare loader and the three
imports run N times in turn, and the medians are printed after them: on a machine whose
speed varies from minute to minute (a shared virtual machine), one run of each can be
20-40% off.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve()


# A stand-in force and file, used only when citizenfocus.demo is not there --------------

DIVISIONS = {f"Division {d}": [f"Neighbourhood {d}{n:02d}" for n in range(1, 21)] for d in "ABC"}
USS_COLUMNS = [
    "response_id", "interview_date", "incident_date", "crime_type", "division", "neighbourhood", "ward",
    "ethnicity", "age_band", "sex", "disability", "ease_of_contact", "actions_taken", "kept_informed",
    "treatment", "whole_experience", "weight", "recontact_consent", "comment",
]


def _standin_rows(size: int, seed: int):
    rng = random.Random(seed)
    places = [(d, n) for d, ns in DIVISIONS.items() for n in ns]
    crimes = ["domestic_burglary", "violent_crime", "vehicle_crime", "hate_crime", "asb"]
    ethnicities = ["W1"] * 8 + ["W4", "A1", "A2", "B1", "M1", "NS"]
    start = date(2011, 4, 1)
    for i in range(size):
        division, hood = rng.choice(places)
        interview = start + timedelta(days=rng.randrange(1000))
        yield [
            f"USS-{i + 1:07d}", interview.isoformat(), (interview - timedelta(days=rng.randrange(42, 85))).isoformat(),
            rng.choice(crimes), division, hood, f"{hood} Ward {rng.randrange(1, 4)}", rng.choice(ethnicities),
            rng.choice(["16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+"]), rng.choice(["Male", "Female"]),
            rng.choice(["Yes", "No"]), *[rng.choice("1112233456789") for _ in range(5)],
            f"{rng.uniform(0.5, 1.5):.4f}", rng.choice(["yes", "no"]), "",
        ]


def _standin_file(path: Path, size: int, seed: int) -> None:
    if path.suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(USS_COLUMNS)
            writer.writerows(_standin_rows(size, seed))
        return
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = _standin_rows(size, seed)
    schema = pa.schema([(c, pa.string()) for c in USS_COLUMNS])
    with pq.ParquetWriter(path, schema) as writer:
        while batch := [r for _, r in zip(range(100_000), rows, strict=False)]:
            writer.write_table(pa.table(list(zip(*batch, strict=True)), schema=schema))


def _load_standin_areas() -> None:
    from citizenfocus.areas.models import Division, Force, Neighbourhood, Ward

    force = Force.objects.create(name="Benchmark force", code="benchmark")
    for name, hoods in DIVISIONS.items():
        division = Division.objects.create(force=force, name=name, code=name.lower().replace(" ", "-"))
        for hood in hoods:
            n = Neighbourhood.objects.create(division=division, name=hood, code=hood.lower().replace(" ", "-"))
            Ward.objects.bulk_create(Ward(neighbourhood=n, name=f"{hood} Ward {w}") for w in range(1, 4))


# The benchmark ---------------------------------------------------------------------


def _have_demo() -> bool:
    try:
        from citizenfocus.demo import demo_force, write_survey_file  # noqa: F401
    except ImportError:
        return False
    return True


def make_file(path: Path, survey: str, size: int, seed: int, extra_items: tuple[str, ...] = ()) -> str:
    if _have_demo():
        from citizenfocus.demo import write_survey_file

        write_survey_file(path, survey, size=size, seed=seed)
        source = "citizenfocus.demo"
    else:
        _standin_file(path, size, seed)
        source = "stand-in generator"
    if extra_items:
        _add_answer_columns(path, extra_items, seed)
    return source


def _add_answer_columns(path: Path, keys: tuple[str, ...], seed: int) -> None:
    """More answer columns (codes 1-9, about one in ten blank), rewritten batch by batch."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    partial = path.with_name(path.name + ".partial")
    if path.suffix == ".csv":
        reader = pacsv.open_csv(path, convert_options=pacsv.ConvertOptions(
            column_types={}, strings_can_be_null=False))
        batches, schema = reader, reader.schema
    else:
        source = pq.ParquetFile(path)
        batches, schema = source.iter_batches(batch_size=100_000), source.schema_arrow
    schema = pa.schema([*schema, *((key, pa.int8()) for key in keys)])
    writer = (pacsv.CSVWriter(str(partial), schema, write_options=pacsv.WriteOptions(quoting_header="none"))
              if path.suffix == ".csv" else pq.ParquetWriter(str(partial), schema, compression="zstd"))
    with writer:
        for batch in batches:
            n = batch.num_rows
            extra = []
            for _ in keys:
                codes = rng.integers(1, 10, n).astype("int8")
                extra.append(pa.array(codes, mask=rng.random(n) < 0.1))
            writer.write_batch(pa.RecordBatch.from_arrays([*batch.columns, *extra], schema=schema))
    partial.replace(path)


def many_questions(survey: str, items: int, workdir: Path) -> tuple[str, tuple[str, ...]]:
    """A definition with `items` questions: the survey's own and added ones on its scale (a path to it),
    and the added questions' keys."""
    from citizenfocus.surveys.definition import DEFINITIONS_DIR, get_definition

    definition = get_definition(survey)
    own = len(definition.item_keys)
    keys = tuple(f"extra_q{i:02d}" for i in range(1, items - own + 1))
    text = (DEFINITIONS_DIR / f"{survey}.toml").read_text(encoding="utf-8")
    text = text.replace(f'key = "{survey}"', f'key = "{survey}_{items}q"', 1)
    text += "".join(f'\n[[items]]\nkey = "{key}"\nlabel = "Added question {key[-2:]}"\n' for key in keys)
    path = workdir / f"{survey}-{items}-questions.toml"
    path.write_text(text, encoding="utf-8")
    return str(path), keys


def child(args) -> None:
    """One import in a fresh database; prints its figures as JSON."""
    os.environ["DATABASE_URL"] = args.db if "://" in args.db else f"sqlite:///{args.db}"
    # DEBUG off, as a server runs: with it on, Django keeps every query's SQL with its parameters written
    # out (the cube's packed arrays as hex), hundreds of MiB that are the log's, not the import's
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "benchmark only, not a server's key")
    os.environ["DJANGO_SETTINGS_MODULE"] = "citizenfocus.settings"
    import django

    django.setup()
    from django.core.management import call_command

    from citizenfocus.surveys.importing import survey_import

    if args.fresh:
        call_command("migrate", verbosity=0)
        if args.areas == "demo":
            from citizenfocus.areas.services import force_load
            from citizenfocus.demo import demo_force

            force_load(force=demo_force())
        else:
            _load_standin_areas()
    if args.setup_only:  # the database made in its own process: its memory is not the import's
        return
    from django.db import connection

    server = _server_cpu_reader(connection)
    server_started = server()
    started, cpu_started = time.perf_counter(), time.process_time()
    summary = survey_import(path=Path(args.file), survey=args.survey, user_name="benchmark", source="cli")
    wall = time.perf_counter() - started
    server_cpu = server() - server_started
    cpu = time.process_time() - cpu_started + server_cpu
    peak_mib = _peak_rss_mib()
    print(json.dumps({"rows": summary.rows_read, "new": summary.rows_new, "changed": summary.rows_changed,
                      "unchanged": summary.rows_unchanged,
                      "wall_s": wall, "cpu_s": cpu, "server_cpu_s": server_cpu, "peak_rss_mib": peak_mib}))


def _peak_rss_mib() -> float:
    """This process's peak resident memory. /proc's VmHWM where there is one: getrusage's ru_maxrss keeps,
    across exec, the peak of the process that started this one (this script's parent, which wrote the
    file and may have been larger than the import)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _process_cpu(pid: int) -> float:
    """User and system CPU seconds of a process on this machine (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _server_cpu_reader(connection):
    """For PostgreSQL on this machine: a function giving its server process's CPU so far; else 0."""
    if connection.vendor != "postgresql":
        return lambda: 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    if not Path(f"/proc/{pid}/stat").exists():
        return lambda: 0.0
    return lambda: _process_cpu(pid)


def run_import(path: Path, db: Path | str, survey: str, areas: str, fresh: bool) -> dict:
    command = [sys.executable, str(HERE), "--child", "--file", str(path), "--db", str(db), "--survey", survey,
               "--areas", areas]
    if fresh:
        subprocess.run([*command, "--fresh", "--setup-only"], capture_output=True, text=True, check=True)
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"import failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# The bare loaders -----------------------------------------------------------------------


def _csv_of(path: Path, work: Path) -> Path:
    """The file as CSV (a Parquet file written out once, outside the timings)."""
    if path.suffix == ".csv":
        return path
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    out = work / f"{path.stem}-as.csv"
    if not out.exists():
        source = pq.ParquetFile(path)
        with pacsv.CSVWriter(str(out), source.schema_arrow,
                             write_options=pacsv.WriteOptions(quoting_header="none")) as writer:
            for batch in source.iter_batches(batch_size=100_000):
                writer.write_batch(batch)
    return out


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return next(csv.reader(f))


def bare_sqlite(path: Path, work: Path) -> dict:
    """sqlite3 .import of the CSV into one wide table (all columns TEXT, no index)."""
    import shutil
    import sqlite3

    db = work / "bare.sqlite3"
    db.unlink(missing_ok=True)
    columns = ", ".join(f'"{c}" TEXT' for c in _header(path))
    if shutil.which("sqlite3"):
        script = f'CREATE TABLE wide ({columns});\n.import --csv --skip 1 "{path}" wide\n'
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(["sqlite3", str(db)], input=script, text=True, check=True, capture_output=True)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        return {"loader": "sqlite3 .import", "wall_s": wall, "cpu_s": cpu}
    con = sqlite3.connect(db)
    con.execute(f"CREATE TABLE wide ({columns})")
    started, cpu_started = time.perf_counter(), time.process_time()
    with path.open(encoding="utf-8", newline="") as f, con:
        rows = csv.reader(f)
        width = len(next(rows))
        con.executemany(f"INSERT INTO wide VALUES ({', '.join(['?'] * width)})", rows)
    con.close()
    return {"loader": "Python sqlite3 executemany (no sqlite3 program)", "wall_s": time.perf_counter() - started,
            "cpu_s": time.process_time() - cpu_started}


def bare_postgres(path: Path, url: str) -> dict:
    """COPY of the CSV into one wide table (all columns text, no index), through psycopg."""
    import psycopg

    columns = ", ".join(f'"{c}" text' for c in _header(path))
    with psycopg.connect(url, autocommit=True) as con:
        con.execute("DROP TABLE IF EXISTS bench_wide")
        con.execute(f"CREATE TABLE bench_wide ({columns})")
        pid = con.execute("SELECT pg_backend_pid()").fetchone()[0]
        server_started, started, cpu_started = _process_cpu(pid), time.perf_counter(), time.process_time()
        with con.cursor() as cursor, cursor.copy("COPY bench_wide FROM STDIN WITH (FORMAT csv, HEADER true)") as copy, \
                path.open("rb") as f:
            while block := f.read(1 << 20):
                copy.write(block)
        wall = time.perf_counter() - started
        server = _process_cpu(pid) - server_started
        cpu = time.process_time() - cpu_started + server
        con.execute("DROP TABLE bench_wide")
    return {"loader": "PostgreSQL COPY", "wall_s": wall, "cpu_s": cpu, "server_cpu_s": server}


def bare_duckdb(path: Path, work: Path) -> dict:
    import duckdb

    db = work / "bare.duckdb"
    db.unlink(missing_ok=True)
    con = duckdb.connect(str(db))
    started, cpu_started = time.perf_counter(), time.process_time()
    con.execute(f"CREATE TABLE wide AS SELECT * FROM read_csv('{path}')")
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    con.close()
    return {"loader": "DuckDB read_csv", "wall_s": wall, "cpu_s": cpu}


def _fresh_postgres(url: str) -> str:
    """An empty database for one import: the URL's database dropped and made again."""
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        con.execute(f'CREATE DATABASE "{name}"')
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--format", choices=["csv", "parquet"], nargs="+", default=["csv", "parquet"])
    parser.add_argument("--survey", default="uss")
    parser.add_argument("--items", type=int, default=20,
                        help="questions in the survey (its own and added ones); 0: the survey's own")
    parser.add_argument("--postgres", help="also import into this PostgreSQL database (dropped and made again)")
    parser.add_argument("--no-bare", action="store_true", help="leave out the bare loaders")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run each database's bare loader and its imports this many times, one after the "
                             "other, and print the medians (a machine whose speed varies from minute to minute)")
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--input", type=Path, help="import this file instead of generating one")
    parser.add_argument("--workdir", type=Path, help="keep the files and databases here (default: a temporary folder)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--areas", default="demo", help=argparse.SUPPRESS)
    parser.add_argument("--fresh", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--setup-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    with tempfile.TemporaryDirectory(prefix="citizenfocus-bench-") as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        areas = "demo" if _have_demo() else "standin"
        survey, extra = args.survey, ()
        if args.items and not args.input:
            survey, extra = many_questions(args.survey, args.items, work)
        files = [args.input] if args.input else []
        for fmt in [] if args.input else args.format:
            path = work / f"{args.survey}-{args.rows}-{args.items or 'own'}q.{fmt}"
            started = time.perf_counter()
            source = make_file(path, args.survey, args.rows, args.seed, extra)
            print(f"wrote {path.name} ({path.stat().st_size / 2**20:,.0f} MiB) with the {source} "
                  f"in {time.perf_counter() - started:,.1f} s")
            files.append(path)
        print(f"{'file':<30} {'database':<10} {'import':<10} {'rows':>10} {'wall s':>8} {'rows/s':>9} {'CPU s':>7} "
              f"{'peak RSS MiB':>13} {'CPU × bare':>10}")
        for path in files:
            as_csv = None if args.no_bare else _csv_of(path, work)
            targets = [("SQLite", work / f"{path.stem}-{path.suffix[1:]}.sqlite3")]
            if args.postgres:
                targets.append(("PostgreSQL", args.postgres))
            bare_lines = []
            for database, db in targets:
                runs: dict[str, list[dict]] = {label: [] for label in IMPORTS}
                bares: list[dict] = []
                for _ in range(args.repeat):  # each bare loader just before the imports it is set against
                    base = None if as_csv is None else _bare_loader(database, as_csv, work, args.postgres)
                    if base:
                        bares.append(base)
                    if database == "SQLite":
                        db.unlink(missing_ok=True)
                    else:
                        _fresh_postgres(db)
                    for label, fresh in IMPORTS.items():
                        source = reweighted(path, work) if label == "reweighted" else path
                        r = run_import(source, db, survey, areas, fresh)
                        expected = {"new": "new", "re-import": "unchanged", "reweighted": "changed"}[label]
                        if r[expected] != r["rows"]:
                            print(f"  (only {r[expected]:,} of the rows were {expected})")
                        runs[label].append(r)
                        ratio = f"{r['cpu_s'] / base['cpu_s']:>9.1f}×" if base else ""
                        print(f"{path.name:<30} {database:<10} {label:<10} {r['rows']:>10,} {r['wall_s']:>8,.1f} "
                              f"{r['rows'] / r['wall_s']:>9,.0f} {r['cpu_s']:>7,.1f} {r['peak_rss_mib']:>13,.0f} "
                              f"{ratio}{_server_part(r)}", flush=True)
                for b in bares:
                    bare_lines.append(f"  bare loader for {database}: {b['loader']} of the same rows (as CSV): "
                                      f"{b['wall_s']:,.1f} s wall, {b['cpu_s']:,.1f} s CPU{_server_part(b)}")
                if args.repeat > 1:
                    bare_cpu = statistics.median(b["cpu_s"] for b in bares) if bares else None
                    for label, found in runs.items():
                        cpu = statistics.median(r["cpu_s"] for r in found)
                        ratio = f", {cpu / bare_cpu:.1f}× the bare loader's median ({bare_cpu:.1f} s)" \
                            if bare_cpu else ""
                        server = statistics.median(r.get("server_cpu_s", 0.0) for r in found)
                        part = f" ({server:.1f} s of it the server's)" if server else ""
                        print(f"  {database} {label}: median of {len(found)} runs {cpu:.1f} s CPU{part} "
                              f"(runs {min(r['cpu_s'] for r in found):.1f}-{max(r['cpu_s'] for r in found):.1f} s), "
                              f"peak {max(r['peak_rss_mib'] for r in found):,.0f} MiB{ratio}", flush=True)
            if as_csv is not None:
                duck = bare_duckdb(as_csv, work)
                bare_lines.append(f"  bare loader for DuckDB: {duck['loader']} of the same rows (as CSV): "
                                  f"{duck['wall_s']:,.1f} s wall, {duck['cpu_s']:,.1f} s CPU")
            print("\n".join(bare_lines), flush=True)


def _server_part(run: dict) -> str:
    """PostgreSQL: how much of an import's CPU was its server process's (the rest is this client's)."""
    server = run.get("server_cpu_s", 0.0)
    return f"  (server {server:.1f} s)" if server else ""


IMPORTS = {"new": True, "re-import": False, "reweighted": False}  # the label of each import, and a fresh database?


def reweighted(path: Path, work: Path) -> Path:
    """The file with every row's weight changed (×1.05, to four places), every other cell as it is: made once."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    out = work / f"{path.stem}-reweighted{path.suffix}"
    if out.exists():
        return out
    if path.suffix == ".parquet":
        table = pq.read_table(path)
        at = table.schema.get_field_index("weight")
        weight = pc.round(pc.multiply(table.column("weight"), 1.05), 4)
        pq.write_table(table.set_column(at, "weight", weight), out)
        return out
    names = _header(path)
    options = pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False)
    table = pacsv.read_csv(path, convert_options=options)
    at = names.index("weight")
    weight = pc.round(pc.multiply(pc.cast(table.column("weight"), pa.float64()), 1.05), 4)
    table = table.set_column(at, "weight", weight)
    pacsv.write_csv(table, out, write_options=pacsv.WriteOptions(quoting_header="none"))
    return out


def _bare_loader(database: str, as_csv: Path, work: Path, postgres: str | None) -> dict:
    if database == "SQLite":
        return bare_sqlite(as_csv, work)
    return bare_postgres(as_csv, _fresh_postgres(postgres))


if __name__ == "__main__":
    main()
