"""Checking a file a chunk of rows at a time, column by column (Arrow), with Python only for the rows that fail.

Each of our columns in a chunk is dictionary-encoded (pyarrow.compute): its cell reader
(values.py, the same one the row checker uses) reads each distinct value once, and the
stored values and a "bad" flag are taken back to every row in C. A row with any bad or
unusual cell (a value a reader refused, a cell with characters at its edges that only
Python's str.strip() treats the same, a row too short or too long, an incident after
its interview, an id that is blank, too long or holds a NUL) is checked again whole by
the RowChecker, which logs its problems with exactly the messages, columns and row
numbers of a row-by-row check, and gives its stored values when it has none.

The result of a chunk is a RecordBatch of the stored values (ROW_FIELDS and one code column
per question), so the store needs no second check. The row hash is the store's to make, once
the answers are packed (store.RowHashes).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from .readers import Row
from .validate import ROW_FIELDS, SLOT, RowChecker

CHUNK_ROWS = 20_000
MAX_ID_LENGTH = 64
# A text cell is "plain" when its first and last characters that are not spaces are printable ASCII:
# trimming its spaces in Arrow then gives exactly what Python's str.strip() gives.
UNUSUAL_EDGES = r"^ *[^\x21-\x7e]|[^\x21-\x7e] *$"
FIELD_TYPES: dict[str, pa.DataType] = {
    "response_id": pa.string(), "interview_date": pa.date32(), "incident_date": pa.date32(),
    "crime_type": pa.string(), "division": pa.int64(), "neighbourhood": pa.int64(), "ward": pa.int64(),
    "ethnicity": pa.string(), "age_band": pa.string(), "sex": pa.string(), "disability": pa.string(),
    "weight": pa.float64(), "recontact_consent": pa.bool_(), "comment": pa.string(),
}
CODE_TYPE = pa.int64()


def stored_schema(items: Sequence[str]) -> pa.Schema:
    """The checked values of a chunk: ROW_FIELDS and one code per question."""
    return pa.schema([*((name, FIELD_TYPES[name]) for name in ROW_FIELDS), *((key, CODE_TYPE) for key in items)])


@dataclass
class Chunk:
    """Rows of a file as columns: `columns[position]` is the file's column (an Arrow array, or a
    Python list when its cells have mixed types), `numbers` the rows' numbers in the sheet,
    `irregular` the rows to check whole in Python (too short or too long), `row(i)` a row as read."""

    numbers: list[int]
    columns: list
    irregular: list[int]
    rows: list[Row] | None = None
    batch: pa.RecordBatch | None = None

    def __len__(self) -> int:
        return len(self.numbers)

    def row(self, i: int) -> Row:
        if self.rows is not None:
            return self.rows[i]
        return [column[i].as_py() for column in (self.batch.columns if self.batch is not None else self.columns)]


def record_chunks(records: Iterator[tuple[int, Row]], width: int, size: int = CHUNK_ROWS) -> Iterator[Chunk]:
    """Chunks of rows read as records (CSV, Excel): transposed in C, short rows padded with blanks."""
    from .errors import FileRefused

    while True:
        numbers, rows, irregular = [], [], []
        refused = None
        try:
            for number, row in records:
                numbers.append(number)
                rows.append(row)
                if len(numbers) == size:
                    break
        except FileRefused as exc:  # the rows read before it are checked first, as a person reads them
            refused = exc
        if not numbers:
            if refused is not None:
                raise refused
            return
        padded = rows
        if any(len(row) != width for row in rows):
            padded = []
            for i, row in enumerate(rows):
                if len(row) != width:
                    irregular.append(i)
                    row = list(row[:width]) + [None] * (width - len(row))
                padded.append(row)
        columns = [_arrow(list(column)) for column in zip(*padded, strict=True)] if width else []
        yield Chunk(numbers=numbers, columns=columns, irregular=irregular, rows=rows)
        if refused is not None:
            raise refused
        if len(numbers) < size:
            return


def batch_chunk(first_number: int, batch: pa.RecordBatch) -> Chunk:
    """A chunk of a Parquet file: its Arrow columns as they are."""
    columns = [column.dictionary_decode() if pa.types.is_dictionary(column.type) else column
               for column in batch.columns]
    return Chunk(numbers=list(range(first_number, first_number + batch.num_rows)), columns=columns,
                 irregular=[], batch=batch)


def _arrow(values: list):
    """A column's cells as an Arrow array, or the Python list when they have no one type (an Excel column
    of numbers and text): such a column is read value by value."""
    try:
        return pa.array(values)
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        return values


class _Distinct:
    """A column's distinct values, and for each row the index of its value (None: a value that cannot be
    looked up, such as a list in a Parquet cell)."""

    def __init__(self, column, length: int):
        self.values: list = []
        self.indices: pa.Array | None = None
        if isinstance(column, pa.Array):
            try:
                encoded = pc.dictionary_encode(column, null_encoding="encode")
                self.values = encoded.dictionary.to_pylist()
                self.indices = encoded.indices
                return
            except (pa.ArrowException, TypeError, ValueError, OverflowError):
                column = column.to_pylist()
        seen: dict = {}
        indices = []
        try:
            for value in column:
                indices.append(seen.setdefault(value, len(seen)))
        except TypeError:  # an unhashable cell: every row is checked in Python
            return
        self.values = list(seen)
        self.indices = pa.array(indices, pa.int32())


def _as_text_cell(raw) -> str:
    from .values import as_text

    return as_text(raw)


class ColumnChecker:
    """Checks chunks of a file for a RowChecker (which it falls back to for the rows that fail)."""

    def __init__(self, checker: RowChecker, items: Sequence[str]):
        self.checker = checker
        self.items = tuple(items)
        self.schema = stored_schema(items)
        self.slot_names = (*ROW_FIELDS, *items)
        plan = checker.plan
        self.positions = plan.positions
        self.slots = row_slots_for(items)
        self.checker.stop_tracking_duplicates()  # duplicate ids are found across chunks, by column
        self.ids: list[pa.Array] = []
        self.id_numbers: list[pa.Array] = []

    # The chunk --------------------------------------------------------------------------

    def check(self, chunk: Chunk) -> pa.RecordBatch | None:
        """The chunk's stored values, or None when any of its rows has a problem (logged)."""
        n = len(chunk)
        values: list[pa.Array | None] = [None] * len(self.slot_names)
        fallback = pa.array([False] * n) if not chunk.irregular else _mask(n, chunk.irregular)
        if self.checker.formula_cells:
            fallback = pa.array([True] * n)
        for slot, position, _header, read, _cache in self.checker.cells:
            column = chunk.columns[position] if position < len(chunk.columns) else None
            got, bad = self._read_column(column, read, FIELD_TYPES.get(self.slot_names[slot], CODE_TYPE), n)
            values[slot] = got
            fallback = pc.or_(fallback, bad)
        self._defaults(values, n)
        fallback = pc.or_(fallback, self._areas(chunk, values, n))
        fallback = pc.or_(fallback, self._text(chunk, values, "comment", n, required=False))
        fallback = pc.or_(fallback, self._text(chunk, values, "response_id", n, required=True))
        fallback = pc.or_(fallback, self._dates(values))
        self._keep_ids(chunk, values[SLOT["response_id"]], fallback)
        problems = self.checker.log.count
        rows = pc.indices_nonzero(pc.fill_null(fallback, True)).to_pylist()
        replacements = []
        for i in rows:
            checked = self.checker.check(chunk.numbers[i], chunk.row(i))
            replacements.append(checked)
        if self.checker.log.count != problems or self.checker.log:
            return None
        if rows:
            values = _replace(values, rows, replacements, self.schema, n)
        return pa.RecordBatch.from_arrays(values, schema=self.schema)

    # Cells ------------------------------------------------------------------------------

    def _read_column(self, column, read, kind: pa.DataType, n: int) -> tuple[pa.Array, pa.Array]:
        """Each distinct value read once: the stored values of every row, and which rows are bad."""
        from .values import Bad

        distinct = _Distinct(column, n)
        if distinct.indices is None:
            return pa.nulls(n, kind), pa.array([True] * n)
        got, bad = [], []
        for raw in distinct.values:
            try:
                got.append(read(raw))
                bad.append(False)
            except Bad:
                got.append(None)
                bad.append(True)
        try:
            stored = pa.array(got, kind)
        except (pa.ArrowException, TypeError, ValueError, OverflowError):  # a value outside Arrow's range
            return pa.nulls(n, kind), pa.array([True] * n)
        return stored.take(distinct.indices), pa.array(bad, pa.bool_()).take(distinct.indices)

    def _defaults(self, values: list, n: int) -> None:
        """Columns absent from the file: the value the row checker would store."""
        template = self.checker.template
        for slot, name in enumerate(self.slot_names):
            if values[slot] is None:
                kind = FIELD_TYPES.get(name, CODE_TYPE)
                values[slot] = pa.repeat(pa.scalar(template[slot], kind), n) if template[slot] is not None \
                    else pa.nulls(n, kind)

    def _areas(self, chunk: Chunk, values: list, n: int) -> pa.Array:
        """Each distinct (division, neighbourhood, ward) placed once; rows that cannot be placed are bad."""
        areas = self.checker.areas
        if areas.empty:
            return pa.array([False] * n)
        parts = []
        for name in ("division", "neighbourhood", "ward"):
            position = self.positions.get(name)
            column = chunk.columns[position] if position is not None and position < len(chunk.columns) else None
            parts.append(None if column is None else _Distinct(column, n))
        if any(part is not None and part.indices is None for part in parts):
            return pa.array([True] * n)
        key = pa.array([0] * n, pa.int64())
        for part in parts:
            if part is not None:
                key = pc.add(pc.multiply(key, len(part.values)), pc.cast(part.indices, pa.int64()))
        encoded = pc.dictionary_encode(key)
        combos = encoded.dictionary.to_pylist()
        placed = {"division": [], "neighbourhood": [], "ward": []}
        bad = []
        for combo in combos:
            raws = []
            for part in reversed(parts):
                if part is None:
                    raws.append(None)
                    continue
                combo, index = divmod(combo, len(part.values))
                raws.append(part.values[index])
            found = areas.place(*reversed(raws))
            ok = not isinstance(found, list)
            bad.append(not ok)
            for name, value in zip(placed, found if ok else (None, None, None), strict=True):
                placed[name].append(value)
        for name, ids in placed.items():
            values[SLOT[name]] = pa.array(ids, pa.int64()).take(encoded.indices)
        return pa.array(bad, pa.bool_()).take(encoded.indices)

    def _text(self, chunk: Chunk, values: list, name: str, n: int, *, required: bool) -> pa.Array:
        """Free text (the id, the comment): spaces trimmed; a cell with unusual edges read in Python."""
        position = self.positions.get(name)
        if position is None or position >= len(chunk.columns):
            return pa.array([False] * n)
        column = chunk.columns[position]
        if not isinstance(column, pa.Array) or not (pa.types.is_string(column.type)
                                                    or pa.types.is_large_string(column.type)):
            if isinstance(column, pa.Array) and pa.types.is_integer(column.type):
                column = pc.cast(column, pa.string())  # str() of an integer, as as_text gives
            else:
                return self._text_in_python(column, values, name, n, required=required)
        unusual = pc.fill_null(pc.match_substring_regex(column, UNUSUAL_EDGES), False)
        text = pc.fill_null(pc.utf8_trim(column, " "), "")
        bad = pc.or_(unusual, pc.match_substring(text, "\x00"))
        if required:
            length = pc.utf8_length(text)
            bad = pc.or_(bad, pc.or_(pc.equal(length, 0), pc.greater(length, MAX_ID_LENGTH)))
        values[SLOT[name]] = text
        return bad

    def _text_in_python(self, column, values: list, name: str, n: int, *, required: bool) -> pa.Array:
        from .values import is_blank

        cells = column.to_pylist() if isinstance(column, pa.Array) else column
        texts, bad = [], []
        for raw in cells:
            text = "" if is_blank(raw) else _as_text_cell(raw)
            texts.append(text)
            bad.append("\x00" in text or (required and not 0 < len(text) <= MAX_ID_LENGTH))
        values[SLOT[name]] = pa.array(texts, pa.string())
        return pa.array(bad, pa.bool_())

    def _dates(self, values: list) -> pa.Array:
        """An incident after its interview: the row checker words that problem."""
        after = pc.greater(values[SLOT["incident_date"]], values[SLOT["interview_date"]])
        return pc.fill_null(after, False)

    # Duplicate ids, across the whole file --------------------------------------------------

    def _keep_ids(self, chunk: Chunk, ids: pa.Array, fallback: pa.Array) -> None:
        """Remember the chunk's ids (those the row checker would accept) and their rows."""
        usable = pc.and_(pc.invert(pc.fill_null(fallback, True)), pc.is_valid(ids))
        numbers = pa.array(chunk.numbers, pa.int64())
        if pc.all(usable).as_py() is False:
            # A row checked in Python has an id worth comparing when the id itself is good.
            ok = [i for i in pc.indices_nonzero(pc.invert(usable)).to_pylist() if self._id_ok(chunk, i)]
            usable = pc.or_(usable, _mask(len(chunk), ok))
            ids = pc.replace_with_mask(ids, _mask(len(chunk), ok),
                                       pa.array([self._id_of(chunk, i) for i in ok], pa.string()))
        self.ids.append(ids.filter(usable))
        self.id_numbers.append(numbers.filter(usable))

    def _id_cell(self, chunk: Chunk, i: int):
        position = self.positions.get("response_id")
        row = chunk.row(i)
        return row[position] if position is not None and position < len(row) else None

    def _id_of(self, chunk: Chunk, i: int) -> str:
        return _as_text_cell(self._id_cell(chunk, i))

    def _id_ok(self, chunk: Chunk, i: int) -> bool:
        from .values import is_blank

        raw = self._id_cell(chunk, i)
        if is_blank(raw):
            return False
        text = _as_text_cell(raw)
        return "\x00" not in text and len(text) <= MAX_ID_LENGTH

    def log_duplicates(self) -> None:
        """Each id given again: "is also the response id on row N" at every later row."""
        if not self.ids:
            return
        # Sorted, an id given twice sits next to itself: no hash table of every id (bounded memory).
        ids = pa.chunked_array(self.ids, pa.string()).combine_chunks()
        self.ids = []
        if len(ids) < 2:
            return
        in_order = ids.take(pc.sort_indices(ids))
        again = pc.equal(in_order.slice(1), in_order.slice(0, len(in_order) - 1))
        if not pc.any(again).as_py():
            return
        twice = pc.unique(in_order.slice(1).filter(again))
        table = pa.table({"id": ids, "row": pa.chunked_array(self.id_numbers, pa.int64()).combine_chunks()})
        found = table.filter(pc.is_in(table["id"], value_set=twice)).sort_by([("row", "ascending")])
        first: dict[str, int] = {}
        header = self.checker.plan.headers["response_id"]
        for text, number in zip(found["id"].to_pylist(), found["row"].to_pylist(), strict=True):
            if first.setdefault(text, number) != number:
                self.checker.log.add_late(number, header, text, f"is also the response id on row {first[text]}: "
                                          "each response must appear once in a file")

def row_slots_for(items: Sequence[str]) -> dict[str, int]:
    return SLOT | {key: len(ROW_FIELDS) + i for i, key in enumerate(items)}


def _mask(n: int, rows: list[int]) -> pa.Array:
    flags = [False] * n
    for i in rows:
        flags[i] = True
    return pa.array(flags, pa.bool_())


def _replace(values: list, rows: list[int], replacements: list[tuple], schema: pa.Schema, n: int) -> list:
    mask = _mask(n, rows)
    out = []
    for slot, column in enumerate(values):
        kind = schema.field(slot).type
        out.append(pc.replace_with_mask(column.cast(kind), mask, pa.array([r[slot] for r in replacements], kind)))
    return out


__all__ = ["CHUNK_ROWS", "CheckedFile", "Chunk", "ColumnChecker", "check_chunks", "stored_schema"]


# The whole file ------------------------------------------------------------------------


class CheckedFile:
    """The stored values of a checked file, kept on disk (Arrow IPC) between the check and the store:
    the store reads them back instead of reading and checking the file again. Memory: one chunk."""

    def __init__(self, schema: pa.Schema):
        import tempfile

        self.schema = schema
        self.file = tempfile.TemporaryFile(prefix="citizenfocus-import-")
        self.sink = pa.PythonFile(self.file, mode="w")
        self.writer = pa.ipc.new_stream(self.sink, schema)
        self.rows = 0

    def write(self, batch: pa.RecordBatch) -> None:
        self.writer.write_batch(batch)
        self.rows += batch.num_rows

    def finish(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None

    def batches(self) -> Iterator[pa.RecordBatch]:
        self.finish()
        self.file.seek(0)
        yield from pa.ipc.open_stream(pa.PythonFile(self.file, mode="r"))

    def close(self) -> None:
        self.finish()
        self.file.close()


def chunks_of(table, width: int, size: int = CHUNK_ROWS) -> Iterator[Chunk]:
    """The file's rows in chunks: Parquet batch by batch, other files record by record."""
    batches = getattr(table, "batches", None)
    if batches is not None:
        for first_number, batch in batches(size):
            yield batch_chunk(first_number, batch)
        return
    last = 0
    fast = getattr(table, "arrow_batches", None)
    if fast is not None:  # a regular CSV file read by pyarrow, as far as it is regular
        read = fast(size)
        while True:
            try:
                first_number, batch, blank = next(read)
            except StopIteration as done:
                if done.value:
                    return
                break
            yield arrow_chunk(first_number, batch, blank)
            last = first_number + batch.num_rows - 1
    records = table.rows()
    if last:
        records = ((number, row) for number, row in records if number > last)
    yield from record_chunks(records, width, size)


def arrow_chunk(first_number: int, batch: pa.RecordBatch, blank: list[int]) -> Chunk:
    """A chunk of a CSV file read by pyarrow: its text columns; blank rows left out, as rows() leaves them."""
    numbers = list(range(first_number, first_number + batch.num_rows))
    if blank:
        batch = batch.filter(pc.invert(_mask(batch.num_rows, blank)))
        left_out = set(blank)
        numbers = [n for i, n in enumerate(numbers) if i not in left_out]
    return Chunk(numbers=numbers, columns=list(batch.columns), irregular=[])


def _check_chunk(table, columns: ColumnChecker, chunk: Chunk) -> pa.RecordBatch | None:
    if chunk.batch is None:
        return columns.check(chunk)
    try:  # a Parquet value Python cannot hold (a date past 9999) is met when its column is read
        return columns.check(chunk)
    except table.errors as exc:
        from .errors import FileRefused
        from .readers import _reason

        number = chunk.numbers[0] - 1
        raise FileRefused(f"cannot be read as a Parquet file after row {number}: it is damaged "
                          f"({_reason(exc)})", row=number + 1) from exc


def check_chunks(table, columns: ColumnChecker, progress=None, size: int | None = None) -> tuple[int, CheckedFile]:
    """Every row of the file checked, chunk by chunk; returns the rows read and their stored values
    (complete only when the log has no problems)."""
    checked = CheckedFile(columns.schema)
    count = 0
    try:
        for chunk in chunks_of(table, len(table.header), size or CHUNK_ROWS):
            batch = _check_chunk(table, columns, chunk)
            count += len(chunk)
            if batch is not None:
                checked.write(batch)
            if progress is not None:
                progress(count, None)
        if progress is not None and count == 0:
            progress(count, None)
        columns.log_duplicates()
    except BaseException:
        checked.close()
        raise
    checked.finish()
    # Arrow's allocator keeps the memory of the check's chunks for reuse; the store allocates in Python's instead,
    # so it is handed back here (a re-import of 1,000,000 x 20 otherwise peaked some 40 MiB higher)
    pa.default_memory_pool().release_unused()
    return count, checked
