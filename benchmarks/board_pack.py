"""Benchmark: the force's board pack, step by step, before and after the changes that brought it under 10 s at
1,000,000 responses, against the dashboard's own pages in the same run.

    citizenfocus demo --no-serve --size 1000000 --db /tmp/pack-1m.sqlite3   # once: the demo at 1M responses
    python benchmarks/board_pack.py --db /tmp/pack-1m.sqlite3
    python benchmarks/board_pack.py --db citizenfocus.sqlite3 --repeat 3 --division Central

Steps timed: the survey's cube (the dashboard's one group-by, built once per data version) and the
baseline — every dashboard page's default view from that cube (what the warmer did after an import) —
then the warm-up's extra: the further pages the force's pack reads, which the warmer now computes too.
Then the pack three times, the chart worker started and no pictures kept:
  before: from the default views only, its pages in the pack's order, each chart sent to the worker as its
          section is written, with the reporting lag's query as it was (year and month extracted in the
          query: on SQLite a Python function per row; kept here for the comparison), waiting for the last
          chart drawn in the worker, then the PDF with Python's cycle collector running through WeasyPrint's
          layout, WeasyPrint decoding and encoding again each chart's PNG, and the tables' header scopes
          added to the written PDF by pikepdf;
  after, default views warmed: from the default views only, the measures' pages first (their charts sent
          to the worker as each is computed), then the rest, the charts still being drawn when the pages
          end, then the PDF (WeasyPrint waits for a picture only when it comes to it; the cycle collector
          paused meanwhile), the PNGs still decoded and encoded again;
  after:  as the one before but from everything the warmer now computes, and the charts' PNG data put
          into the PDF as it is;
then the Word file from the same content. The chart worker's own CPU seconds during the after runs are
printed too (asked of the worker), and how long the PDF waited for its pictures: when the worker is the
last to finish, that wait is the pack's critical path. Wall-clock seconds and this process's CPU seconds are both
printed: on a machine shared with other work the wall clock is the slower and the noisier, and the CPU
seconds are this process's only (the chart worker draws on another core).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import OrderedDict
from pathlib import Path


def _timed(step):
    wall, cpu = time.perf_counter(), time.process_time()
    value = step()
    return (time.perf_counter() - wall, time.process_time() - cpu), value


def extracted_lag(survey_key: str, *, first: int, last: int, equal: dict | None = None):
    """The reporting lag's query as it was before: year and month extracted in the query (on SQLite a Python
    function called on every row), the rest as reports.lag does it."""
    import pandas as pd
    from django.db.models import Count
    from django.db.models.functions import ExtractMonth, ExtractYear

    from citizenfocus.reports.lag import ReportingLag, _first_day
    from citizenfocus.surveys.models import Response

    rows = Response.objects.filter(survey__key=survey_key, interview_date__gte=_first_day(first),
                                   interview_date__lt=_first_day(last + 1), incident_date__isnull=False)
    for column, value in (equal or {}).items():
        if value:
            rows = rows.filter(**{"division__name" if column == "division" else column: value})
    grouped = (rows.annotate(iy=ExtractYear("interview_date"), im=ExtractMonth("interview_date"),
                             cy=ExtractYear("incident_date"), cm=ExtractMonth("incident_date"))
               .values("iy", "im", "cy", "cm").annotate(n=Count("id")).order_by())
    counts = pd.DataFrame(list(grouped), columns=["iy", "im", "cy", "cm", "n"])
    if counts.empty:
        return None
    counts["interview"] = counts["iy"] * 12 + counts["im"] - 1
    counts["incident"] = counts["cy"] * 12 + counts["cm"] - 1
    counts["lag"] = counts["interview"] - counts["incident"]
    latest = counts[counts["interview"] == counts["interview"].max()]
    top = latest.loc[latest["n"].idxmax()]
    ordered = counts.groupby("lag")["n"].sum().sort_index().cumsum()
    median = int(ordered.index[(ordered >= ordered.iloc[-1] / 2).argmax()])
    return ReportingLag(int(top["interview"]), int(top["incident"]), float(top["n"] / latest["n"].sum()), median)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a SQLite database made by `citizenfocus demo`")
    parser.add_argument("--division", default=None)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = f"sqlite:///{args.db.resolve()}"
    # A page cache of this run's own: the one a server (or an earlier run) keeps on disk would hand the
    # baseline every page already computed (0.01 s, and absurd ratios against it).
    page_cache = Path(tempfile.mkdtemp(prefix="board-pack-pages-"))
    os.environ["PAGE_CACHE_DIR"] = str(page_cache)
    try:
        return _run(args)
    finally:
        shutil.rmtree(page_cache, ignore_errors=True)


def _run(args: argparse.Namespace) -> int:
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-000000000000000000000000")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citizenfocus.settings")
    import django

    django.setup()
    from django.core.cache import caches

    from citizenfocus.performance import cube as cubes
    from citizenfocus.performance import memo
    from citizenfocus.performance.warm import warm_survey
    from citizenfocus.reports import build, chart_images, summary
    from citizenfocus.reports import pdf as pdfs
    from citizenfocus.reports.build import PackRequest, board_pack
    from citizenfocus.reports.document import Chart
    from citizenfocus.reports.word import pack_docx
    from citizenfocus.surveys.models import Response

    print(f"{Response.objects.filter(survey__key='uss').count():,} stored USS responses in {args.db}", flush=True)
    rows: dict[str, list[tuple[float, float]]] = {}

    def record(name: str, seconds: tuple[float, float]) -> None:
        rows.setdefault(name, []).append(seconds)
        print(f"  {name}: {seconds[0]:.2f} s (CPU {seconds[1]:.2f} s)", file=sys.stderr, flush=True)

    def warmed(pages: OrderedDict) -> None:
        """The warmer's pages only (as the warm-up left them), no pictures kept, the chart worker running: a
        server after an import."""
        memo.results._items = OrderedDict(pages)
        chart_images.clear()
        chart_images.picture({"mark": "point"}).result()
        for ready in chart_images._ready:
            ready.result()

    def worker_seconds() -> float:
        """The chart worker processes' own CPU seconds so far (user and system, from /proc)."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for pid in chart_images.worker_pids():
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
        return total

    def workers(count: int) -> None:
        """The chart worker processes restarted, `count` of them."""
        chart_images.shutdown()
        chart_images.WORKERS = count

    def before_pages():
        pack = board_pack(request)
        for chart in pack.charts:
            chart.image()
        return pack

    request = PackRequest(division=args.division)
    image, waited = Chart.image, []

    def waiting_image(chart):
        """Chart.image, timed: how long the PDF waited for a picture still being drawn."""
        start = time.perf_counter()
        png = image(chart)
        waited.append(time.perf_counter() - start)
        return png

    lag, paused = summary.reporting_lag, pdfs.cycle_collector_paused
    for run in range(args.repeat):
        cubes.clear()
        memo.results.clear()
        caches["pages"].clear()  # each run's baseline computes its pages, not the previous run's from the disk
        record("cube (one group-by)", _timed(lambda: cubes.get_cube("uss"))[0])
        record("baseline: the dashboard's six default pages",
               _timed(lambda: warm_survey("uss", pack=False))[0])
        warm = OrderedDict(memo.results._items)
        record("the warm-up's extra: the pages the force's pack reads", _timed(lambda: warm_survey("uss"))[0])
        warm_pack = OrderedDict(memo.results._items)
        summary.reporting_lag, pdfs.cycle_collector_paused = extracted_lag, contextlib.nullcontext
        build.EARLY_CHARTS, pdfs.PNG_PASSED_THROUGH, pdfs.SCOPES_WHILE_TAGGING = False, False, False
        workers(1)
        warmed(warm)
        try:
            seconds, pack = _timed(before_pages)
            record("before: pack pages, to the last chart drawn in the worker", seconds)
            record("before: PDF", _timed(lambda pack=pack: pdfs.pack_pdf(pack))[0])
        finally:
            summary.reporting_lag, pdfs.cycle_collector_paused = lag, paused
            build.EARLY_CHARTS, pdfs.SCOPES_WHILE_TAGGING = True, True
        for label, pages, passed, count in (("after, default views warmed", warm, False, 1),
                                            ("after, one chart worker", warm_pack, True, 1),
                                            ("after", warm_pack, True, 2)):
            workers(count)
            warmed(pages)
            pdfs.PNG_PASSED_THROUGH = passed
            worker_cpu = worker_seconds()
            seconds, pack = _timed(lambda: board_pack(request))
            record(f"{label}: pack pages (the charts still being drawn in the worker)", seconds)
            waited.clear()
            Chart.image = waiting_image
            try:
                seconds, pdf = _timed(lambda pack=pack: pdfs.pack_pdf(pack))
            finally:
                Chart.image = image
            record(f"{label}: PDF", seconds)
            print(f"  of which the PDF waited {sum(waited):.2f} s for the chart worker", file=sys.stderr, flush=True)
            worker_cpu = worker_seconds() - worker_cpu
            rows.setdefault(f"{label}: the chart worker's CPU meanwhile", []).append((worker_cpu, worker_cpu))
            print(f"  the chart worker's CPU meanwhile: {worker_cpu:.2f} s", file=sys.stderr, flush=True)
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
    for label in ("before", "after, default views warmed", "after, one chart worker", "after"):
        steps = [k for k in rows if k.startswith(f"{label}:") and "worker's CPU" not in k]
        total, cpu = sum(median(k) for k in steps), sum(median(k, 1) for k in steps)
        print(f"force PDF pack {label}: {total:.2f} s (CPU {cpu:.2f} s in this process), "
              f"{total / baseline:.2f}× the dashboard's default pages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
