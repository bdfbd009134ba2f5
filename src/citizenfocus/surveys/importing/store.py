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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.db import DatabaseError, connection, transaction

from ..models import Answer, Response
from .validate import ROW_FIELDS

CHUNK_ROWS = 5_000


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


def _chunks(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    rows = iter(rows)
    while chunk := list(islice(rows, size)):
        yield chunk


INSERT_FIELDS = (*ROW_FIELDS, "survey", "batch", "row_hash")


def _insert_statements(model, fields: tuple[str, ...]) -> tuple[str, str]:
    """INSERT (for executemany) and COPY statements for whole rows of `fields` of a model's table."""
    quote = connection.ops.quote_name
    meta = model._meta
    columns = ", ".join(quote(meta.get_field(name).column) for name in fields)
    table = quote(meta.db_table)
    values = ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {table} ({columns}) VALUES ({values})", f"COPY {table} ({columns}) FROM STDIN"


class _Writer:
    """INSERT and UPDATE of whole rows of the responses table, and their answers, through one cursor."""

    def __init__(self, cursor):
        quote = connection.ops.quote_name
        meta = Response._meta
        columns = [quote(meta.get_field(name).column) for name in INSERT_FIELDS]
        self.cursor = cursor
        self.insert_sql, self.copy_sql = _insert_statements(Response, INSERT_FIELDS)
        self.answer_sql, self.answer_copy_sql = _insert_statements(Answer, ("response", "item", "code"))
        assignments = ", ".join(f"{c} = %s" for c in columns[1:])  # every column but response_id
        self.update_sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"
        self.copies = connection.vendor == "postgresql" and hasattr(cursor.cursor, "copy")  # psycopg 3

    def insert(self, rows: list[tuple]) -> None:
        self._write(self.insert_sql, self.copy_sql, rows)

    def insert_answers(self, rows: list[tuple]) -> None:
        """(response pk, item, code) rows."""
        self._write(self.answer_sql, self.answer_copy_sql, rows)

    def delete_answers(self, response_pks: list[int]) -> None:
        Answer.objects.filter(response_id__in=response_pks).delete()

    def _write(self, insert_sql: str, copy_sql: str, rows: list[tuple]) -> None:
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

    def change(self, rows: list[tuple]) -> None:
        self.cursor.executemany(self.update_sql, rows)

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


def _stored_hashes(survey_id: int, chunk: list[tuple]) -> dict[str, tuple[int, str]]:
    """response id → (primary key, row hash) of the chunk's responses already stored: one query."""
    found = Response.objects.filter(survey_id=survey_id, response_id__in=[values[0] for values in chunk])
    return {rid: (pk, digest) for rid, pk, digest in found.values_list("response_id", "pk", "row_hash")}


def _stored_pks(survey_id: int, response_ids: list[str]) -> dict[str, int]:
    """response id → primary key of the responses just inserted (the database withholds erased ones)."""
    found = Response.objects.filter(survey_id=survey_id, response_id__in=response_ids)
    return dict(found.values_list("response_id", "pk"))


def _answer_rows(pk: int, codes: tuple, items: tuple[str, ...]) -> list[tuple]:
    return [(pk, item, code) for item, code in zip(items, codes, strict=True) if code is not None]


def store_rows(*, survey_id: int, batch_id: int, rows: Iterable[tuple], items: tuple[str, ...],
               total: int | None = None, progress: Callable[[int, int | None], None] | None = None) -> StoreCounts:
    """Insert or update each checked row (the values of ROW_FIELDS, then one code per question of
    `items`) of one survey, with its answers; returns the counts."""
    counts = StoreCounts()
    width = len(ROW_FIELDS)
    # A survey's first import: every row is new (ids are unique within a file), nothing to look up.
    first_import = not Response.objects.filter(survey_id=survey_id).exists()
    with connection.cursor() as cursor:
        writer = _Writer(cursor)
        for chunk in _chunks(rows, CHUNK_ROWS):
            existing = {} if first_import else _stored_hashes(survey_id, chunk)
            new, changed, answers = [], [], {}
            for values in chunk:
                digest = row_hash(values)
                found = existing.get(values[0])
                if found is None:
                    new.append((*values[:width], survey_id, batch_id, digest))
                    answers[values[0]] = values[width:]
                elif found[1] != digest:
                    changed.append((*values[1:width], survey_id, batch_id, digest, found[0]))
                    answers[values[0]] = values[width:]
            _write_chunk(writer, survey_id=survey_id, new=new, changed=changed, answers=answers, items=items)
            counts.new += len(new)
            counts.changed += len(changed)
            counts.unchanged += len(chunk) - len(new) - len(changed)
            if progress is not None:
                progress(counts.total, total)
        writer.refresh_statistics()
    return counts


def _write_chunk(writer: _Writer, *, survey_id: int, new: list[tuple], changed: list[tuple],
                 answers: dict[str, tuple], items: tuple[str, ...]) -> None:
    """The chunk's new and changed responses, then their answers (a changed response's are replaced)."""
    writer.insert(new)
    if changed:
        writer.change(changed)
        writer.delete_answers([row[-1] for row in changed])
    pks = _stored_pks(survey_id, list(answers)) if answers else {}
    rows = [row for rid, codes in answers.items() if rid in pks for row in _answer_rows(pks[rid], codes, items)]
    writer.insert_answers(rows)
