"""Dashboard tables exported so a board paper can paste them.

XLSX: a title row, the period and the filters, then the table with its header frozen, column widths
to fit, and number formats by column kind (rates as 77.1%, gaps as +2.3 pts, bases as 1,766).
CSV: rates as proportions (what scripts expect), gaps in percentage points as their header says, bases as
whole numbers, with
the title and filter lines above the header when asked (`?header_lines=1`), so a script reading a plain
CSV is not surprised. Every text cell goes through core.spreadsheet, never a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.text import slugify

from .spreadsheet import neutralise_workbook, safe_csv_writer

XLSX_FORMATS = {"rate": "0.0%", "diff": '+0.0" pts";-0.0" pts";0.0" pts"', "int": "#,##0",
                "number": "#,##0.00", "p": "0.000"}
# a gap's column says points, so it holds points (1.97), not the difference of proportions (0.0197)
CSV_SCALE = {"diff": 100.0}
MAX_WIDTH = 60


@dataclass(frozen=True)
class BoardTable:
    title: str
    context: list[str]  # "Period: 12 months to March 2014", "Area: Central division", ...
    columns: list[tuple[str, str]]  # (label, kind)
    rows: list[list]

    def file_name(self, *parts: str) -> str:
        return "-".join(slugify(p) for p in parts if p)[:150] or "table"


def _number(value, kind: str):
    """A value for a numeric column as a number (bases as whole numbers), text left as it is (suppressed)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    if kind == "int":
        return int(round(value))
    return value


def _csv_label(label: str, kind: str) -> str:
    return f"{label} (pts)" if kind == "diff" and "point" not in label.lower() else label


def _csv_value(value, kind: str):
    value = _number(value, kind)
    if isinstance(value, float) and kind in CSV_SCALE:
        return round(value * CSV_SCALE[kind], 6)
    return "" if value is None else value


class _Echo:
    def write(self, value):
        return value


def csv_lines(table: BoardTable, *, header_lines: bool):
    """The CSV line by line (streamed: a neighbourhood table can be long)."""
    writer = safe_csv_writer(csv.writer(_Echo()))
    yield "\ufeff"  # so Excel reads UTF-8
    if header_lines:
        for line in [[table.title], *([line] for line in table.context), []]:
            yield writer.writerow(line)
    yield writer.writerow([_csv_label(label, kind) for label, kind in table.columns])
    for row in table.rows:
        yield writer.writerow([_csv_value(v, kind) for v, (_, kind) in zip(row, table.columns, strict=True)])


def xlsx_bytes(table: BoardTable) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = slugify(table.title)[:31] or "table"
    sheet.append([table.title])
    sheet["A1"].font = Font(bold=True, size=13)
    for line in table.context:
        sheet.append([line])
    sheet.append([])
    sheet.append([label for label, _ in table.columns])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([_number(v, kind) for v, (_, kind) in zip(row, table.columns, strict=True)])
    widths = [len(label) for label, _ in table.columns]
    for index, (_, kind) in enumerate(table.columns, start=1):
        for (cell,) in sheet.iter_rows(min_row=header_row + 1, min_col=index, max_col=index):
            if kind in XLSX_FORMATS and isinstance(cell.value, (int, float)):
                cell.number_format = XLSX_FORMATS[kind]
            widths[index - 1] = max(widths[index - 1], 9 if kind in XLSX_FORMATS else len(str(cell.value or "")))
        sheet.column_dimensions[get_column_letter(index)].width = min(MAX_WIDTH, widths[index - 1] + 2)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    neutralise_workbook(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def board_table_response(fmt: str, table: BoardTable, *, file_name: str, header_lines: bool = False,
                         extra_headers: Sequence[tuple[str, str]] = ()) -> HttpResponse:
    if fmt == "csv":
        response = StreamingHttpResponse(csv_lines(table, header_lines=header_lines),
                                         content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            xlsx_bytes(table), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{file_name}.{fmt}"'
    for name, value in extra_headers:
        response[name] = value
    return response
