"""Benchmark: the force's board pack, step by step, before and after its charts moved to a worker process,
against the dashboard's own pages in the same run.

    citizenfocus demo --no-serve --size 1000000 --db /tmp/pack-1m.sqlite3   # once: the demo at 1M responses
    python benchmarks/board_pack.py --db /tmp/pack-1m.sqlite3
    python benchmarks/board_pack.py --db citizenfocus.sqlite3 --repeat 3 --division Central

Steps timed: the survey's cube (the dashboard's one group-by, built once per data version) and the
baseline — every dashboard page's default view from that cube (what the warmer does after an import).
Then the pack twice, each from the warmer's pages (as on a running server after an import) and no
pictures kept:
  before: its pages, then its charts drawn one after another in this process (vl-convert holds the
          interpreter lock, so the threads used before drew one at a time too), then the PDF;
  after:  its pages with the charts drawn in the worker process meanwhile (to the last picture), then
          the PDF (WeasyPrint fetching the pictures from the pack; table header scopes added);
then the Word file from the same content. Wall-clock seconds and this process's CPU seconds are both
printed: on a machine shared with other work the wall clock is the slower and the noisier.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path


def _timed(step):
    wall, cpu = time.perf_counter(), time.process_time()
    value = step()
    return (time.perf_counter() - wall, time.process_time() - cpu), value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a SQLite database made by `citizenfocus demo`")
    parser.add_argument("--division", default=None)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = f"sqlite:///{args.db.resolve()}"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-000000000000000000000000")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citizenfocus.settings")
    import django

    django.setup()
    from citizenfocus.performance import charts, memo
    from citizenfocus.performance import cube as cubes
    from citizenfocus.performance.warm import warm_survey
    from citizenfocus.reports import chart_images
    from citizenfocus.reports.build import PackRequest, board_pack
    from citizenfocus.reports.pdf import pack_pdf
    from citizenfocus.reports.word import pack_docx
    from citizenfocus.surveys.models import Response

    print(f"{Response.objects.filter(survey__key='uss').count():,} stored USS responses in {args.db}", flush=True)
    rows: dict[str, list[tuple[float, float]]] = {}

    def record(name: str, seconds: tuple[float, float]) -> None:
        rows.setdefault(name, []).append(seconds)
        print(f"  {name}: {seconds[0]:.2f} s (CPU {seconds[1]:.2f} s)", file=sys.stderr, flush=True)

    def cold() -> None:
        memo.results.clear()
        chart_images.clear()

    def serial(pack) -> None:
        for chart in pack.charts:
            chart.png = charts.render(chart.spec, "png")

    request = PackRequest(division=args.division)
    for run in range(args.repeat):
        cubes.clear()
        cold()
        record("cube (one group-by)", _timed(lambda: cubes.get_cube("uss"))[0])
        record("baseline: the dashboard's six default pages", _timed(lambda: warm_survey("uss"))[0])
        # before: the pages the warmer made are there, as on a running server after an import
        seconds, pack = _timed(lambda: board_pack(request, render=False))
        record("before: pack pages", seconds)
        record(f"before: charts ({len(pack.charts)}), one after another in this process",
               _timed(lambda pack=pack: serial(pack))[0])
        record("before: PDF", _timed(lambda pack=pack: pack_pdf(pack))[0])
        # after: from the same state (the warmer's pages only, no pictures kept)
        cold()
        warm_survey("uss")
        chart_images.picture({"mark": "point"}).result()  # the worker started, as on a running server
        seconds, pack = _timed(lambda: board_pack(request))
        record("after: pack pages, charts drawn in the worker meanwhile, to the last chart", seconds)
        seconds, pdf = _timed(lambda pack=pack: pack_pdf(pack))
        record("after: PDF", seconds)
        seconds, docx = _timed(lambda pack=pack: pack_docx(pack))
        record("Word from the same content", seconds)
        print(f"run {run + 1}: PDF {len(pdf) / 1e6:.1f} MB, Word {len(docx) / 1e6:.1f} MB", file=sys.stderr)
    chart_images.shutdown()

    def median(name: str, i: int = 0) -> float:
        return statistics.median(v[i] for v in rows[name])

    width = max(len(k) for k in rows)
    print(f"{'step':<{width}}  median s  CPU s   runs (wall)")
    for name, values in rows.items():
        print(f"{name:<{width}}  {median(name):8.2f}  {median(name, 1):5.2f}   "
              f"{', '.join(f'{v[0]:.2f}' for v in values)}")
    baseline = median("baseline: the dashboard's six default pages")
    for label in ("before", "after"):
        total = sum(median(k) for k in rows if k.startswith(f"{label}:"))
        print(f"force PDF pack {label}: {total:.2f} s, {total / baseline:.1f}× the dashboard's default pages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
