"""The plan as the board's Word table (word.py), as an Excel workbook and as CSV.

Every format has the same cells (board.py), RAG as at the plan's reporting date.
Excel merges the recommendation and response cells down as forces draw them and
shades the progress cell by RAG (its RAG also written, never colour alone); CSV has
every cell on every row. With a meeting chosen, every cell changed since is marked
and the last column says what changed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from citizenfocus.core.spreadsheet import neutralise_workbook, safe_csv_writer

from .board import CHANGED_FILL, changed_title, table
from .importing.text import format_date
from .models import Meeting, Plan
from .selectors import COLUMNS

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
WIDTHS_CM = {"ref": 1.3, "level1": 4.2, "level2": 4.2, "owner": 3.2, "position": 8.6, "progress": 2.8, "date": 2.4}


def plan_export(plan: Plan, fmt: str, *, today: dt.date, since: Meeting | None = None) -> bytes:
    """The plan in a format, exported on `today`; its RAG as at the plan's reporting date (today without one)."""
    as_at = plan.as_at(today)
    if fmt == "docx":
        from .word import word_document

        return word_document(plan, as_at=as_at, since=since, today=today)
    if fmt == "xlsx":
        return _xlsx(plan, as_at=as_at, since=since)
    if fmt == "csv":
        return _csv(plan, as_at=as_at, since=since)
    raise ValueError(f"unknown format {fmt!r}: docx, xlsx or csv")


def _intro(plan: Plan, as_at: dt.date, since: Meeting | None) -> list[str]:
    from .word import about

    lines = [f"{about(plan)}. RAG as at {format_date(as_at)}."]
    if since is not None:
        lines.append(f"Cells changed since {since.title} on {format_date(since.held_on)} are marked in bold on a pale "
                     "yellow background; the last column says what changed.")
    return lines


# -- Excel ----------------------------------------------------------------------------------

def _xlsx(plan: Plan, *, as_at: dt.date, since: Meeting | None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    titles, rows, values = table(plan, as_at=as_at, since=since)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Plan"
    sheet.append([plan.title])
    sheet["A1"].font = Font(bold=True, size=14)
    for line in _intro(plan, as_at, since):
        sheet.append([line])
    sheet.append([])
    extra = [changed_title(since)] if since else []
    sheet.append([*titles, "RAG", *extra])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = f"A{header_row + 1}"
    wrap = Alignment(wrap_text=True, vertical="top")
    merges = []
    for row, cell_values in zip(rows, values, strict=True):
        sheet.append([cell_values[c] if c not in ("ref", "level1") or row.rec_span else None for c in COLUMNS[:2]]
                     + [cell_values["level2"] if row.response_span else None]
                     + [cell_values[c] for c in COLUMNS[3:]]
                     + [row.rag.label if row.rag else ""] + (["\n".join(row.changes)] if since else []))
        r = sheet.max_row
        for c, column in enumerate(COLUMNS, start=1):
            cell = sheet.cell(r, c)
            cell.alignment = wrap
            if column in row.changed:
                cell.font = Font(bold=True)
                cell.fill = PatternFill("solid", fgColor=CHANGED_FILL)
            if column == "progress" and row.rag is not None:
                cell.fill = PatternFill("solid", fgColor=row.rag.fill)
        if row.rec_span > 1:
            merges += [(r, c, r + row.rec_span - 1) for c in (1, 2)]
        if row.response_span > 1:
            merges.append((r, 3, r + row.response_span - 1))
    for first, column, last in merges:  # after every row is written: openpyxl's append overwrites merged cells
        sheet.merge_cells(start_row=first, start_column=column, end_row=last, end_column=column)
    for c, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = WIDTHS_CM[column] * 5
    neutralise_workbook(workbook)  # no exported text runs as a formula
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# -- CSV ------------------------------------------------------------------------------------

def _csv(plan: Plan, *, as_at: dt.date, since: Meeting | None) -> bytes:
    titles, rows, values = table(plan, as_at=as_at, since=since)
    buffer = io.StringIO()
    writer = safe_csv_writer(csv.writer(buffer))
    writer.writerow([*titles, "RAG", *([changed_title(since)] if since else [])])
    for row, cell_values in zip(rows, values, strict=True):
        writer.writerow([cell_values[c] for c in COLUMNS] + [row.rag.label if row.rag else ""]
                        + (["; ".join(row.changes)] if since else []))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
