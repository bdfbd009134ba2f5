"""Word tables drawn the way forces draw them, for the demo plan and the importer's test fixtures.

A row is a tuple of cells, one per column. A cell is:

- a string (paragraphs split at "\\n"; HTML left over from a copy and paste is kept as
  typed, "<b>1.1.A.</b>", "&amp;");
- a list of (text, bold) runs, for a ref really set in bold;
- a `Shaded(text, fill)` for a shaded cell (a colour-coded progress cell, a legend);
- None: merged with the cell above (Word's vertical merge), as a Ref, Recommendation
  or Response cell running down over its actions.

The string "HEADER" instead of a row repeats the header (a new page, typed by hand).
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

HEADER_ROW = "HEADER"


@dataclass(frozen=True)
class Shaded:
    text: str
    fill: str


def shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def write_cell(cell, value) -> None:
    if isinstance(value, Shaded):
        shade(cell, value.fill)
        value = value.text
    if isinstance(value, list):
        paragraph = cell.paragraphs[0]
        for text, bold in value:
            for index, part in enumerate(text.split("\n")):
                if index:
                    paragraph = cell.add_paragraph()
                run = paragraph.add_run(part)
                run.bold = bold
        return
    lines = value.split("\n")
    cell.text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def add_table(document, header: list[str], rows: list, *, style: str = "Table Grid"):
    """The plan's table: a header row, then each row, with None cells merged into the cell above."""
    table = document.add_table(rows=len(rows) + 1, cols=len(header))
    table.style = style
    for index, title in enumerate(header):
        table.cell(0, index).text = title
    for r, row in enumerate(rows, start=1):
        values = header if row == HEADER_ROW else row
        for c, value in enumerate(values):
            if value is not None:
                write_cell(table.cell(r, c), value)
    for c in range(len(header)):
        r = 1
        while r <= len(rows):
            end = r
            while end < len(rows) and rows[end] != HEADER_ROW and rows[end][c] is None:
                end += 1
            if end > r and rows[r - 1] != HEADER_ROW:
                table.cell(r, c).merge(table.cell(end, c))
            r = end + 1
    return table
