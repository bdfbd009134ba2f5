"""Storing checked rows, a chunk at a time: new rows inserted, changed rows updated,
unchanged rows (same row hash) left alone. The caller holds the transaction.

Plain SQL through Django's connection (and so inside its transaction): several times
faster than building model instances for a million rows. New rows go in with
executemany (one compiled statement on SQLite), or with COPY on PostgreSQL, where
Django's client-side parameter binding makes executemany parse every row as a new
statement (COPY: about 9 times faster there). Changed rows, usually few, are one
executemany UPDATE on both. Each response's answers follow it into the answers table by
the same bulk path: a changed response's answers are deleted and written again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import repeat

from django.db import DatabaseError, connection, transaction

from ..models import Answer, Response
from .validate import ROW_FIELDS

CHUNK_ROWS = 5_000
SQLITE_CACHE_KIB = 64 * 1024


def row_hash(values: tuple) -> str:
    """md5 of the stored values, in ROW_FIELDS order: tells a changed response from an unchanged one.

    str() of each value: None ("None") cannot be confused within a field, as no field
    holds both None and free text (blank text is "")."""
    text = "\x1f".join(map(str, values))
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


@dataclass
class StoreCounts:
    new: int = 0
    changed: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.new + self.changed + self.unchanged


INSERT_FIELDS = (*ROW_FIELDS, "survey", "batch", "row_hash")


def _insert_statements(model, fields: tuple[str, ...]) -> tuple[str, str]:
    """INSERT (for executemany) and COPY statements for whole rows of `fields` of a model's table."""
    quote = connection.ops.quote_name
    meta = model._meta
    columns = ", ".join(quote(meta.get_field(name).column) for name in fields)
    table = quote(meta.db_table)
    values = ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {table} ({columns}) VALUES ({values})", f"COPY {table} ({columns}) FROM STDIN"


class _Staged:
    """SQLite: rows of a table written through a TEMP table with no type, index or trigger of its own
    (executemany there), then moved with one INSERT ... SELECT. The responses table's trigger (which
    withholds erased responses) makes each executed INSERT of it several times dearer than a row of
    an INSERT ... SELECT, which fires the same trigger for each row."""

    def __init__(self, cursor, model, fields: tuple[str, ...]):
        quote = connection.ops.quote_name
        meta = model._meta
        names = [quote(meta.get_field(name).column) for name in fields]
        columns = ", ".join(names)
        self.stage = quote(f"citizenfocus_stage_{meta.db_table}")
        self.cursor = cursor
        cursor.execute(f"DROP TABLE IF EXISTS temp.{self.stage}")
        cursor.execute(f"CREATE TEMP TABLE {self.stage} ({columns})")
        self.fill = f"INSERT INTO temp.{self.stage} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        self.move = f"INSERT INTO {quote(meta.db_table)} ({columns}) SELECT {columns} FROM temp.{self.stage}"

    def write(self, rows: list[tuple]) -> None:
        self.cursor.executemany(self.fill, rows)
        self.cursor.execute(self.move)
        self.cursor.execute(f"DELETE FROM temp.{self.stage}")

    def drop(self) -> None:
        self.cursor.execute(f"DROP TABLE IF EXISTS temp.{self.stage}")


class _StagedCodes:
    """SQLite: a chunk's answers staged as they were checked, a row per response (its primary key and a code
    column per question), then made into the answers table's rows by SQLite itself: one INSERT ... SELECT
    of each staged row CROSS JOIN the questions (the staged row the outer loop, so the rows come response
    by response, the order of the table's key), a question's code picked by CASE, blanks left out. Binding
    one row a response rather than one an answer halves the answers' write (docs/design-answers.md)."""

    def __init__(self, cursor, items: tuple[str, ...]):
        quote = connection.ops.quote_name
        meta = Answer._meta
        self.cursor, self.items = cursor, items
        self.stage, self.questions = quote("citizenfocus_stage_codes"), quote("citizenfocus_stage_items")
        codes = [f"c{i}" for i in range(len(items))]
        for table in (self.stage, self.questions):
            cursor.execute(f"DROP TABLE IF EXISTS temp.{table}")
        cursor.execute(f"CREATE TEMP TABLE {self.stage} (response, {', '.join(codes)})")
        cursor.execute(f"CREATE TEMP TABLE {self.questions} (rank INTEGER PRIMARY KEY, position INTEGER, item TEXT)")
        # the questions read in the key's order (rank: by name), so each response's answers go in as the key
        # sorts them; position: the question's code column
        cursor.executemany(f"INSERT INTO temp.{self.questions} (rank, position, item) VALUES (%s, %s, %s)",
                           [(rank, position, item) for rank, (position, item)
                            in enumerate(sorted(enumerate(items), key=lambda pair: pair[1]))])
        self.fill = f"INSERT INTO temp.{self.stage} VALUES ({', '.join(['%s'] * (len(items) + 1))})"
        pick = " ".join(f"WHEN {i} THEN s.c{i}" for i in range(len(items)))
        columns = ", ".join(quote(meta.get_field(name).column) for name in ("response", "item", "code"))
        self.move = (f"INSERT INTO {quote(meta.db_table)} ({columns}) "
                     f"SELECT response, item, code FROM (SELECT s.response AS response, q.item AS item, "
                     f"CASE q.position {pick} END AS code FROM temp.{self.stage} AS s "
                     f"CROSS JOIN temp.{self.questions} AS q) WHERE code IS NOT NULL")

    def write(self, rows: list[tuple]) -> None:
        if not rows or not self.items:
            return
        self.cursor.executemany(self.fill, rows)
        self.cursor.execute(self.move)
        self.cursor.execute(f"DELETE FROM temp.{self.stage}")

    def drop(self) -> None:
        for table in (self.stage, self.questions):
            self.cursor.execute(f"DROP TABLE IF EXISTS temp.{table}")


class _CopiedCodes:
    """PostgreSQL: the same as _StagedCodes. A chunk's codes go by one COPY into a TEMP table, a row per
    response, and the answers' rows are made by the server: one INSERT ... SELECT of each staged row with a
    VALUES list of its (question, code) pairs, blanks left out. A COPY of a row per answer had the server
    parse about 18 rows of text a response (docs/design-answers.md)."""

    def __init__(self, cursor, items: tuple[str, ...]):
        quote = connection.ops.quote_name
        meta = Answer._meta
        self.cursor, self.items = cursor, items
        self.stage = quote("citizenfocus_stage_codes")
        codes = ", ".join(f"c{i} smallint" for i in range(len(items)))
        cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{self.stage}")
        cursor.execute(f"CREATE TEMP TABLE {self.stage} (response bigint{', ' if items else ''}{codes})")
        self.copy_sql = f"COPY pg_temp.{self.stage} FROM STDIN"  # copy_csv adds WITH (FORMAT csv)
        pairs = ", ".join(f"(%s::varchar, s.c{i})" for i in range(len(items)))
        columns = ", ".join(quote(meta.get_field(name).column) for name in ("response", "item", "code"))
        self.move = (f"INSERT INTO {quote(meta.db_table)} ({columns}) SELECT s.response, q.item, q.code "
                     f"FROM pg_temp.{self.stage} AS s CROSS JOIN LATERAL (VALUES {pairs}) AS q (item, code) "
                     "WHERE q.code IS NOT NULL")

    def write(self, batch, pks, copy_csv: Callable[[str, bytes], None]) -> None:
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.csv as pacsv

        if not self.items or not batch.num_rows:
            return
        table = pa.table({"response": pks, **{f"c{i}": batch.column(item) for i, item in enumerate(self.items)}})
        table = table.filter(pc.is_valid(pks))
        if not table.num_rows:
            return
        sink = pa.BufferOutputStream()
        pacsv.write_csv(table, sink, write_options=pacsv.WriteOptions(include_header=False))
        copy_csv(self.copy_sql, sink.getvalue().to_pybytes())
        self.cursor.execute(self.move, list(self.items))
        self.cursor.execute(f"TRUNCATE pg_temp.{self.stage}")

    def drop(self) -> None:
        self.cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{self.stage}")


class _Writer:
    """INSERT and UPDATE of whole rows of the responses table, and their answers, through one cursor."""

    def __init__(self, cursor, items: tuple[str, ...] = ()):
        quote = connection.ops.quote_name
        meta = Response._meta
        columns = [quote(meta.get_field(name).column) for name in INSERT_FIELDS]
        self.cursor = cursor
        self.insert_sql, self.copy_sql = _insert_statements(Response, INSERT_FIELDS)
        self.answer_sql, self.answer_copy_sql = _insert_statements(Answer, ("response", "item", "code"))
        assignments = ", ".join(f"{c} = %s" for c in columns[1:])  # every column but response_id
        self.update_sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"
        self.copies = connection.vendor == "postgresql" and hasattr(cursor.cursor, "copy")  # psycopg 3
        self.staged = {}
        self.codes = _CopiedCodes(cursor, items) if self.copies else None
        if connection.vendor == "sqlite":
            self.staged = {"responses": _Staged(cursor, Response, INSERT_FIELDS),
                           "answers": _StagedCodes(cursor, items)}

    def insert(self, rows: list[tuple]) -> None:
        if rows and self.staged:
            self.staged["responses"].write(rows)
            return
        self._write(self.insert_sql, self.copy_sql, rows)

    def insert_answers(self, batch, pks, items: tuple[str, ...]) -> None:
        """The answers of each row of `batch` (its code columns, one per question of `items`) whose primary
        key `pks` gives (a row without one, withheld, has no answers)."""
        if self.staged:
            self.staged["answers"].write(_code_rows(batch, pks, items))
            return
        if self.codes is not None:
            self.codes.write(batch, pks, self._copy_csv)
            return
        self._write(self.answer_sql, self.answer_copy_sql, _answer_tuples(batch, pks, items))

    def done(self) -> None:
        for staged in self.staged.values():
            staged.drop()
        if self.codes is not None:
            self.codes.drop()

    def delete_answers(self, response_pks: list[int]) -> None:
        Answer.objects.filter(response_id__in=response_pks).delete()

    def _write(self, insert_sql: str, copy_sql: str, rows) -> None:
        if isinstance(rows, _AnswerColumns):
            if self.copies:
                self._copy_csv(copy_sql, rows.csv())
                return
            rows = rows.tuples()
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
        """One COPY of CSV text made by Arrow (in C), rather than a Python call per row."""
        if not data:
            return
        import psycopg

        try:
            with self.cursor.cursor.copy(f"{copy_sql} WITH (FORMAT csv)") as copy:
                copy.write(data)
        except psycopg.Error as exc:
            raise DatabaseError(str(exc)) from exc

    def change(self, rows: list[tuple]) -> None:
        self.cursor.executemany(self.update_sql, rows)

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
                for model in (Response, Answer):
                    self.cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        except DatabaseError:
            pass  # not the table's owner: autovacuum will do it in time


def _stored_hashes(survey_id: int, response_ids: list[str]) -> dict[str, tuple[int, str]]:
    """response id → (primary key, row hash) of the chunk's responses already stored: one query."""
    found = Response.objects.filter(survey_id=survey_id, response_id__in=response_ids)
    return {rid: (pk, digest) for rid, pk, digest in found.values_list("response_id", "pk", "row_hash")}


def _inserted_pks(cursor, batch_id: int, after: int) -> tuple[list[str], list[int]]:
    """The response ids and primary keys of the rows this chunk inserted (ids above `after`, in this batch):
    a look-up by the batch's index, not by a list of ids. The database withholds erased ones."""
    quote = connection.ops.quote_name
    meta = Response._meta
    cursor.execute(f"SELECT {quote('response_id')}, {quote(meta.pk.column)} FROM {quote(meta.db_table)} "
                   f"WHERE {quote('batch_id')} = %s AND {quote(meta.pk.column)} > %s", [batch_id, after])
    found = cursor.fetchall()
    return [rid for rid, _ in found], [pk for _, pk in found]


def _last_pk(cursor) -> int:
    meta = Response._meta
    cursor.execute(f"SELECT MAX({connection.ops.quote_name(meta.pk.column)}) "
                   f"FROM {connection.ops.quote_name(meta.db_table)}")
    return cursor.fetchone()[0] or 0


def _batches(rows, size: int):
    """Checked rows as record batches of at most `size` rows (Arrow batches are sliced, not copied)."""
    for batch in rows:
        for start in range(0, batch.num_rows, size):
            yield batch.slice(start, size)


def store_rows(*, survey_id: int, batch_id: int, rows: Iterable, items: tuple[str, ...],
               total: int | None = None, progress: Callable[[int, int | None], None] | None = None) -> StoreCounts:
    """Insert or update each checked row of one survey, with its answers; returns the counts.

    rows: Arrow record batches of the checked values (columnar.stored_schema: ROW_FIELDS, one code
    column per question of `items`, and each row's hash)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    counts = StoreCounts()
    # A survey's first import: every row is new (ids are unique within a file), nothing to look up.
    first_import = not Response.objects.filter(survey_id=survey_id).exists()
    with connection.cursor() as cursor:
        writer = _Writer(cursor, items)
        writer.roomy_cache()
        for chunk in _batches(rows, CHUNK_ROWS):
            n = chunk.num_rows
            ids = chunk.column("response_id")
            hashes = chunk.column("row_hash")
            if first_import:
                new_mask = None
                changed_rows, changed_pks = [], []
            else:
                existing = _stored_hashes(survey_id, ids.to_pylist())
                new_flags, changed_rows, changed_pks = [], [], []
                for i, (rid, digest) in enumerate(zip(ids.to_pylist(), hashes.to_pylist(), strict=True)):
                    found = existing.get(rid)
                    new_flags.append(found is None)
                    if found is not None and found[1] != digest:
                        changed_rows.append(i)
                        changed_pks.append(found[0])
                new_mask = pa.array(new_flags, pa.bool_())
            new = chunk if new_mask is None else chunk.filter(new_mask)
            after = _last_pk(cursor) if new.num_rows else 0
            writer.insert(_tuples(new, survey_id, batch_id))
            if changed_rows:
                changed = chunk.take(pa.array(changed_rows, pa.int64()))
                writer.change([(*row[1:], pk) for row, pk in zip(_tuples(changed, survey_id, batch_id),
                                                                 changed_pks, strict=True)])
                writer.delete_answers(changed_pks)
            # Answers of the new (and not withheld) and the changed rows, question by question.
            inserted_ids, inserted_pks = _inserted_pks(cursor, batch_id, after) if new.num_rows else ([], [])
            with_answers = chunk if new_mask is None else chunk.filter(pc.or_(new_mask, _mask(n, changed_rows)))
            known_ids = pa.array(inserted_ids + [ids[i].as_py() for i in changed_rows], pa.string())
            known_pks = pa.array(inserted_pks + changed_pks, pa.int64())
            pks = known_pks.take(pc.index_in(with_answers.column("response_id"), value_set=known_ids))
            writer.insert_answers(with_answers, pks, items)
            counts.new += new.num_rows
            counts.changed += len(changed_rows)
            counts.unchanged += n - new.num_rows - len(changed_rows)
            if progress is not None:
                progress(counts.total, total)
        writer.done()
        writer.usual_cache()
        writer.refresh_statistics()
    return counts


def _mask(n: int, rows: list[int]):
    import pyarrow as pa

    flags = [False] * n
    for i in rows:
        flags[i] = True
    return pa.array(flags, pa.bool_())


def _tuples(batch, survey_id: int, batch_id: int) -> list[tuple]:
    """INSERT_FIELDS rows of a batch: its ROW_FIELDS, the survey, the batch and the row hash."""
    if not batch.num_rows:
        return []
    columns = [batch.column(name).to_pylist() for name in ROW_FIELDS]
    return list(zip(*columns, repeat(survey_id), repeat(batch_id), batch.column("row_hash").to_pylist()))


class _AnswerColumns:
    """The answers of a chunk as three columns: response pk, question, code."""

    def __init__(self, keys, names, codes):
        self.keys, self.names, self.codes = keys, names, codes

    def __len__(self) -> int:
        return len(self.keys)

    def tuples(self) -> list[tuple]:
        return list(zip(self.keys.tolist(), self.names.tolist(), self.codes.tolist(), strict=True))

    def csv(self) -> bytes:
        import pyarrow as pa
        import pyarrow.csv as pacsv

        if not len(self):
            return b""
        table = pa.table({"response": self.keys, "item": pa.array(self.names.tolist(), pa.string()),
                          "code": self.codes})
        sink = pa.BufferOutputStream()
        pacsv.write_csv(table, sink, write_options=pacsv.WriteOptions(include_header=False))
        return sink.getvalue().to_pybytes()


def _code_rows(batch, pks, items: tuple[str, ...]) -> list[tuple]:
    """(response pk, a code or None per question of `items`) for each row of a batch with a primary key."""
    if not items or not batch.num_rows:
        return []
    rows = zip(pks.to_pylist(), *(batch.column(item).to_pylist() for item in items), strict=True)
    return [row for row in rows if row[0] is not None]


def _answer_tuples(batch, pks, items: tuple[str, ...]) -> _AnswerColumns:
    """(response pk, question, code) for each answered question of each row with a primary key, response
    by response (the order of the answers table's unique index: its pages are filled, not split)."""
    import numpy as np
    import pyarrow.compute as pc

    names = np.array(items, dtype=object)
    if not items or not batch.num_rows:
        return _AnswerColumns(np.array([], np.int64), names[:0], np.array([], np.int64))
    missing = np.iinfo(np.int64).min
    codes = np.column_stack([pc.fill_null(batch.column(item), missing).to_numpy(zero_copy_only=False)
                             for item in items])
    keys = pc.fill_null(pks, missing).to_numpy(zero_copy_only=False)
    answered = (codes != missing) & (keys != missing)[:, None]
    rows, columns = np.nonzero(answered)  # row-major: response by response
    return _AnswerColumns(keys[rows], names[columns], codes[rows, columns])
