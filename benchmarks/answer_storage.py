"""Benchmark: how to store answers on their scale. Long (response × question → code) and packed (each
response's codes in one text column, two characters a question: what is stored since migration 0009) against
wide (one code column per question in the responses table), on SQLite and PostgreSQL.

    python benchmarks/answer_storage.py                               # 200,000 responses × 20 questions, SQLite
    python benchmarks/answer_storage.py --postgres postgres://postgres@127.0.0.1:5432/cf_bench
    python benchmarks/answer_storage.py --responses 50000 --questions 8

The figures behind docs/design-answers.md. For each layout and database: the time to write the rows
(executemany on SQLite, COPY on PostgreSQL), the space they take (tables and their indexes), and
the time of the engine's query through Ibis: five derived measures' n, Σw and Σwy by month × division ×
ethnicity, the long layout pivoted (one conditional MAX per question, as the engine did until migration
0009) and joined back to its responses, the packed layout read by the engine's own `packed_code`. "long" is the answers table as migration 0004 makes it (its own id
and a unique index on response × question); "lean" the same keyed by (response, question) alone
(WITHOUT ROWID on SQLite). All are measured in the same run on the same rows; each response
answers about 90% of the questions with a code from 1 to 7.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import tempfile
import time
from datetime import date, timedelta

import ibis
import numpy as np

MEASURED = 5  # derived measures in the query, as the USS overview


def make_rows(responses: int, questions: int, seed: int = 11):
    rng = np.random.default_rng(seed)
    first = date(2011, 4, 1)
    days = rng.integers(0, 3 * 365, responses)
    people = [(i + 1, (first + timedelta(days=int(d))).isoformat(), int(rng.integers(1, 4)),
               str(rng.choice(["W1", "W1", "W1", "A1", "B2", "NS"])), float(np.round(rng.uniform(0.3, 3), 4)))
              for i, d in enumerate(days)]
    codes = rng.integers(1, 8, (responses, questions))
    codes[rng.random((responses, questions)) < 0.1] = 0  # not answered
    return people, codes


def keys(questions: int) -> list[str]:
    return [f"q{j + 1:02d}" for j in range(questions)]


def schema(layout: str, questions: int, serial: str) -> list[str]:
    wide = "".join(f", {k} SMALLINT" for k in keys(questions)) if layout == "wide" else ""
    wide = ", answer_codes TEXT NOT NULL" if layout == "packed" else wide
    ddl = [f"CREATE TABLE responses (id {serial} PRIMARY KEY, interview_date DATE NOT NULL, division INTEGER NOT NULL,"
           f" ethnicity VARCHAR(4) NOT NULL, weight DOUBLE PRECISION NOT NULL{wide})"]
    if layout == "long":  # as migration 0004 makes it: its own id, and one answer per question
        ddl += ["CREATE TABLE answers (id BIGINT PRIMARY KEY, response_id BIGINT NOT NULL REFERENCES responses (id),"
                " item VARCHAR(40) NOT NULL, code SMALLINT NOT NULL)",
                "CREATE UNIQUE INDEX answers_one ON answers (response_id, item)"]
    if layout == "lean":  # the same keyed by (response, question): no id, no second index
        rowid = " WITHOUT ROWID" if serial == "INTEGER" else ""
        ddl += ["CREATE TABLE answers (response_id BIGINT NOT NULL REFERENCES responses (id), item VARCHAR(40) NOT NULL,"
                f" code SMALLINT NOT NULL, PRIMARY KEY (response_id, item)){rowid}"]
    return ddl


def answer_rows(codes: np.ndarray, questions: int, with_id: bool = True):
    names, n = keys(questions), 0
    for i, row in enumerate(codes.tolist()):
        for j, code in enumerate(row):
            if code:
                n += 1
                yield (n, i + 1, names[j], code) if with_id else (i + 1, names[j], code)


def response_rows(layout: str, people, codes):
    if layout == "packed":
        from citizenfocus.surveys.packing import pack_columns

        columns = {j: np.where(codes[:, j] > 0, codes[:, j], None).tolist() for j in range(codes.shape[1])}
        return [(*p, text) for p, text in zip(people, pack_columns(columns, len(people)).to_pylist(), strict=True)]
    if layout != "wide":
        return people
    return [(*p, *(c or None for c in row)) for p, row in zip(people, codes.tolist(), strict=True)]


def load_sqlite(path: str, layout: str, people, codes) -> float:
    con = sqlite3.connect(path)
    for statement in schema(layout, codes.shape[1], "INTEGER"):
        con.execute(statement)
    started = time.perf_counter()
    rows = response_rows(layout, people, codes)
    con.executemany(f"INSERT INTO responses VALUES ({', '.join('?' * len(rows[0]))})", rows)
    if layout in ("long", "lean"):
        lean = layout == "lean"
        con.executemany(f"INSERT INTO answers VALUES ({'?, ?, ?' if lean else '?, ?, ?, ?'})",
                        answer_rows(codes, codes.shape[1], with_id=not lean))
    con.commit()
    elapsed = time.perf_counter() - started
    con.execute("ANALYZE")
    con.close()
    return elapsed


def load_postgres(url: str, layout: str, people, codes) -> float:
    import psycopg

    with psycopg.connect(url, autocommit=True) as con:
        con.execute("DROP TABLE IF EXISTS answers, responses")
        for statement in schema(layout, codes.shape[1], "BIGINT"):
            con.execute(statement)
        started = time.perf_counter()
        with con.transaction(), con.cursor() as cur:
            with cur.copy("COPY responses FROM STDIN") as copy:
                for row in response_rows(layout, people, codes):
                    copy.write_row(row)
            if layout in ("long", "lean"):
                with cur.copy("COPY answers FROM STDIN") as copy:
                    for row in answer_rows(codes, codes.shape[1], with_id=layout == "long"):
                        copy.write_row(row)
        elapsed = time.perf_counter() - started
        con.execute("ANALYZE")
    return elapsed


def size_sqlite(path: str) -> int:
    return os.path.getsize(path)


def size_postgres(url: str, layout: str) -> int:
    import psycopg

    tables = ["responses"] + (["answers"] if layout in ("long", "lean") else [])
    with psycopg.connect(url) as con:
        return sum(con.execute("SELECT pg_total_relation_size(%s)", [t]).fetchone()[0] for t in tables)


def pivot(answers, items: tuple[str, ...]):
    """The long answers as a row per response and a code column per question: a conditional MAX per
    question in one GROUP BY (the engine's way until migration 0009)."""
    codes = {key: ibis.cases((answers.item == key, answers.code), else_=ibis.null("int16")).max().cast("int16")
             for key in items}
    return answers.group_by(answer_response_pk=answers.response_id).aggregate(**codes)


def query(con, layout: str, questions: int) -> float:
    """The engine's query: five derived measures' n, Σw, Σwy by month × division × ethnicity."""
    from citizenfocus.engine.sources import packed_code

    r = con.table("responses")
    measured = keys(questions)[:MEASURED]
    if layout in ("long", "lean"):
        codes = pivot(con.table("answers"), tuple(keys(questions)))
        r = r.left_join(codes, r.id == codes.answer_response_pk)
    if layout == "packed":
        r = r.mutate(**{k: packed_code(r.answer_codes, j) for j, k in enumerate(keys(questions))})
    month = r.interview_date.cast("date").truncate("M")
    aggs = {}
    for k in measured:
        y = ibis.cases((r[k].isin([1, 2, 3]), 1), (r[k].isin([4, 5, 6, 7]), 0), else_=ibis.null("int8"))
        aggs[f"{k}_n"], aggs[f"{k}_sw"], aggs[f"{k}_swy"] = y.count(), (r.weight + y * 0).sum(), (r.weight * y).sum()
    expr = r.group_by(month=month, division=r.division, ethnicity=r.ethnicity).aggregate(**aggs)
    started = time.perf_counter()
    expr.to_pyarrow()
    return time.perf_counter() - started


def run(backend: str, target: str, people, codes, repeat: int) -> dict:
    out = {}
    for layout in ("wide", "packed", "long", "lean"):
        if backend == "sqlite":
            path = os.path.join(target, f"{layout}.sqlite3")
            load = load_sqlite(path, layout, people, codes)
            size, con = size_sqlite(path), ibis.sqlite.connect(path)
        else:
            load = load_postgres(target, layout, people, codes)
            size, con = size_postgres(target, layout), _pg(target)
        times = sorted(query(con, layout, codes.shape[1]) for _ in range(repeat))
        out[layout] = {"load": load, "size": size, "query": times[len(times) // 2]}
    return out


def _pg(url: str):
    from urllib.parse import urlparse

    u = urlparse(url)
    return ibis.postgres.connect(host=u.hostname, port=u.port or 5432, user=u.username, password=u.password,
                                 database=u.path.lstrip("/"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=200_000)
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres", help="a scratch PostgreSQL database URL (its tables are replaced)")
    args = parser.parse_args()
    people, codes = make_rows(args.responses, args.questions)
    answered = int((codes > 0).sum())
    print(f"{args.responses:,} responses x {args.questions} questions ({answered:,} answers); "
          f"query: {MEASURED} measures' sums by month x division x ethnicity; median of {args.repeat}")
    with tempfile.TemporaryDirectory() as folder:
        results = {"sqlite": run("sqlite", folder, people, codes, args.repeat)}
    if args.postgres:
        results["postgresql"] = run("postgres", args.postgres, people, codes, args.repeat)
    for backend, layouts in results.items():
        wide = layouts["wide"]
        for name, row in layouts.items():
            print(f"  {backend:10} {name:5} write {row['load']:6.2f} s  size {row['size'] / 2**20:7.1f} MiB  "
                  f"query {row['query']:6.3f} s   vs wide: write {row['load'] / wide['load']:.1f}x, "
                  f"size {row['size'] / wide['size']:.1f}x, query {row['query'] / wide['query']:.1f}x")


if __name__ == "__main__":
    main()
