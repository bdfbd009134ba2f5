"""Cells safe to open in a spreadsheet: no exported text is ever run as a formula.

Excel, LibreOffice and Google Sheets run a cell that begins with = + - or @ (and, after
a leading tab or carriage return, the same) as a formula: a response id written as
=HYPERLINK(...) becomes a link that leaks data when clicked. Every CSV and XLSX the
project writes passes its values through here (OWASP's "CSV injection" advice): such
text gets a leading apostrophe, which spreadsheets show as text. Numbers stay numbers,
and text that is only a number ("-3.5") needs no guard.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
# Characters an XLSX file cannot hold at all (openpyxl refuses them): shown as \x01 and the like.
_NOT_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def spreadsheet_value(value: object) -> object:
    """The value as a cell should hold it: text that would run as a formula starts with an apostrophe.

    A lone "-" or "+" (a table's "none") has nothing to run, and is left as it is."""
    if (isinstance(value, str) and value.startswith(FORMULA_STARTS) and value not in ("-", "+")
            and not _PLAIN_NUMBER.fullmatch(value)):
        return "'" + value
    return value


def spreadsheet_row(values: Iterable[object]) -> list[object]:
    return [spreadsheet_value(v) for v in values]


class SafeCsvWriter:
    """A csv writer whose every cell has been through spreadsheet_value."""

    def __init__(self, writer):
        self.writer = writer

    def writerow(self, values: Iterable[object]):
        return self.writer.writerow(spreadsheet_row(values))

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for values in rows:
            self.writerow(values)


def safe_csv_writer(writer) -> SafeCsvWriter:
    """Wrap csv.writer(...): `writer = safe_csv_writer(csv.writer(buffer))`."""
    return SafeCsvWriter(writer)


def _xlsx_text(text: str) -> str:
    return _NOT_IN_XLSX.sub(lambda m: f"\\x{ord(m[0]):02x}", spreadsheet_value(text))


def xlsx_cells(sheet, values: Iterable[object]) -> list[object]:
    """A write-only sheet's row: every text a string cell (never a formula), numbers as numbers."""
    from openpyxl.cell import WriteOnlyCell

    cells: list[object] = []
    for value in values:
        if isinstance(value, str):
            cell = WriteOnlyCell(sheet, value=_xlsx_text(value))
            cell.data_type = "s"
            cells.append(cell)
        else:
            cells.append(value)
    return cells


def neutralise_workbook(workbook) -> None:
    """Make every text cell of a (normal, not write-only) workbook a safe string cell, after it is filled."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = _xlsx_text(cell.value)
                    cell.data_type = "s"
