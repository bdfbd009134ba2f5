"""Streaming row readers for CSV, Excel (.xlsx) and Parquet survey files.

A table has a header (a list of cell values), the sheet row number of that header,
and `rows()`, which can be iterated more than once (the import reads a file twice:
once to check, once to store) and yields (row number as a person sees it, values).
Nothing holds the whole file in memory.
"""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from itertools import zip_longest
from pathlib import Path

from .errors import FileRefused, printable

CSV_SUFFIXES = (".csv", ".tsv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
PARQUET_SUFFIXES = (".parquet", ".pq")
SUPPORTED_SUFFIXES = CSV_SUFFIXES + XLSX_SUFFIXES + PARQUET_SUFFIXES
DELIMITERS = (",", ";", "\t", "|")
HEADER_SEARCH_ROWS = 20  # a spreadsheet may have a title or notes above the header
READ_CHUNK = 1 << 20

Row = Sequence[object]
Recognise = Callable[[Row], int]


def is_blank_row(values: Row) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def open_table(path: Path, *, recognise: Recognise) -> CsvTable | XlsxTable | ParquetTable:
    """The reader for a file, chosen by its suffix; `recognise` scores a candidate header row."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise FileRefused("cannot be read: there is no such file")
    if suffix in CSV_SUFFIXES:
        return CsvTable(path)
    if suffix in XLSX_SUFFIXES:
        return XlsxTable(path, recognise=recognise)
    if suffix in PARQUET_SUFFIXES:
        return ParquetTable(path)
    hint = " (save an old .xls workbook as .xlsx or CSV)" if suffix == ".xls" else ""
    raise FileRefused(
        f"is not a file type the import reads: the name must end in "
        f"{', '.join(SUPPORTED_SUFFIXES)}{hint}"
    )


# CSV ---------------------------------------------------------------------------------

BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _decodes_as(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with path.open("rb") as f:
            while chunk := f.read(READ_CHUNK):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(path: Path) -> str:
    """The BOM's encoding; without one, UTF-16 if the text is full of NULs, else UTF-8, else Windows-1252."""
    with path.open("rb") as f:
        head = f.read(4096)
    for bom, encoding in BOMS:
        if head.startswith(bom):
            return encoding
    if head.count(0) > len(head) // 4:  # UTF-16 saved without a BOM
        return "utf-16-le" if head[1:2] == b"\x00" else "utf-16-be"
    for encoding in ("utf-8", "cp1252"):
        if _decodes_as(path, encoding):
            return encoding
    raise FileRefused(
        "cannot be read as text: it is neither UTF-8 nor Windows-1252; "
        "save it as \"CSV UTF-8\" (or as .xlsx) and try again"
    )


def sniff_delimiter(sample: str) -> str:
    """The delimiter among , ; tab | that splits the header into the most columns, consistently."""
    lines = sample.splitlines()[:21]
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        lines = lines[:-1]  # the last line of the sample may be cut short
    best, best_score = ",", (0.0, 1)
    for delimiter in DELIMITERS:
        try:
            counts = [len(r) for r in csv.reader(lines, delimiter=delimiter) if r]
        except csv.Error:
            continue
        if not counts or counts[0] < 2:
            continue
        same = sum(1 for c in counts if c == counts[0]) / len(counts)
        score = (same, counts[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


CUT_SHORT = ("is the end of the file, with no line break after it: the file may have been cut short part way "
             "through this row. Check the row is complete and end it with a line break, or export the file again")


CUT_INSIDE_QUOTES = ("is the end of the file, inside a quoted value: the file was cut short part way through "
                     "this row; export it again")


class _Lines:
    """The lines of a file as the CSV reader takes them, remembering the last record's own lines
    (to tell a file cut inside a quoted value from a complete one)."""

    def __init__(self):
        self.current: list[str] = []

    def of(self, f) -> Iterator[str]:
        for line in f:
            self.current.append(line)
            yield line

    def record_read(self, record: list[str]) -> None:
        if record and (record[0].strip() or any(field.strip() for field in record)):  # the id first: cheap
            self.last, self.last_record = self.current, record
        self.current = []

    def ends_without_line_break(self) -> bool:
        last = getattr(self, "last", [])
        return bool(last) and not last[-1].endswith(("\n", "\r"))

    def ends_inside_quotes(self, quote: str) -> bool:
        return self.ends_without_line_break() and "".join(self.last).count(quote) % 2 == 1


class CsvTable:
    kind = "CSV"
    quote = '"'
    # A CSV row with fewer values than the header was cut or lost a delimiter; a spreadsheet's
    # row simply ends at its last filled cell.
    short_rows_allowed = False

    def __init__(self, path: Path):
        self.path = path
        self.encoding = detect_encoding(path)
        try:
            with path.open(encoding=self.encoding, newline="") as f:
                self.delimiter = sniff_delimiter(f.read(64 * 1024))
        except UnicodeDecodeError as exc:
            raise FileRefused(f"cannot be read as {self.encoding} text ({exc.reason}): "
                              "save it again as \"CSV UTF-8\"") from exc
        self.header_row, self.header = self._find_header()

    def _records(self) -> Iterator[tuple[int, list[str]]]:
        lines = _Lines()
        number = 0
        try:
            with self.path.open(encoding=self.encoding, newline="") as f:
                reader = csv.reader(lines.of(f), delimiter=self.delimiter)
                for number, record in enumerate(reader, start=1):  # noqa: B007 - read in except
                    lines.record_read(record)
                    yield number, record
        except csv.Error as exc:
            raise FileRefused(f"cannot be read as CSV ({exc})", row=number + 1) from exc
        except UnicodeDecodeError as exc:
            raise FileRefused(f"cannot be read as {self.encoding} text after row {number} ({exc.reason}): "
                              "save it again as \"CSV UTF-8\"", row=number + 1) from exc
        if lines.ends_without_line_break() and number > getattr(self, "header_row", number):
            # A file cut part way through a value looks complete but for this: refuse rather than guess.
            last = lines.last_record
            header = self.header[len(last) - 1] if len(last) <= len(self.header) else ""
            expected = (CUT_INSIDE_QUOTES if lines.ends_inside_quotes(self.quote) else CUT_SHORT)
            raise FileRefused(expected, row=number, column=header, value=last[-1] if last else "")

    def _find_header(self) -> tuple[int, list[str]]:
        for number, record in self._records():
            if not is_blank_row(record):
                return number, [c.strip() for c in record]
        raise FileRefused("is empty: there is no header row and no responses")

    def rows(self) -> Iterator[tuple[int, Row]]:
        header_row = self.header_row
        for number, record in self._records():
            # The first cell (usually the id) is almost always filled: a cheap test first.
            if number > header_row and ((record and record[0].strip()) or not is_blank_row(record)):
                yield number, record

    def arrow_batches(self, size: int):
        """The rows after the header read by pyarrow's CSV reader (in C), as (sheet number of the first row,
        a RecordBatch of text columns, the positions of its blank rows), while the file is regular: UTF-8,
        the header on the first line, every row as wide as the header, no empty line. Returns True when it
        read the whole file; False when it stopped at something it does not read as csv.reader does (the
        rows it gave before are exactly csv.reader's: the caller reads the rest with `rows()`, after the
        last row given). Quoted values, doubled quotes and values across lines are read as csv.reader
        reads them."""
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.csv as pacsv

        width = len(self.header)
        if self.encoding not in ("utf-8", "utf-8-sig") or self.header_row != 1 or width == 0 \
                or not self._ends_with_line_break():
            return False
        names = [f"c{i}" for i in range(width)]
        try:
            reader = pacsv.open_csv(
                self.path,
                read_options=pacsv.ReadOptions(skip_rows=1, column_names=names, block_size=ARROW_BLOCK_BYTES,
                                               use_threads=False),
                parse_options=pacsv.ParseOptions(delimiter=self.delimiter, quote_char=self.quote, double_quote=True,
                                                 escape_char=False, newlines_in_values=True,
                                                 ignore_empty_lines=False),
                convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                                     strings_can_be_null=False, quoted_strings_can_be_null=False))
        except (pa.ArrowException, OSError):
            return False
        number = self.header_row + 1
        pending, rows = [], 0
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                break
            except (pa.ArrowException, OSError):  # a row of another width, an empty line: csv.reader's turn
                return False
            pending.append(batch)
            rows += batch.num_rows
            if rows >= size:
                chunk = pa.Table.from_batches(pending).combine_chunks().to_batches()[0]
                yield number, chunk, _blank_rows(chunk, pc)
                number += chunk.num_rows
                pending, rows = [], 0
        if rows:
            chunk = pa.Table.from_batches(pending).combine_chunks().to_batches()[0]
            yield number, chunk, _blank_rows(chunk, pc)
        return True

    def _ends_with_line_break(self) -> bool:
        """A file whose last row has no line break is read by csv.reader, which tells a cut-short file."""
        with self.path.open("rb") as f:
            f.seek(0, 2)
            if f.tell() == 0:
                return False
            f.seek(-1, 2)
            return f.read(1) in (b"\n", b"\r")

    def close(self) -> None:
        pass


ARROW_BLOCK_BYTES = 1 << 20


def _blank_rows(batch, pc) -> list[int]:
    """The rows is_blank_row skips: looked at in Python only when their first value has no visible ASCII
    character (a filled first value cannot be blank)."""
    if not batch.num_rows:
        return []
    maybe = pc.invert(pc.match_substring_regex(batch.column(0), r"[\x21-\x7e]"))
    candidates = pc.indices_nonzero(maybe).to_pylist()
    return [i for i in candidates if is_blank_row([column[i].as_py() for column in batch.columns])]


# Excel -------------------------------------------------------------------------------


class UncomputedFormula(str):
    """An Excel cell holding a formula whose result was never saved (the file was written by a
    program that does not calculate): its value is unknown, so it must not be read as blank."""


# What a damaged workbook raises from deep inside zipfile, zlib and the XML parsers.
XLSX_READ_ERRORS = (zipfile.BadZipFile, zlib.error, SyntaxError, KeyError, ValueError,
                    TypeError, IndexError, AttributeError, EOFError, OSError, UnicodeDecodeError)
_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")


def _reason(exc: Exception) -> str:
    """A library's error on one line, short enough to read."""
    return printable(" ".join(str(exc).split()))[:200] or type(exc).__name__


def _refused_workbook(exc: Exception, row: int | None = None) -> FileRefused:
    return FileRefused(f"cannot be read as an Excel .xlsx workbook: it is damaged or not a workbook "
                       f"({_reason(exc)}); open it in Excel and save it again", row=row)


class XlsxTable:
    kind = "Excel"
    short_rows_allowed = True

    def __init__(self, path: Path, *, recognise: Recognise):
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        self.path = path
        self.formulas = None
        try:
            self.workbook = load_workbook(path, read_only=True, data_only=True)
        except (InvalidFileException, *XLSX_READ_ERRORS) as exc:
            raise _refused_workbook(exc) from exc
        try:
            self.sheet, self.header_row, self.header = self._find_header(recognise)
            if self._has_formulas():
                self.formulas = load_workbook(path, read_only=True, data_only=False)[self.sheet.title]
        except (FileRefused, *XLSX_READ_ERRORS) as exc:
            self.workbook.close()
            raise exc if isinstance(exc, FileRefused) else _refused_workbook(exc) from exc

    def _find_header(self, recognise: Recognise):
        """The first sheet whose header is recognisable (scored best in its first rows)."""
        fallback = None
        for sheet in self.workbook.worksheets:
            sheet.reset_dimensions()  # some exporters write a wrong size; read every row
            best = None
            rows = sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True)
            for number, values in enumerate(rows, start=1):
                if is_blank_row(values):
                    continue
                header = ["" if v is None else str(v).strip() for v in values]
                fallback = fallback or (sheet, number, header)
                score = recognise(values)
                if best is None or score > best[0]:
                    best = (score, number, header)
            if best is not None and best[0] >= 2:
                return sheet, best[1], best[2]
        if fallback is None:
            raise FileRefused("is empty: no sheet has a header row or responses")
        return fallback

    def _has_formulas(self) -> bool:
        """Whether the chosen sheet's XML has any formula element (read as a stream, not parsed)."""
        tail = b""
        with self.workbook._archive.open(self.sheet._worksheet_path) as source:
            while chunk := source.read(READ_CHUNK):
                if _FORMULA_TAG.search(tail + chunk):
                    return True
                tail = chunk[-64:]
        return False

    def rows(self) -> Iterator[tuple[int, Row]]:
        start = self.header_row + 1
        number = start - 1
        try:
            values_rows = self.sheet.iter_rows(min_row=start, values_only=True)
            if self.formulas is not None:
                self.formulas.reset_dimensions()
                formula_rows = self.formulas.iter_rows(min_row=start, values_only=True)
                values_rows = map(_with_uncomputed_formulas, values_rows, formula_rows)
            for number, values in enumerate(values_rows, start=start):  # noqa: B007 - read in except
                if not is_blank_row(values):
                    yield number, values
        except XLSX_READ_ERRORS as exc:
            raise _refused_workbook(exc, row=number + 1) from exc

    def close(self) -> None:
        self.workbook.close()
        if self.formulas is not None:
            self.formulas.parent.close()


def _with_uncomputed_formulas(values: Row, formulas: Row) -> Row:
    """The row's saved values, with each formula that has no saved value marked as such."""
    if None not in values and len(values) >= len(formulas):
        return values
    return tuple(
        UncomputedFormula(formula) if value is None and isinstance(formula, str) and formula.startswith("=")
        else value
        for value, formula in zip_longest(values, formulas)
    )


# Parquet -----------------------------------------------------------------------------


# pyarrow's own errors, and what a value it cannot turn into Python (a date past 9999) raises.
PARQUET_READ_ERRORS = (OSError, ValueError, OverflowError, TypeError, KeyError, UnicodeDecodeError)


class ParquetTable:
    kind = "Parquet"
    short_rows_allowed = True
    header_row = 1
    BATCH_ROWS = 8192

    def __init__(self, path: Path):
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.errors = (pa.ArrowException, *PARQUET_READ_ERRORS)
        try:
            # Pages written with checksums are checked: a damaged page is refused, not read as other values.
            self.file = pq.ParquetFile(path, page_checksum_verification=True)
        except self.errors as exc:
            raise FileRefused(f"cannot be read as a Parquet file: it is damaged or not Parquet "
                              f"({_reason(exc)})") from exc
        self.header = list(self.file.schema_arrow.names)
        if self.file.metadata.num_rows == 0:
            raise FileRefused("has a header but no responses")

    def rows(self) -> Iterator[tuple[int, Row]]:
        number = self.header_row
        try:
            for batch in self.file.iter_batches(batch_size=self.BATCH_ROWS):
                columns = [column.to_pylist() for column in batch.columns]
                for values in zip(*columns, strict=True):
                    number += 1
                    yield number, values
        except self.errors as exc:
            raise FileRefused(f"cannot be read as a Parquet file after row {number}: it is damaged "
                              f"({_reason(exc)})", row=number + 1) from exc

    def batches(self, size: int) -> Iterator[tuple[int, object]]:
        """(the sheet number of the batch's first row, an Arrow RecordBatch of up to `size` rows)."""
        number = self.header_row
        try:
            for batch in self.file.iter_batches(batch_size=size):
                yield number + 1, batch
                number += batch.num_rows
        except self.errors as exc:
            raise FileRefused(f"cannot be read as a Parquet file after row {number}: it is damaged "
                              f"({_reason(exc)})", row=number + 1) from exc

    def close(self) -> None:
        self.file.close()
