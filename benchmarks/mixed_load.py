"""Benchmark: a busy force's mixed load on the real server, and a check that no write is lost.

    python benchmarks/mixed_load.py                    # 50 users for 60 s on a 60,000-response demo force
    python benchmarks/mixed_load.py --seconds 180 --users 50 --size 60000

Builds (once, then reuses) a demo database, copies it (SQLite's online backup) for this
run, serves the copy with `citizenfocus serve` (waitress, as in production) on a free
port of 127.0.0.1, and runs --users simulated people for --seconds (bounded in time and
in requests per person): board members reading dashboard pages and their JSON twins,
analysts downloading CSV/XLSX exports and plans, and action managers posting position
updates to their own action through the plan's own form (each one reading the form
first, as a browser does). A third of the way in, an analyst uploads a survey file
through the import page (which changes the figures, so pages viewed after it compute them
again, as after any import). Every dashboard view is computed once before the clock starts. Every request goes to 127.0.0.1 only.

Prints the errors (any answer that is not the one expected, or no answer), p50/p95/max
latency per kind of request, how the import went, and then checks in the database that
every POST the server answered as saved is stored.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
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
import urllib.error
import urllib.parse
import urllib.request
import uuid
from html import unescape
from pathlib import Path

DATA = Path(__file__).with_name("data")
PASSWORD = "citizenfocus-demo"
PAGES = ("overview", "trend", "gaps", "neighbourhoods", "drivers", "peers")
FILTERS = ("", "crime_type=vehicle_crime", "measure=kept_informed", "division=2", "period=rolling12:2013-03")
EXPORTS = ("/performance/overview/?table={table}&format=csv", "/performance/gaps/?table={table}&format=xlsx",
           "/data/?format=csv", "/data/responses/?crime_type=asb&division=2&format=xlsx",
           "/plans/{plan}/export/?format=xlsx", "/plans/{plan}/export/?format=docx", "/plans/{plan}/?format=csv")
THINK = (1.0, 3.0)  # seconds between one person's requests: busy people, not scripts


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(folder: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CITIZENFOCUS_TESTING", "DEBUG"}}
    env.update({"SECRET_KEY": "benchmark-" + "x" * 40, "STATIC_ROOT": str(folder / "static"),
                "MEDIA_ROOT": str(folder / "media"), "SECURE_COOKIES": "0", "AXES_FAILURE_LIMIT": "1000",
                "CITIZENFOCUS_LOGIN_ADDRESS_LIMIT": "100000"})
    return env


def build_database(size: int) -> Path:
    db = DATA / f"mixed-{size}.sqlite3"
    if db.exists():
        print(f"reusing {db}")
        return db
    DATA.mkdir(exist_ok=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "citizenfocus", "demo", "--no-serve", "--db", str(db), "--size", str(size)],
                   check=True, env=server_env(DATA), stdout=subprocess.DEVNULL)
    print(f"built {db} with {size:,} responses in {time.perf_counter() - started:.0f} s")
    return db


def run_copy(db: Path, folder: Path) -> Path:
    """A copy for this run only (the run writes to it), made with SQLite's online backup, and
    migrated: the database built by an earlier run may predate the code's tables."""
    copy = folder / "run.sqlite3"
    with sqlite3.connect(db) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    source.close()
    target.close()
    subprocess.run([sys.executable, "-m", "citizenfocus", "migrate", "--db", str(copy)], check=True,
                   env=server_env(folder), stdout=subprocess.DEVNULL)
    return copy


def start_server(db: Path, port: int, folder: Path) -> subprocess.Popen:
    server = subprocess.Popen([sys.executable, "-m", "citizenfocus", "serve", "--db", str(db), "--port", str(port),
                               "--threads", "8"], env=server_env(folder), stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    server.stdout.readline()  # the banner: the application is loaded and about to listen
    for _ in range(600):  # bounded: the server answers within moments of its banner
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5).read()
            return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit("the server stopped before it answered") from None
            time.sleep(0.1)
    server.kill()
    raise SystemExit("the server did not answer")


class Person:
    """One logged-in browser: a cookie jar, a CSRF token, and the requests it timed."""

    def __init__(self, base: str, username: str):
        self.base, self.username = base, username
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        page = self.get_text("/accounts/login/")
        self.post_form("/accounts/login/", {"username": username, "password": PASSWORD,
                                            "csrfmiddlewaretoken": _token(page)})

    def request(self, path: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, bytes]:
        request = urllib.request.Request(self.base + path, data=data,
                                         headers={"Referer": self.base + path, **(headers or {})})
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def get_text(self, path: str) -> str:
        return self.request(path)[1].decode("utf-8", "replace")

    def post_form(self, path: str, fields: dict) -> tuple[int, bytes]:
        return self.request(path, urllib.parse.urlencode(fields).encode())


def _token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def update_fields(page: str, action: int) -> dict:
    """The action's update form as the page draws it: every hidden field, the status choices."""
    form = re.search(rf'<form[^>]*action="/plans/actions/{action}/update/"(.*?)</form>', page, re.S).group(1)
    fields = {n: unescape(v) for n, v in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)}
    fields["status"] = re.findall(r'<option value="([a-z_]+)"', re.search(r'<select name="status".*?</select>',
                                                                          form, re.S).group(0))
    return fields


class Run:
    def __init__(self, base: str, deadline: float, max_requests: int):
        self.base, self.deadline, self.max_requests = base, deadline, max_requests
        self.timings: list[tuple[str, float, int, bool]] = []  # kind, seconds, status, as expected
        self.saved: list[str] = []  # the texts of every update the server answered as saved
        self.lock = threading.Lock()
        self.import_outcome: dict = {}

    def timed(self, kind: str, call, expected=(200,)):
        started = time.perf_counter()
        try:
            status, body = call()
        except OSError as exc:
            status, body = 0, str(exc).encode()
        seconds = time.perf_counter() - started
        with self.lock:
            self.timings.append((kind, seconds, status, status in expected))
        return status, body

    def reader(self, person: Person, rng: random.Random) -> None:
        for _ in range(self.max_requests):
            if time.monotonic() >= self.deadline:
                return
            page, query = rng.choice(PAGES), rng.choice(FILTERS)
            if rng.random() < 0.6:
                self.timed("page", lambda p=page, q=query: person.request(f"/performance/{p}/?{q}"))
            else:
                self.timed("json", lambda p=page, q=query: person.request(f"/performance/{p}/?{q}&format=json"))
            time.sleep(rng.uniform(*THINK))

    def exporter(self, person: Person, rng: random.Random, plan: int, tables: dict) -> None:
        for _ in range(self.max_requests):
            if time.monotonic() >= self.deadline:
                return
            template = rng.choice(EXPORTS)
            page = template.split("/")[2]
            path = template.format(plan=plan, table=rng.choice(tables.get(page, ["x"])))
            self.timed("export", lambda p=path: person.request(p))
            time.sleep(rng.uniform(*THINK))

    def updater(self, person: Person, rng: random.Random, action: int, number: int) -> None:
        for n in range(self.max_requests):
            if time.monotonic() >= self.deadline:
                return
            status, body = self.timed("page", lambda: person.request(f"/plans/actions/{action}/"))
            if status != 200:
                continue
            fields = update_fields(body.decode(), action)
            text = f"mixed-load {number}-{n} {uuid.uuid4().hex}"
            fields.update({"status": rng.choice(fields["status"]), "text": text})
            status, body = self.timed("post", lambda f=fields: person.post_form(
                f"/plans/actions/{action}/update/?format=json", f))
            if status == 200 and json.loads(body).get("status") == "saved":
                with self.lock:
                    self.saved.append(text)
            time.sleep(rng.uniform(*THINK))

    def importer(self, person: Person, path: Path, start_at: float) -> None:
        while time.monotonic() < start_at:  # the import starts part way through the run
            time.sleep(0.2)
        status, page = self.timed("page", lambda: person.request("/data/import/"))
        if status != 200:
            self.import_outcome = {"status": status, "answer": page[:200]}
            return
        body, content_type = multipart({"survey": "uss", "csrfmiddlewaretoken": _token(page.decode())}, "file", path)
        started = time.perf_counter()
        status, answer = self.timed("import", lambda: person.request(
            "/data/import/?format=json", body, {"Content-Type": content_type}))
        self.import_outcome = {"status": status, "seconds": time.perf_counter() - started,
                               "answer": json.loads(answer) if answer.startswith(b"{") else answer[:200]}


def multipart(fields: dict, file_field: str, path: Path) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{path.name}"\r\n'
                 f"Content-Type: application/octet-stream\r\n\r\n".encode() + path.read_bytes() + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def survey_file(folder: Path, rows: int) -> Path:
    """A month's file as a force would send it: the demo generator with another seed (ids overlap: updates)."""
    path = folder / "june.parquet"
    subprocess.run([sys.executable, "-c", "import sys; from citizenfocus.demo import write_survey_file; "
                    f"write_survey_file(sys.argv[1], 'uss', size={rows}, seed=77)", str(path)],
                   check=True, env=server_env(folder))
    return path


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def report(run: Run, db: Path) -> int:
    print(f"\n{'request':<10}{'count':>8}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for kind in ("page", "json", "export", "post", "import", None):
        rows = [t for t in run.timings if kind is None or t[0] == kind]
        if rows:
            times = [t[1] * 1000 for t in rows]
            print(f"{kind or 'all':<10}{len(rows):>8}{sum(not t[3] for t in rows):>8}{statistics.median(times):>9.0f}"
                  f"{percentile(times, 0.95):>9.0f}{max(times):>9.0f}")
    errors = [t for t in run.timings if not t[3]]
    for kind, _, status, _ in errors[:20]:
        print(f"  error: {kind} answered {status or 'nothing'}")
    outcome = run.import_outcome
    answer = outcome.get("answer", {})
    if isinstance(answer, dict):
        print(f"import part way: status {outcome.get('status')} in {outcome.get('seconds', 0):.1f} s, "
              f"{answer.get('status')}: {answer.get('rows_read')} rows read, {answer.get('rows_new')} new, "
              f"{answer.get('rows_changed')} changed")
    else:
        print(f"import part way: status {outcome.get('status')}: {answer!r}")
    with sqlite3.connect(db) as con:
        stored = {text for (text,) in con.execute("SELECT text FROM plans_positionupdate WHERE text LIKE 'mixed-load %'")}
    con.close()
    lost = [text for text in run.saved if text not in stored]
    print(f"POSTs answered as saved: {len(run.saved)}; stored: {len(run.saved) - len(lost)}; lost: {len(lost)}")
    print(f"errors: {len(errors)}")
    return 1 if errors or lost or outcome.get("status") != 200 else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=60_000, help="user satisfaction responses in the demo force")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60, help="how long the load runs")
    parser.add_argument("--max-requests", type=int, default=400, help="per person, a bound besides the time")
    parser.add_argument("--import-rows", type=int, default=20_000, help="rows in the file imported part way")
    args = parser.parse_args()
    source = build_database(args.size)
    with tempfile.TemporaryDirectory(prefix="citizenfocus-mixed-") as tmp:
        folder = Path(tmp)
        db = run_copy(source, folder)
        upload = survey_file(folder, args.import_rows)
        port = free_port()
        server = start_server(db, port, folder)
        base = f"http://127.0.0.1:{port}"
        try:
            return _load(args, base, db, upload)
        finally:
            server.terminate()
            server.wait(timeout=60)


def _load(args, base: str, db: Path, upload: Path) -> int:
    with sqlite3.connect(db) as con:
        plan = con.execute("SELECT min(id) FROM plans_plan").fetchone()[0]
        actions = [pk for (pk,) in con.execute("SELECT id FROM plans_action WHERE NOT archived ORDER BY id")]
    con.close()
    warm = Person(base, "analyst")
    tables = {}
    warming = time.perf_counter()
    for page in PAGES:  # the first view of each page and filter pays for its figures: done before the clock starts
        answer = warm.request(f"/performance/{page}/?format=json")[1]
        tables[page] = list(json.loads(answer).get("tables", {})) or ["x"]
        for query in FILTERS:
            warm.request(f"/performance/{page}/?{query}")
    print(f"warmed {len(PAGES) * len(FILTERS)} dashboard views in {time.perf_counter() - warming:.1f} s")
    updaters = min(len(actions), max(1, args.users // 5))
    exporters = max(1, args.users // 5)
    people = [Person(base, "analyst") for _ in range(updaters + exporters + 1)]
    people += [Person(base, "board") for _ in range(args.users - updaters - exporters)]
    print(f"{args.users} people logged in: {args.users - updaters - exporters} reading, {exporters} exporting, "
          f"{updaters} posting updates (one action each), and one import part way")
    started = time.monotonic()
    run = Run(base, started + args.seconds, args.max_requests)
    threads = [threading.Thread(target=run.updater, args=(people[i], random.Random(i), actions[i], i))
               for i in range(updaters)]
    threads += [threading.Thread(target=run.exporter, args=(people[updaters + i], random.Random(100 + i), plan, tables))
                for i in range(exporters)]
    threads.append(threading.Thread(target=run.importer, args=(people[updaters + exporters], upload,
                                                               started + args.seconds / 3)))
    threads += [threading.Thread(target=run.reader, args=(p, random.Random(200 + i)))
                for i, p in enumerate(people[updaters + exporters + 1:])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    took = time.monotonic() - started
    print(f"ran {took:.0f} s ({args.seconds} s of load, then the last requests finished): "
          f"{len(run.timings) / took:.1f} requests a second")
    return report(run, db)


if __name__ == "__main__":
    sys.exit(main())
