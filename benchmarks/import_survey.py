"""Benchmark: import a large survey file (CSV and Parquet) into a fresh SQLite database.

    python benchmarks/import_survey.py                  # 1,000,000 USS rows, CSV and Parquet
    python benchmarks/import_survey.py --rows 100000 --format parquet
    python benchmarks/import_survey.py --input my-export.csv --survey uss   # a file of your own
                                                                             # (its areas must be the demo force's)

Each import runs in its own process, into its own fresh database, so the figures are
for the import alone: rows/s, wall time, CPU time (which a busy machine does not
inflate) and peak resident memory (getrusage). The file
is imported twice: first every row is new, then every row is unchanged (a re-import).
Files come from the demo generator (citizenfocus.demo) when it is installed, otherwise
from a small generator here with the same columns.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
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


def make_file(path: Path, survey: str, size: int, seed: int) -> str:
    if _have_demo():
        from citizenfocus.demo import write_survey_file

        write_survey_file(path, survey, size=size, seed=seed)
        return "citizenfocus.demo"
    _standin_file(path, size, seed)
    return "stand-in generator"


def child(args) -> None:
    """One import in a fresh database; prints its figures as JSON."""
    os.environ["DATABASE_URL"] = f"sqlite:///{args.db}"
    os.environ.setdefault("DEBUG", "1")
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
    started, cpu_started = time.perf_counter(), time.process_time()
    summary = survey_import(path=Path(args.file), survey=args.survey, user_name="benchmark", source="cli")
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": summary.rows_read, "new": summary.rows_new, "unchanged": summary.rows_unchanged,
                      "wall_s": wall, "cpu_s": cpu, "peak_rss_mib": peak_mib}))


def run_import(path: Path, db: Path, survey: str, areas: str, fresh: bool) -> dict:
    command = [sys.executable, str(HERE), "--child", "--file", str(path), "--db", str(db), "--survey", survey,
               "--areas", areas] + (["--fresh"] if fresh else [])
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"import failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--format", choices=["csv", "parquet"], nargs="+", default=["csv", "parquet"])
    parser.add_argument("--survey", default="uss")
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--input", type=Path, help="import this file instead of generating one")
    parser.add_argument("--workdir", type=Path, help="keep the files and databases here (default: a temporary folder)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--areas", default="demo", help=argparse.SUPPRESS)
    parser.add_argument("--fresh", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    with tempfile.TemporaryDirectory(prefix="citizenfocus-bench-") as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        areas = "demo" if _have_demo() else "standin"
        files = [args.input] if args.input else []
        for fmt in [] if args.input else args.format:
            path = work / f"{args.survey}-{args.rows}.{fmt}"
            started = time.perf_counter()
            source = make_file(path, args.survey, args.rows, args.seed)
            print(f"wrote {path.name} ({path.stat().st_size / 2**20:,.0f} MiB) with the {source} "
                  f"in {time.perf_counter() - started:,.1f} s")
            files.append(path)
        print(f"{'file':<28} {'import':<10} {'rows':>10} {'wall s':>8} {'rows/s':>9} {'CPU s':>7} {'peak RSS MiB':>13}")
        for path in files:
            db = work / f"{path.stem}-{path.suffix[1:]}.sqlite3"
            db.unlink(missing_ok=True)
            for label, fresh in (("new", True), ("re-import", False)):
                r = run_import(path, db, args.survey, areas, fresh)
                print(f"{path.name:<28} {label:<10} {r['rows']:>10,} {r['wall_s']:>8,.1f} "
                      f"{r['rows'] / r['wall_s']:>9,.0f} {r['cpu_s']:>7,.1f} {r['peak_rss_mib']:>13,.0f}", flush=True)


if __name__ == "__main__":
    main()
