"""Benchmark: dashboard page latency with concurrent users, on the real server.

    python benchmarks/dashboard_load.py                      # 1,000,000 responses, 20 users, 60 s
    python benchmarks/dashboard_load.py --size 60000 --users 20 --seconds 30
    python benchmarks/dashboard_load.py --users 50 --workers 4  # 4 processes, after 1 process as the baseline

Builds (once, then reuses) a demo database of --size user satisfaction
responses, serves it with `citizenfocus serve` (waitress, as in production; with
--workers N, first one process as the baseline, then N processes with gunicorn),
logs --users board members in, and has each one open dashboard pages with a
think time of 0.5–1.5 s (each user's first view within the first 1.5 s; --together: all
at the same instant, a burst no server on two cores answers in 150 ms), for --seconds (bounded in time and in count), with
filters drawn from a small set. By default every page and filter
combination is viewed once first (as after an import, when the first reader
pays for the computation): the figures are then the steady state; --cold
measures with those first views inside the run. Every request goes to 127.0.0.1 only. Prints p50, p95
and max latency per page and overall, the first (cold) load of each page after
the server starts, the number of errors, and the server's CPU seconds during the load (its
processes' user + system time from /proc, Linux) per request. Each server gets a fresh shared
page cache (PAGE_CACHE_DIR), so no run reads pages an earlier one computed.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

PAGES = ("overview", "trend", "gaps", "neighbourhoods", "drivers", "peers")
FILTERS = ("", "crime_type=vehicle_crime", "crime_type=asb", "measure=kept_informed", "division=2",
           "period=rolling12:2013-03")
DATA = Path(__file__).with_name("data")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_database(size: int) -> Path:
    db = DATA / f"dashboard-{size}.sqlite3"
    if db.exists():
        with sqlite3.connect(db) as con:
            if con.execute("select count(*) from surveys_response").fetchone()[0] >= size:
                print(f"reusing {db}")
                return db
    DATA.mkdir(exist_ok=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "citizenfocus", "demo", "--no-serve", "--db", str(db), "--size", str(size)],
                   check=True, env=server_env())
    print(f"built {db} with {size:,} responses in {time.perf_counter() - started:.0f} s")
    return db


def server_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CITIZENFOCUS_TESTING", "DEBUG"}}
    env.update({"SECRET_KEY": "benchmark-" + "x" * 40, "STATIC_ROOT": str(DATA / "static"),
                "MEDIA_ROOT": str(DATA / "media"),
                "AXES_FAILURE_LIMIT": "1000", "SECURE_COOKIES": "0"})
    return env


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by the server process and its children (gunicorn's workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # a process that ended meanwhile
            continue
        if int(stat.parent.name) == pid or int(fields[1]) == pid:  # fields[1]: the parent's pid
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def start_server(db: Path, port: int, workers: int = 1, threads: int = 8) -> subprocess.Popen:
    # a fresh shared page cache for each server: pages computed by an earlier run must not be read
    cache = tempfile.mkdtemp(prefix="dashboard-page-cache-")
    server = subprocess.Popen([sys.executable, "-m", "citizenfocus", "serve", "--db", str(db), "--port", str(port),
                               "--threads", str(threads), "--workers", str(workers)],
                              env={**server_env(), "PAGE_CACHE_DIR": cache}, stdout=subprocess.DEVNULL)
    for _ in range(240):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("the server did not start")


def logged_in_opener(base: str, username: str, password: str):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
    opener.open(urllib.request.Request(f"{base}/accounts/login/", data=body.encode(),
                                       headers={"Referer": f"{base}/accounts/login/"}))
    return opener


def timed_get(opener, url: str) -> tuple[float, int]:
    started = time.perf_counter()
    try:
        with opener.open(url, timeout=60) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return time.perf_counter() - started, status


def user_loop(opener, base, deadline, max_requests, results, seed, together=False):
    rng = random.Random(seed)
    if not together:  # users arrive over one think time, as readers do, not all in the same millisecond
        time.sleep(rng.uniform(0, 1.5))
    for _ in range(max_requests):
        if time.monotonic() >= deadline:
            return
        page, query = rng.choice(PAGES), rng.choice(FILTERS)
        seconds, status = timed_get(opener, f"{base}/performance/{page}/?{query}")
        results.append((page, seconds, status))
        time.sleep(rng.uniform(0.5, 1.5))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def report(results: list[tuple[str, float, int]]) -> float:
    print(f"\n{'page':<16}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for page in (*PAGES, None):
        times = [s * 1000 for p, s, _ in results if page is None or p == page]
        if times:
            print(f"{page or 'all pages':<16}{len(times):>9}{statistics.median(times):>9.0f}"
                  f"{percentile(times, 0.95):>9.0f}{max(times):>9.0f}")
    errors = [r for r in results if r[2] != 200]
    print(f"errors: {len(errors)}")
    return percentile([s * 1000 for _, s, _ in results], 0.95) if results else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--max-requests", type=int, default=200, help="per user")
    parser.add_argument("--workers", type=int, default=1,
                        help="server processes; above 1, one process is measured first in the same run as the "
                             "baseline")
    parser.add_argument("--threads", type=int, default=8, help="threads per process")
    parser.add_argument("--pages", default=",".join(PAGES),
                        help="comma-separated pages to load (default: all six)")
    parser.add_argument("--db", type=Path, help="an existing database made by `citizenfocus demo` (else built)")
    parser.add_argument("--together", action="store_true",
                        help="every user's first request at the same instant (a burst of --users requests at "
                             "once) instead of arriving over the first 1.5 s")
    parser.add_argument("--cold", action="store_true",
                        help="skip the warm-up: measure with first views of each filter combination included")
    args = parser.parse_args()
    globals()["PAGES"] = tuple(p for p in args.pages.split(",") if p)
    if args.db is not None and not args.db.exists():
        sys.exit(f"{args.db} does not exist: leave --db out to build a demo database of --size responses, or make "
                 f"one with `citizenfocus demo --no-serve --db {args.db} --size {args.size}`")
    db = args.db or build_database(args.size)
    p95 = {}
    for workers in sorted({1, args.workers}):
        print(f"\n== {workers} server process{'es' if workers > 1 else ''} × {args.threads} threads")
        p95[workers] = run(db, args, workers)
    if len(p95) > 1:
        print(f"\np95: {p95[args.workers]:.0f} ms with {args.workers} processes, {p95[1]:.0f} ms with one "
              f"({p95[args.workers] / p95[1]:.2f}× the one-process figure)")


def run(db: Path, args, workers: int) -> float:
    port = free_port()
    server = start_server(db, port, workers=workers, threads=args.threads)
    base = f"http://127.0.0.1:{port}"
    try:
        warm = logged_in_opener(base, "board", "citizenfocus-demo")
        for page in PAGES:
            seconds, status = timed_get(warm, f"{base}/performance/{page}/")
            print(f"first load of {page}: {seconds * 1000:.0f} ms (status {status})")
        if not args.cold:
            started = time.perf_counter()
            for _ in range(workers):  # each process keeps its own memo: a view per process, roughly
                for page in PAGES:
                    for query in FILTERS:
                        timed_get(warm, f"{base}/performance/{page}/?{query}")
            print(f"warmed {workers * len(PAGES) * len(FILTERS)} views in {time.perf_counter() - started:.1f} s")
        openers = [logged_in_opener(base, "board", "citizenfocus-demo") for _ in range(args.users)]
        results: list = []
        deadline = time.monotonic() + args.seconds
        threads = [threading.Thread(target=user_loop, args=(o, base, deadline, args.max_requests, results, i, args.together))
                   for i, o in enumerate(openers)]
        cpu = server_cpu(server.pid)
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        cpu = server_cpu(server.pid) - cpu
        print(f"\n{args.users} users for {args.seconds} s on {args.size:,} responses, {workers} process(es)")
        print(f"server CPU during the load: {cpu:.1f} s, {cpu * 1000 / max(len(results), 1):.1f} ms per request "
              f"({len(results)} requests; load average {os.getloadavg()[0]:.1f})")
        return report(results)
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
