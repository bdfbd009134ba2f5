"""Benchmark: the first overview page after an import, from the persisted monthly sums, against the old path.

    citizenfocus demo --no-serve --size 1000000 --db /tmp/demo-1m.sqlite3   # once: the demo at 1M responses
    python benchmarks/first_overview.py --db /tmp/demo-1m.sqlite3

Steps, each timed in this run:
- refresh, every month: what an import of a file covering every month adds to its transaction
  (engine.stored.refresh_months: the stored responses read a group of months at a time and counted, the
  cells replaced);
- refresh, the newest month: what a monthly import adds;
- reading the persisted cells alone (engine.stored.load_cube: a row per month, decoded with numpy);
- first overview from the persisted cells (engine.stored.load_cube, then the overview page): what the
  first reader after an import waits for, in any server process;
- the first distribution page's cube of answer-code shares, from the same persisted rows;
- baseline, the old path: the same cube from the stored responses (Cube.from_source over
  open_db_source, one GROUP BY through the engine's own connection), then the same page.
The two cubes' overview figures are checked equal. Nothing is committed: the refreshes roll back.
Each step prints wall and CPU seconds (time.process_time) of this process.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path


def _timed(step):
    """(wall seconds, CPU seconds of this process, the step's value)."""
    started, cpu = time.perf_counter(), time.process_time()
    value = step()
    return time.perf_counter() - started, time.process_time() - cpu, value


def _largest_difference(a, b) -> float:
    """The largest relative difference between two pages' figures (texts and the shape must be the same)."""
    if isinstance(a, dict):
        assert a.keys() == b.keys(), "the two paths disagree"
        return max((_largest_difference(a[k], b[k]) for k in a), default=0.0)
    if isinstance(a, list | tuple):
        assert len(a) == len(b), "the two paths disagree"
        return max((_largest_difference(x, y) for x, y in zip(a, b, strict=True)), default=0.0)
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) / max(abs(a), abs(b), 1e-300) if a != b else 0.0
    assert a == b, f"the two paths disagree: {a!r} against {b!r}"
    return 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a SQLite database made by `citizenfocus demo`")
    parser.add_argument("--survey", default="uss")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the first overview (refreshes run once)")
    parser.add_argument("--skip-full", action="store_true", help="leave out the refresh of every month")
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = f"sqlite:///{args.db.resolve()}"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-000000000000000000000000")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citizenfocus.settings")
    import django

    django.setup()
    from django.db import transaction

    from citizenfocus.engine import open_db_source
    from citizenfocus.engine.cube import STANDARD_DIMENSIONS, Cube
    from citizenfocus.engine.stored import load_cube, refresh_months
    from citizenfocus.performance import cube as cubes
    from citizenfocus.performance import memo
    from citizenfocus.performance.pages import PAGES
    from citizenfocus.performance.pages.base import Filters
    from citizenfocus.surveys.models import CubeMonth, Response, Survey

    survey = Survey.objects.get(key=args.survey)
    responses = Response.objects.filter(survey=survey).count()
    load_cube(args.survey)  # cells built once if this database predates them
    months = CubeMonth.objects.filter(survey=survey)
    cells = sum(months.values_list("cells", flat=True))
    print(f"{responses:,} stored {args.survey} responses, {cells:,} persisted cells in {months.count()} rows "
          f"(one per month) in {args.db}")
    overview = PAGES["overview"][0]

    def page(cube):
        filters = Filters(survey=args.survey, measure=cube.definition.overall_measure, period="",
                          crime_type=None, division=None, neighbourhood=None)
        return overview(cube, filters)

    def from_responses():
        source = open_db_source(args.survey)
        built = Cube.from_source(source, dimensions=STANDARD_DIMENSIONS, strata=source.definition.strata)
        return Cube(built.data, key=built.key, definition=source.definition, survey_key=args.survey)

    class RolledBack(Exception):
        pass

    def refresh(months):
        try:
            with transaction.atomic():
                refresh_months(survey, months)
                raise RolledBack
        except RolledBack:
            pass

    latest = max(months.values_list("month", flat=True))
    rows: dict[str, list[tuple[float, float]]] = {}

    def step(name, run):
        wall, cpu, value = _timed(run)
        rows.setdefault(name, []).append((wall, cpu))
        return value

    for _ in range(args.repeat):
        cubes.clear()
        memo.results.clear()
        step("read the persisted cells (load_cube)", lambda: load_cube(args.survey))
        cubes.clear()
        stored = step("first overview, from the persisted cells", lambda: page(cubes.get_cube(args.survey)))
        step("first distribution cube, from the persisted shares",
             lambda: cubes.get_cube(args.survey, shares=True))
        old = step("baseline: first overview, cube from the responses", lambda: page(from_responses()))
    difference = _largest_difference(stored.as_dict()["tables"], old.as_dict()["tables"])
    assert difference <= 1e-9, f"the two paths disagree: {difference:.3g}"
    print(f"the two paths' overview figures agree to {difference:.1e} (relative; sums added in another order)")
    step("refresh, the newest month (a monthly import)", lambda: refresh([latest]))
    if not args.skip_full:
        step("refresh, every month (in a full import's transaction)", lambda: refresh(None))
    width = max(len(k) for k in rows)
    print(f"{'step':<{width}}  median wall s  median CPU s   runs (wall/CPU)")
    for name, values in rows.items():
        print(f"{name:<{width}}  {statistics.median(v[0] for v in values):13.3f}  "
              f"{statistics.median(v[1] for v in values):12.3f}   "
              f"{', '.join(f'{w:.2f}/{c:.2f}' for w, c in values)}")
    new = statistics.median(v[0] for v in rows["first overview, from the persisted cells"])
    base = statistics.median(v[0] for v in rows["baseline: first overview, cube from the responses"])
    print(f"first overview: {new:.2f} s from the persisted cells, {base:.2f} s from the responses "
          f"({base / new:.1f}× faster)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
