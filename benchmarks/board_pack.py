"""Benchmark: the force's board pack, step by step, against the dashboard's own pages in the same run.

    citizenfocus demo --no-serve --size 1000000 --db /tmp/pack-1m.sqlite3   # once: the demo at 1M responses
    python benchmarks/board_pack.py --db /tmp/pack-1m.sqlite3
    python benchmarks/board_pack.py --db citizenfocus.sqlite3 --repeat 3 --division Central

Steps timed: the survey's cube (the dashboard's one group-by, built once per data version), the
baseline — every dashboard page's default view computed from that cube (what the warmer does after an
import) — then the pack's content (its pages: per area and measure, all from the same cube), its
charts (vl-convert), and the PDF (WeasyPrint) and Word (python-docx) files. Each step after the first
run reads the pages' memo, as a second pack does on a running server; the first figures are cold.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path


def _timed(step):
    started = time.perf_counter()
    value = step()
    return time.perf_counter() - started, value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a SQLite database made by `citizenfocus demo`")
    parser.add_argument("--division", default=None)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = f"sqlite:///{args.db.resolve()}"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-000000000000000000000000")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citizenfocus.settings")
    import django

    django.setup()
    from citizenfocus.performance import cube as cubes
    from citizenfocus.performance import memo
    from citizenfocus.performance.warm import warm_survey
    from citizenfocus.reports.build import PackRequest, board_pack, render_charts
    from citizenfocus.reports.pdf import pack_pdf
    from citizenfocus.reports.word import pack_docx
    from citizenfocus.surveys.models import Response

    print(f"{Response.objects.filter(survey__key='uss').count():,} stored USS responses in {args.db}")
    rows: dict[str, list[float]] = {}
    for run in range(args.repeat):
        cubes.clear()
        memo.results.clear()
        seconds, _ = _timed(lambda: cubes.get_cube("uss"))
        rows.setdefault("cube (one group-by)", []).append(seconds)
        seconds, _ = _timed(lambda: warm_survey("uss"))
        rows.setdefault("baseline: the dashboard's six default pages", []).append(seconds)
        seconds, pack = _timed(lambda: board_pack(PackRequest(division=args.division), render=False))
        rows.setdefault("pack content (pages for every area and measure)", []).append(seconds)
        seconds, _ = _timed(lambda pack=pack: render_charts(pack))
        rows.setdefault(f"charts ({len(pack.charts)}, vl-convert)", []).append(seconds)
        seconds, pdf = _timed(lambda pack=pack: pack_pdf(pack))
        rows.setdefault("PDF (WeasyPrint, PDF/UA-1)", []).append(seconds)
        seconds, docx = _timed(lambda pack=pack: pack_docx(pack))
        rows.setdefault("Word (python-docx)", []).append(seconds)
        print(f"run {run + 1}: PDF {len(pdf) / 1e6:.1f} MB, Word {len(docx) / 1e6:.1f} MB", file=sys.stderr)
    width = max(len(k) for k in rows)
    print(f"{'step':<{width}}  median s   runs")
    for name, values in rows.items():
        print(f"{name:<{width}}  {statistics.median(values):8.2f}   {', '.join(f'{v:.2f}' for v in values)}")
    pack_total = sum(statistics.median(v) for k, v in rows.items() if not k.startswith(("cube", "baseline")))
    baseline = statistics.median(rows["baseline: the dashboard's six default pages"])
    print(f"pack, content to PDF and Word: {pack_total:.2f} s; {pack_total / baseline:.1f}× the dashboard's "
          "default pages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
