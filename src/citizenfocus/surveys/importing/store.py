"""Storing checked rows, a chunk at a time: new rows inserted, changed rows updated,
unchanged rows (same row hash) left alone. The caller holds the transaction.

Plain SQL through Django's connection (and so inside its transaction): several times
faster than building model instances for a million rows. New rows go in by INSERT
statements of many rows each on SQLite (_RowsAtOnce), or with COPY on PostgreSQL, where
Django's client-side parameter binding makes executemany parse every row as a new
statement (COPY: about 9 times faster there). Changed rows (every row, when a file is
re-weighted) go the same way into a TEMP table and are set by one UPDATE ... FROM it once
every chunk is staged (_StagedChanges). A response's answers go in its own row, packed (its
`answer_codes`, surveys/packing.py): one row a response, made in numpy a chunk at a time.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import chain, repeat

from django.db import DatabaseError, connection, transaction

from ..models import Response, SurveyItem
from ..packing import pack_columns
from .validate import ROW_FIELDS

CHUNK_ROWS = 5_000
SQLITE_CACHE_KIB = 64 * 1024


def row_hash(values: tuple, codes: str) -> str:
    """md5 of a response's stored values (ROW_FIELDS, in order) and its packed answers (`codes`: the text its
    `answer_codes` holds, surveys/packing.py), as lower-case hex: tells a changed response from an unchanged one.

    str() of each value, then the packed answers, joined by \\x1f: None ("None") cannot be confused within a
    field, as no field holds both None and free text (blank text is ""); the packed text holds each question's
    code at its slot, two characters each, so two responses of a survey give the same text exactly when they
    gave the same answers. Migration 0015 made the hashes of responses stored before this form."""
    text = "\x1f".join([*map(str, values), codes])
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


class RowHashes:
    """Each row's hash of a batch of stored values, as row_hash makes it, by one query of an in-memory DuckDB
    (one thread) a batch: integers and dates written as text, a missing value as "None", the texts joined and
    digested, in C; floats and booleans are written by Arrow and Python's str first (_as_str), so a stored hash
    does not hang on how a DuckDB release writes a float (DuckDB 2.0 writes every float tried as Python does, at
    the same cost). test_import_store holds them equal to row_hash's. 1,000,000 rows of 14 values and their
    packed answers: about 0.7 s of CPU, against 1.3 s when each of 20 questions' codes was a value of its own
    (and the packing, 0.35 s, is done once for the hash and the write)."""

    def __init__(self):
        import duckdb

        self.con = duckdb.connect(config={"threads": 1})
        self.queries: dict[tuple, str] = {}

    def __call__(self, values: list, codes):
        import pyarrow as pa

        columns, texts = {}, []
        for i, column in enumerate([*values, codes]):
            name, kind = f"v{i}", column.type
            if pa.types.is_string(kind):
                columns[name], text = column, name
            elif pa.types.is_integer(kind) or pa.types.is_date(kind):
                columns[name], text = column, f"CAST({name} AS VARCHAR)"
            else:
                columns[name], text = _as_str(column), name
            texts.append(f"coalesce({text}, 'None')")
        kinds = tuple(column.type for column in columns.values())
        if kinds not in self.queries:
            self.queries[kinds] = f"SELECT md5(concat_ws(chr(31), {', '.join(texts)})) AS h FROM chunk_values"
        self.con.register("chunk_values", pa.table(columns))
        try:
            found = self.con.sql(self.queries[kinds]).to_arrow_table().column("h")
        finally:
            self.con.unregister("chunk_values")
        return found.combine_chunks().cast(pa.string())

    def close(self) -> None:
        self.con.close()


def _as_str(column):
    """str() of each value as Python writes it: None, True/False, 2013-05-31, 1.0, 0.8312."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = column.type
    if pa.types.is_boolean(kind):
        text = pc.if_else(column, "True", "False")
    elif pa.types.is_floating(kind):
        encoded = pc.dictionary_encode(column)
        words = pa.array([str(v) for v in encoded.dictionary.to_pylist()], pa.string())
        text = words.take(encoded.indices)
    else:
        text = pc.cast(column, pa.string())
    return pc.fill_null(text, "None")


def _with_codes(rows: Iterable, slots: dict[str, int], items: tuple[str, ...], hashes: RowHashes):
    """Each checked batch (columnar.stored_schema) with its answers packed at their questions' slots
    (`answer_codes`, made in numpy) and each row's hash (`row_hash`): what is written and what is compared."""
    for batch in rows:
        codes = pack_columns({slots[item]: batch.column(item) for item in items}, batch.num_rows)
        digests = hashes([batch.column(name) for name in ROW_FIELDS], codes)
        yield batch.append_column("answer_codes", codes).append_column("row_hash", digests)


@dataclass
class StoreCounts:
    new: int = 0
    changed: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.new + self.changed + self.unchanged


INSERT_FIELDS = (*ROW_FIELDS, "survey", "batch", "row_hash", "answer_codes")


def _insert_statements(model, fields: tuple[str, ...]) -> tuple[str, str]:
    """INSERT (for executemany) and COPY statements for whole rows of `fields` of a model's table."""
    quote = connection.ops.quote_name
    meta = model._meta
    columns = ", ".join(quote(meta.get_field(name).column) for name in fields)
    table = quote(meta.db_table)
    values = ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {table} ({columns}) VALUES ({values})", f"COPY {table} ({columns}) FROM STDIN"


# SQLite: the value each nullable written field is bound as where it is missing, given back as NULL by the statement
# (NULLIF): one that field never holds (a date's ISO text is never empty, a primary key is never 0, a yes-or-no is
# 1 or 0). Python's sqlite3 looks up an adapter for a None, as for any value not an int, float or str: 1,000,000
# rows with three missing values each took about 1.2 s of CPU more than with these in their place.
_BLANKS = {"incident_date": "", "neighbourhood": 0, "ward": 0, "recontact_consent": -1}


def _literal(value) -> str:
    return "'" + value.replace("'", "''") + "'" if isinstance(value, str) else str(int(value))


class _RowsAtOnce:
    """SQLite: rows written to a table by INSERT statements of many rows each (a VALUES list of up to
    `ROWS_A_STATEMENT` rows), executemany of the statements, each one's parameters the rows' values end to end.
    SQLite's cost is per executed statement as much as per row (the table's AUTOINCREMENT counter read and written,
    its indexes and references opened): 1,000,000 responses took 6.8-7.9 s of CPU by an INSERT a row, 3.8-4.6 s
    through a TEMP table filled by executemany and moved by INSERT ... SELECT (this class's way until December
    2026), 2.8-3.7 s by statements of 200 rows (`benchmarks/import_survey.py` measures the whole import).
    `constants`: fields with one value for every row of a write (the survey, the batch), written once a row into
    the statement's text as integers (they are primary keys), not bound a row at a time."""

    ROWS_A_STATEMENT = 200

    def __init__(self, cursor, table: str, columns: list[str], constants: list[str] = (), blanks: list = ()):
        """`table`, `columns` (bound a row at a time) and `constants` (given once a write): quoted names;
        `blanks`: for each column, the value a missing one is bound as (None: bound as NULL itself; _BLANKS)."""
        self.width = len(columns)
        self.blanks = list(blanks) or [None] * len(columns)
        self.columns = ", ".join([*columns, *constants])
        self.table = table
        self.cursor = cursor
        limit = connection.connection.getlimit(connection.Database.SQLITE_LIMIT_VARIABLE_NUMBER) \
            if hasattr(connection.connection, "getlimit") else 999  # Python 3.11 has getlimit
        self.rows = max(1, min(self.ROWS_A_STATEMENT, limit // self.width))
        self.statements: dict[tuple, str] = {}

    @classmethod
    def of_model(cls, cursor, model, fields: tuple[str, ...], constants: tuple[str, ...] = ()) -> _RowsAtOnce:
        quote = connection.ops.quote_name
        meta = model._meta
        bound = [name for name in fields if name not in constants]
        return cls(cursor, quote(meta.db_table), [quote(meta.get_field(name).column) for name in bound],
                   [quote(meta.get_field(name).column) for name in constants], [_BLANKS.get(name) for name in bound])

    def _statement(self, rows: int, constants: tuple) -> str:
        key = (rows, constants)
        if key not in self.statements:
            given = "".join(f", {int(value)}" for value in constants)
            bound = ["%s" if blank is None else f"NULLIF(%s, {_literal(blank)})" for blank in self.blanks]
            one = f"({', '.join(bound)}{given})"
            self.statements[key] = f"INSERT INTO {self.table} ({self.columns}) VALUES {', '.join([one] * rows)}"
        return self.statements[key]

    def write(self, columns: list[list], constants: tuple = ()) -> None:
        """`columns`: the staged fields' values, a list a field, in `fields` order (less the constants), a
        missing value as its blank (_staged_columns)."""
        n = len(columns[0]) if columns else 0
        if not n:
            return
        flat = list(chain.from_iterable(zip(*columns, strict=True)))
        step = self.rows * self.width
        whole = n // self.rows * step
        if whole:
            self.cursor.executemany(self._statement(self.rows, constants),
                                    [flat[i:i + step] for i in range(0, whole, step)])
        if whole < len(flat):
            self.cursor.execute(self._statement(n % self.rows, constants), flat[whole:])


WITHHELD_TRIGGER = "surveys_response_withheld"  # migration 0002 (SQLite): erased and purged responses withheld
# the rule of that trigger as two statements over one import batch's rows: count them by reason, then delete them
_WITHHELD_WHERE = """r.batch_id = %s AND (EXISTS (SELECT 1 FROM surveys_erasure e
                      WHERE e.survey_id = r.survey_id AND e.response_id = r.response_id)
  OR r.interview_date < (SELECT MAX(p.cutoff) FROM surveys_purgerecord p
                         WHERE p.survey_id = r.survey_id AND p.kind = 'responses'))"""
_WITHHELD_COUNT = f"""INSERT INTO surveys_withheldrows (batch_id, reason, count)
SELECT r.batch_id, CASE WHEN EXISTS (SELECT 1 FROM surveys_erasure e
                                     WHERE e.survey_id = r.survey_id AND e.response_id = r.response_id)
                        THEN 'erased' ELSE 'retention' END, COUNT(*)
FROM surveys_response r WHERE {_WITHHELD_WHERE} GROUP BY 1, 2
ON CONFLICT (batch_id, reason) DO UPDATE SET count = surveys_withheldrows.count + excluded.count"""
_WITHHELD_DELETE = f"DELETE FROM surveys_response AS r WHERE {_WITHHELD_WHERE}"  # noqa: S608
_ANY_WITHHELD = """SELECT EXISTS (SELECT 1 FROM surveys_erasure WHERE survey_id = %s)
  OR EXISTS (SELECT 1 FROM surveys_purgerecord WHERE survey_id = %s AND kind = 'responses')"""


class _TriggerAside:
    """SQLite: the trigger that withholds erased and purged responses (migration 0002) taken off the responses
    table while one import inserts its rows, and put back, as it was, before its transaction ends (`restore`),
    once the import has applied the same rule to the rows it inserted (count them by reason in
    surveys_withheldrows, then delete them: what PostgreSQL's trigger does after each statement).

    Why: SQLite writes every row an INSERT ... SELECT gives into a temporary table before the first is inserted
    when the table has a row trigger, whatever the trigger does (1,000,000 responses: 4.1 s with it, 2.2 s
    without, 3.9 s with a trigger that never fires). Only inside a transaction: the drop takes SQLite's write lock,
    so no other connection writes a row until the trigger is back, and none ever reads a database without it (the
    drop and the re-creation commit together; an error rolls both back). Outside a transaction nothing is
    taken off."""

    def __init__(self, cursor):
        self.cursor, self.sql = cursor, None
        if connection.vendor != "sqlite" or not connection.in_atomic_block:
            return
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [WITHHELD_TRIGGER])
        found = cursor.fetchone()
        if found:
            self.sql = found[0]
            cursor.execute(f"DROP TRIGGER {WITHHELD_TRIGGER}")

    def restore(self, survey_id: int | None, batch_id: int | None) -> None:
        """The rule applied to the batch's rows (the import's inserted rows: its changed ones still have their
        earlier batch), then the trigger put back."""
        if self.sql is None:
            return
        if batch_id is not None:
            self.cursor.execute(_ANY_WITHHELD, [survey_id, survey_id])
            if self.cursor.fetchone()[0]:
                self.cursor.execute(_WITHHELD_COUNT, [batch_id])
                self.cursor.execute(_WITHHELD_DELETE, [batch_id])
        self.cursor.execute(self.sql)
        self.sql = None


class _StagedChanges:
    """Changed rows of the responses table written to a TEMP table (with their primary key) a chunk at a time,
    then set by one UPDATE ... FROM it when the import's rows are all staged (`apply`): a re-import that changes
    every row (re-weighted, say) sets a million rows by one statement, not a million (nor one a chunk: each of
    those read the whole table again on PostgreSQL). PostgreSQL fills the TEMP table by COPY of CSV made by
    Arrow; SQLite by INSERT statements of many rows each (_RowsAtOnce; 3.33 and later: UPDATE ... FROM).

    Neither the response id nor the survey is set: a changed row was found by both. On SQLite, setting the
    survey (to the same value) made the UPDATE rewrite each row's entry in the unique index of survey and
    response id as well (SQLite updates every index with a column in the SET list): 1,000,000 changed rows
    took 7.4 s of CPU in the `sqlite3` shell with it set, 5.3 s without."""

    KEPT = ("response_id", "survey")

    def __init__(self, cursor, copies: bool):
        quote = connection.ops.quote_name
        meta = Response._meta
        self.cursor, self.copies = cursor, copies
        # in the connection's own temporary schema, whatever the search path
        self.stage = ("pg_temp." if copies else "temp.") + quote("citizenfocus_stage_changes")
        self.constants = () if copies else ("batch",)
        fields = [name for name in INSERT_FIELDS if name not in (*self.KEPT, *self.constants)]
        staged = [quote(meta.pk.column), *(quote(meta.get_field(name).column) for name in fields)]
        table = quote(meta.db_table)
        cursor.execute(f"DROP TABLE IF EXISTS {self.stage}")
        if copies:  # typed as the responses' own columns
            cursor.execute(f"CREATE TEMP TABLE {self.stage} AS SELECT {', '.join(staged)} FROM {table} WITH NO DATA")
        else:
            cursor.execute(f"CREATE TEMP TABLE {self.stage} ({', '.join(staged)})")
        self.columns = ", ".join(staged)
        self.fill = None if copies else _RowsAtOnce(cursor, self.stage, staged,
                                                    blanks=[None, *(_BLANKS.get(name) for name in fields)])
        assignments = [f"{c} = s.{c}" for c in staged[1:]]
        assignments += [f"{quote(meta.get_field(name).column)} = %s" for name in self.constants]
        self.update = (f"UPDATE {table} SET {', '.join(assignments)} FROM {self.stage} AS s "
                       f"WHERE {table}.{staged[0]} = s.{staged[0]}")
        self.constant_values: tuple = ()

    def write(self, batch, pks: list[int], survey_id: int, batch_id: int) -> None:
        import pyarrow as pa

        if self.copies:
            data = _csv_rows(batch, survey_id, batch_id, pks=pa.array(pks, pa.int64()))
            _copy_csv(self.cursor, f"COPY {self.stage} ({self.columns}) FROM STDIN", data)
        else:
            columns = _staged_columns(batch)[1:]  # without the response id
            self.fill.write([list(pks), *columns])
            self.constant_values = (batch_id,)

    def apply(self) -> None:
        """Every staged row set in the responses table by one statement."""
        if self.copies:
            self.cursor.execute(f"ANALYZE {self.stage}")  # a TEMP table has no statistics until asked
        self.cursor.execute(self.update, self.constant_values)
        self.cursor.execute(f"DELETE FROM {self.stage}")

    def drop(self) -> None:
        self.cursor.execute(f"DROP TABLE IF EXISTS {self.stage}")


class _Writer:
    """INSERT and UPDATE of whole rows of the responses table (their answers packed in them), through one cursor."""

    def __init__(self, cursor):
        quote = connection.ops.quote_name
        meta = Response._meta
        columns = [quote(meta.get_field(name).column) for name in INSERT_FIELDS]
        self.cursor = cursor
        self.insert_sql, self.copy_sql = _insert_statements(Response, INSERT_FIELDS)
        assignments = ", ".join(f"{c} = %s" for c in columns[1:])  # every column but response_id
        self.update_sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"
        self.copies = connection.vendor == "postgresql" and hasattr(cursor.cursor, "copy")  # psycopg 3
        self.rows_at_once: _RowsAtOnce | None = None  # SQLite's writer of new rows
        self.trigger: _TriggerAside | None = None
        self.written: tuple[int, int] | None = None  # (survey, batch) of the rows inserted
        if connection.vendor == "sqlite":
            self.rows_at_once = _RowsAtOnce.of_model(cursor, Response, INSERT_FIELDS, constants=("survey", "batch"))
            self.trigger = _TriggerAside(cursor)
        self.changes: _StagedChanges | None = None  # made at the first changed rows, where UPDATE ... FROM is
        self.update_from = self.copies or (connection.vendor == "sqlite"
                                           and connection.Database.sqlite_version_info >= (3, 33))

    def insert_batch(self, batch, survey_id: int, batch_id: int) -> None:
        """New rows of a checked batch. PostgreSQL: one COPY of CSV that Arrow writes (in C), no Python value
        made at all; SQLite: the values that differ from row to row (dates as ISO text, as Django stores them
        there), by INSERT statements of many rows each (_RowsAtOnce)."""
        if not batch.num_rows:
            return
        self.written = (survey_id, batch_id)
        if self.rows_at_once is not None:
            self.rows_at_once.write(_staged_columns(batch), (survey_id, batch_id))
            return
        if not self.copies:
            self._write(self.insert_sql, self.copy_sql, _tuples(batch, survey_id, batch_id))
            return
        self._copy_csv(self.copy_sql, _csv_rows(batch, survey_id, batch_id))

    def done(self) -> None:
        """The withheld rows' trigger back (SQLite), the staged changes applied."""
        if self.trigger is not None:
            self.trigger.restore(*(self.written or (None, None)))
        if self.changes is not None:
            self.changes.apply()
            self.changes.drop()

    def _write(self, insert_sql: str, copy_sql: str, rows) -> None:
        if not rows:
            return
        if not self.copies:
            self.cursor.executemany(insert_sql, rows)
            return
        import psycopg

        try:
            with self.cursor.cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
        except psycopg.Error as exc:  # COPY runs on psycopg's own cursor, outside Django's error wrapping
            raise DatabaseError(str(exc)) from exc

    def _copy_csv(self, copy_sql: str, data: bytes) -> None:
        _copy_csv(self.cursor, copy_sql, data)

    def change_batch(self, batch, pks: list[int], survey_id: int, batch_id: int) -> None:
        """Changed rows of a checked batch (`pks`: their stored primary keys, in order): staged, and set with
        every other import's changed rows by one UPDATE ... FROM at `done` (_StagedChanges); on a SQLite older
        than 3.33, one UPDATE a row now."""
        if not batch.num_rows:
            return
        if self.update_from:
            if self.changes is None:
                self.changes = _StagedChanges(self.cursor, self.copies)
            self.changes.write(batch, pks, survey_id, batch_id)
            return
        changed = _tuples(batch, survey_id, batch_id)
        self.cursor.executemany(self.update_sql, [(*row[1:], pk) for row, pk in zip(changed, pks, strict=True)])

    def roomy_cache(self) -> None:
        """SQLite keeps 2 MiB of pages by default: a big import's indexes outgrow it, and each insert
        then reads and writes pages again. 64 MiB for this connection, while it imports."""
        if connection.vendor == "sqlite":
            self.cursor.execute("PRAGMA cache_size")
            self.cache_was = self.cursor.fetchone()[0]
            self.cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")

    def usual_cache(self) -> None:
        if getattr(self, "cache_was", None) is not None:
            self.cursor.execute(f"PRAGMA cache_size = {int(self.cache_was)}")

    def refresh_statistics(self) -> None:
        """PostgreSQL plans the next import's look-ups by the table's statistics: without them
        (after a first big import) it scans every stored response for each chunk."""
        if connection.vendor != "postgresql":
            return
        try:
            with transaction.atomic():
                for model in (Response,):
                    self.cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        except DatabaseError:
            pass  # not the table's owner: autovacuum will do it in time


def _copy_csv(cursor, copy_sql: str, data: bytes) -> None:
    """PostgreSQL: one COPY of CSV text made by Arrow (in C), rather than a Python call per row."""
    if not data:
        return
    import psycopg

    try:
        with cursor.cursor.copy(f"{copy_sql} WITH (FORMAT csv)") as copy:
            copy.write(data)
    except psycopg.Error as exc:  # COPY runs on psycopg's own cursor, outside Django's error wrapping
        raise DatabaseError(str(exc)) from exc


def _stored_hashes(cursor, survey_id: int, response_ids: list[str]) -> dict[str, tuple[int, str]]:
    """response id → (primary key, row hash) of the chunk's responses already stored: one query, whose ids
    are one parameter (a JSON array on SQLite, an array on PostgreSQL) rather than a placeholder for each id."""
    quote = connection.ops.quote_name
    meta = Response._meta
    table = quote(meta.db_table)
    rid, pk, digest, survey = (quote(meta.get_field(name).column) for name in
                               ("response_id", "id", "row_hash", "survey"))
    if connection.vendor == "postgresql":
        ids, among = list(response_ids), "= ANY(%s)"
    else:
        ids, among = json.dumps(response_ids), "IN (SELECT value FROM json_each(%s))"
    cursor.execute(f"SELECT {rid}, {pk}, {digest} FROM {table} WHERE {survey} = %s AND {rid} {among}",  # noqa: S608
                   [survey_id, ids])
    return {found: (key, row_hash) for found, key, row_hash in cursor.fetchall()}


def _batches(rows, size: int):
    """Checked rows as record batches of at most `size` rows (Arrow batches are sliced, not copied)."""
    for batch in rows:
        for start in range(0, batch.num_rows, size):
            yield batch.slice(start, size)


SETTING_CHANGES = "setting the changed rows"


def store_rows(*, survey_id: int, batch_id: int, rows: Iterable, items: tuple[str, ...],
               total: int | None = None, progress: Callable[[int, int | None], None] | None = None,
               step: Callable[[str], None] | None = None) -> StoreCounts:
    """Insert or update each checked row of one survey, with its answers; returns the counts.

    rows: Arrow record batches of the checked values (columnar.stored_schema: ROW_FIELDS and one code
    column per question of `items`). A question the survey has not stored before gets its slot in the
    packed codes here, in the caller's transaction (SurveyItem.assign); each row's answers are packed at
    their slots and its hash made from them (_with_codes) before it is compared or written."""
    import pyarrow as pa

    counts = StoreCounts()
    slots = SurveyItem.assign(survey_id, items)
    # A survey's first import: every row is new (ids are unique within a file), nothing to look up.
    first_import = not Response.objects.filter(survey_id=survey_id).exists()
    hashes = RowHashes()
    try:
        with connection.cursor() as cursor:
            writer = _Writer(cursor)
            writer.roomy_cache()
            for chunk in _batches(_with_codes(rows, slots, items, hashes), CHUNK_ROWS):
                n = chunk.num_rows
                if first_import:
                    writer.insert_batch(chunk, survey_id, batch_id)
                    counts.new += n
                else:
                    ids = chunk.column("response_id").to_pylist()
                    existing = _stored_hashes(cursor, survey_id, ids)
                    new_rows, changed_rows, changed_pks = [], [], []
                    for i, (rid, digest) in enumerate(zip(ids, chunk.column("row_hash").to_pylist(), strict=True)):
                        found = existing.get(rid)
                        if found is None:
                            new_rows.append(i)
                        elif found[1] != digest:
                            changed_rows.append(i)
                            changed_pks.append(found[0])
                    if new_rows:
                        new = chunk.take(pa.array(new_rows, pa.int64()))
                        writer.insert_batch(new, survey_id, batch_id)
                    if changed_rows:
                        writer.change_batch(chunk.take(pa.array(changed_rows, pa.int64())), changed_pks, survey_id,
                                            batch_id)
                    counts.new += len(new_rows)
                    counts.changed += len(changed_rows)
                    counts.unchanged += n - len(new_rows) - len(changed_rows)
                if progress is not None:
                    progress(counts.total, total)
            if step is not None and writer.changes is not None:  # the staged changes' one UPDATE comes next
                step(SETTING_CHANGES)
            writer.done()
            writer.usual_cache()
            writer.refresh_statistics()
    finally:
        hashes.close()  # its DuckDB's memory with it
    return counts


def _csv_rows(batch, survey_id: int, batch_id: int, pks=None) -> bytes:
    """INSERT_FIELDS rows of a batch as CSV for PostgreSQL's COPY: Arrow quotes every text value, so an empty
    one stays empty text and only a missing value (unquoted nothing) is NULL. With `pks` (an Arrow array): each
    row's stored primary key first, and every field but the response id and the survey (_StagedChanges)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    n = batch.num_rows
    table = pa.table({
        **{name: batch.column(name) for name in ROW_FIELDS},
        "survey": pa.array([survey_id] * n, pa.int64()), "batch": pa.array([batch_id] * n, pa.int64()),
        "row_hash": batch.column("row_hash"),
        "answer_codes": batch.column("answer_codes"),
    })
    if pks is not None:
        table = table.drop_columns(list(_StagedChanges.KEPT)).add_column(0, "id", pks)
    sink = pa.BufferOutputStream()
    pacsv.write_csv(table, sink, write_options=pacsv.WriteOptions(include_header=False))
    return sink.getvalue().to_pybytes()


def _staged_columns(batch) -> list[list]:
    """The written fields of a batch's rows for SQLite (INSERT_FIELDS but the survey and the batch), a list a
    field: dates as ISO text, made in Arrow (Python's date adapter for sqlite3 costs a call a value), and
    booleans as 1 and 0, which SQLite stores for True and False anyway (Python's sqlite3 binds an int, a float or
    a str as it is, but first looks up an adapter for anything else, a bool included: about 0.3 s of CPU for
    1,000,000 rows with one yes-or-no field), and a missing value of a nullable field as its blank (_BLANKS)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = []
    for name in ROW_FIELDS:
        column = batch.column(name)
        if pa.types.is_date(column.type):
            column = column.cast(pa.string())
        elif pa.types.is_boolean(column.type):
            column = column.cast(pa.int8())
        if name in _BLANKS and column.null_count:
            column = pc.fill_null(column, _BLANKS[name])
        columns.append(column.to_pylist())
    return [*columns, batch.column("row_hash").to_pylist(), batch.column("answer_codes").to_pylist()]


def _tuples(batch, survey_id: int, batch_id: int) -> list[tuple]:
    """INSERT_FIELDS rows of a batch (_with_codes'): its ROW_FIELDS, the survey, the batch, the row hash and its
    packed codes."""
    if not batch.num_rows:
        return []
    columns = [batch.column(name).to_pylist() for name in ROW_FIELDS]
    return list(zip(*columns, repeat(survey_id), repeat(batch_id), batch.column("row_hash").to_pylist(),
                    batch.column("answer_codes").to_pylist()))
