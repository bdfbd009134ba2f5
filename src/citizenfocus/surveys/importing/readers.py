"""Streaming row readers for CSV, Excel (.xlsx) and Parquet survey files.

A table has a header (a list of cell values), the sheet row number of that header,
and `rows()`, which can be iterated more than once (the import reads a file twice:
once to check, once to store) and yields (row number as a person sees it, values).
Nothing holds the whole file in memory.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from .errors import FileRefused

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


class CsvTable:
    kind = "CSV"

    def __init__(self, path: Path):
        self.path = path
        self.encoding = detect_encoding(path)
        with path.open(encoding=self.encoding, newline="") as f:
            self.delimiter = sniff_delimiter(f.read(64 * 1024))
        self.header_row, self.header = self._find_header()

    def _records(self) -> Iterator[tuple[int, list[str]]]:
        with self.path.open(encoding=self.encoding, newline="") as f:
            reader = csv.reader(f, delimiter=self.delimiter)
            number = 0
            try:
                for number, record in enumerate(reader, start=1):  # noqa: B007 - read in except
                    yield number, record
            except csv.Error as exc:
                raise FileRefused(f"cannot be read as CSV ({exc})", row=number + 1) from exc

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

    def close(self) -> None:
        pass


# Excel -------------------------------------------------------------------------------


class XlsxTable:
    kind = "Excel"

    def __init__(self, path: Path, *, recognise: Recognise):
        import zipfile

        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            self.workbook = load_workbook(path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
            raise FileRefused(f"cannot be read as an Excel .xlsx workbook ({exc})") from exc
        self.sheet, self.header_row, self.header = self._find_header(recognise)

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

    def rows(self) -> Iterator[tuple[int, Row]]:
        start = self.header_row + 1
        for number, values in enumerate(self.sheet.iter_rows(min_row=start, values_only=True), start=start):
            if not is_blank_row(values):
                yield number, values

    def close(self) -> None:
        self.workbook.close()


# Parquet -----------------------------------------------------------------------------


class ParquetTable:
    kind = "Parquet"
    header_row = 1
    BATCH_ROWS = 8192

    def __init__(self, path: Path):
        import pyarrow as pa
        import pyarrow.parquet as pq

        try:
            self.file = pq.ParquetFile(path)
        except (pa.ArrowException, OSError) as exc:
            raise FileRefused(f"cannot be read as a Parquet file ({exc})") from exc
        self.header = list(self.file.schema_arrow.names)
        if self.file.metadata.num_rows == 0:
            raise FileRefused("has a header but no responses")

    def rows(self) -> Iterator[tuple[int, Row]]:
        number = self.header_row
        for batch in self.file.iter_batches(batch_size=self.BATCH_ROWS):
            columns = [column.to_pylist() for column in batch.columns]
            for values in zip(*columns, strict=True):
                number += 1
                yield number, values

    def close(self) -> None:
        self.file.close()
