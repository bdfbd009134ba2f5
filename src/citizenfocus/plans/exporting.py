"""The plan as the board's Word table, as an Excel workbook and as CSV.

Word: landscape, a key to the RAG colours, one row per action with the
recommendation and response cells merged down as forces draw them, the progress
cell shaded by RAG (and its RAG written, never colour alone), the latest position
and its date. With a meeting chosen, every cell changed since is bold on a pale
yellow ground and the last column says what changed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from citizenfocus.core.spreadsheet import neutralise_workbook, safe_csv_writer

from . import rag as rag_rules
from .board import CHANGED_FILL, changed_title, table
from .importing.text import format_date
from .models import Meeting, Plan
from .selectors import COLUMNS

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
WIDTHS_CM = {"ref": 1.2, "level1": 4.2, "level2": 4.2, "owner": 3.2, "position": 7.6, "progress": 2.6, "date": 2.4}


def plan_export(plan: Plan, fmt: str, *, today: dt.date, since: Meeting | None = None) -> bytes:
    if fmt == "docx":
        return _docx(plan, today=today, since=since)
    if fmt == "xlsx":
        return _xlsx(plan, today=today, since=since)
    if fmt == "csv":
        return _csv(plan, today=today, since=since)
    raise ValueError(f"unknown format {fmt!r}: docx, xlsx or csv")


def _intro(plan: Plan, today: dt.date, since: Meeting | None) -> list[str]:
    lines = [", ".join(p for p in (plan.get_source_display(), plan.owning_body) if p)
             + f". Position at {format_date(today)}."]
    if since is not None:
        lines.append(f"Cells changed since {since.title} on {format_date(since.held_on)} are in bold on a pale yellow "
                     "background; the last column says what changed.")
    return lines


def _key(plan: Plan) -> list[tuple[str, str]]:
    days = plan.amber_days()
    return [("red", "Red: overdue, or blocked"), ("amber", f"Amber: due within {days} days and not started"),
            ("green", "Green: on track or completed")]


# -- Word -----------------------------------------------------------------------------------

def _shade(cell, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tc_pr = cell._tc.get_or_add_tcPr()
    for old in tc_pr.findall(qn("w:shd")):
        tc_pr.remove(old)
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _write(cell, text: str, *, bold: bool = False, size: int = 9) -> None:
    from docx.shared import Pt

    lines = text.split("\n") if text else [""]
    paragraph = cell.paragraphs[0]
    for index, line in enumerate(lines):
        if index:
            paragraph = cell.add_paragraph()
        run = paragraph.add_run(line)
        run.bold = bold
        run.font.size = Pt(size)


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _docx(plan: Plan, *, today: dt.date, since: Meeting | None) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    titles, rows, values = table(plan, today=today, since=since)
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    document.add_heading(plan.title, level=1)
    for line in _intro(plan, today, since):
        document.add_paragraph(line)
    key = document.add_table(rows=1, cols=3)
    key.style = "Table Grid"
    for index, (colour, words) in enumerate(_key(plan)):
        _write(key.cell(0, index), words)
        _shade(key.cell(0, index), rag_rules.FILLS[colour])
    document.add_paragraph("")
    extra = [changed_title(since)] if since else []
    grid = document.add_table(rows=len(rows) + 1, cols=len(COLUMNS) + len(extra))
    grid.style = "Table Grid"
    for index, title in enumerate(titles + extra):
        _write(grid.cell(0, index), title, bold=True)
        _shade(grid.cell(0, index), "D9D9D9")
    _repeat_header(grid.rows[0])
    for r, (row, cell_values) in enumerate(zip(rows, values, strict=True), start=1):
        for c, column in enumerate(COLUMNS):
            if column in ("ref", "level1") and not row.rec_span or column == "level2" and not row.response_span:
                continue
            cell = grid.cell(r, c)
            changed = column in row.changed
            _write(cell, cell_values[column], bold=changed)
            if column == "progress" and row.rag is not None:
                _shade(cell, row.rag.fill)
            elif changed:
                _shade(cell, CHANGED_FILL)
        if extra:
            _write(grid.cell(r, len(COLUMNS)), "\n".join(row.changes), bold=bool(row.changes))
            if row.changes:
                _shade(grid.cell(r, len(COLUMNS)), CHANGED_FILL)
    for r, row in enumerate(rows, start=1):
        if row.rec_span > 1:
            for c in (0, 1):
                grid.cell(r, c).merge(grid.cell(r + row.rec_span - 1, c))
        if row.response_span > 1:
            grid.cell(r, 2).merge(grid.cell(r + row.response_span - 1, 2))
    for c, column in enumerate(COLUMNS):
        for cell in grid.columns[c].cells:
            cell.width = Cm(WIDTHS_CM[column])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# -- Excel ----------------------------------------------------------------------------------

def _xlsx(plan: Plan, *, today: dt.date, since: Meeting | None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    titles, rows, values = table(plan, today=today, since=since)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Plan"
    sheet.append([plan.title])
    sheet["A1"].font = Font(bold=True, size=14)
    for line in _intro(plan, today, since):
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

def _csv(plan: Plan, *, today: dt.date, since: Meeting | None) -> bytes:
    titles, rows, values = table(plan, today=today, since=since)
    buffer = io.StringIO()
    writer = safe_csv_writer(csv.writer(buffer))
    writer.writerow([*titles, "RAG", *([changed_title(since)] if since else [])])
    for row, cell_values in zip(rows, values, strict=True):
        writer.writerow([cell_values[c] for c in COLUMNS] + [row.rag.label if row.rag else ""]
                        + (["; ".join(row.changes)] if since else []))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
