"""Tables out of Word (.docx), Excel (.xlsx) and CSV files, as grids of cells.

A cell keeps its text, its shading (for colour-coded progress and legends) and
whether it continues a vertical merge from the row above; merged cells carry
the text of the cell they continue.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from .text import clean_text, format_date

SUFFIXES = (".docx", ".xlsx", ".csv")

HIGHLIGHT_COLOURS = {  # Word's named highlight colours
    "yellow": "FFFF00", "green": "00FF00", "brightgreen": "00FF00", "darkgreen": "008000", "red": "FF0000",
    "darkred": "800000", "cyan": "00FFFF", "blue": "0000FF", "darkyellow": "808000", "magenta": "FF00FF",
}


class UnreadableFile(ValueError):
    """The file is not a Word, Excel or CSV file we can read; the message says why."""


@dataclass
class Cell:
    text: str = ""
    fill: str | None = None
    merged_above: bool = False
    spanned_left: bool = False
    date: dt.date | None = None


@dataclass
class Grid:
    name: str  # "table 2" or "sheet 'Plan'"
    rows: list[list[Cell]] = field(default_factory=list)
    order: int = 0  # tables before it in the document: which paragraphs are above it

    def where(self, index: int) -> str:
        return f"{self.name}, row {index + 1}"


@dataclass
class Line:
    """A paragraph outside the tables: its text, its Word style, and how many tables come before it."""

    text: str
    style: str = ""
    tables_before: int = 0

    @property
    def is_heading(self) -> bool:
        return self.style.lower().startswith(("heading", "title"))


@dataclass
class Document:
    grids: list[Grid]
    lines: list[Line] = field(default_factory=list)  # text outside the tables (the title, a key to colours)

    @property
    def paragraphs(self) -> list[str]:
        return [line.text for line in self.lines]


def read_document(path: Path) -> Document:
    suffix = path.suffix.lower()
    try:
        if suffix == ".docx":
            return _read_docx(path)
        if suffix == ".xlsx":
            return _read_xlsx(path)
        if suffix == ".csv":
            return _read_csv(path)
    except UnreadableFile:
        raise
    except Exception as exc:  # a damaged file raises anything from zipfile, lxml or openpyxl
        raise UnreadableFile(f"{path.name}: could not be read as a {suffix} file ({exc.__class__.__name__}: {exc})") from exc
    raise UnreadableFile(f"{path.name}: not a Word (.docx), Excel (.xlsx) or CSV (.csv) file")


# -- Word -----------------------------------------------------------------------------------

def _docx_fill(tc) -> str | None:
    fills = tc.xpath("./w:tcPr/w:shd/@w:fill") or tc.xpath(".//w:pPr/w:shd/@w:fill") or tc.xpath(".//w:rPr/w:shd/@w:fill")
    for fill in fills:
        if fill and fill.lower() != "auto" and len(fill) == 6:
            return fill.upper()
    for name in tc.xpath(".//w:rPr/w:highlight/@w:val"):
        if name.lower() in HIGHLIGHT_COLOURS:
            return HIGHLIGHT_COLOURS[name.lower()]
    return None


def _docx_text(tc) -> str:
    from docx.oxml.ns import qn

    lines = []
    for p in tc.iter(qn("w:p")):
        parts = []
        for node in p.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")):
            if node.tag == qn("w:t"):
                parts.append(node.text or "")
            elif node.tag == qn("w:tab"):
                parts.append(" ")
            else:
                parts.append("\n")
        lines.append("".join(parts))
    return clean_text("\n".join(lines))


def _docx_grid(table, name: str, order: int = 0) -> Grid:
    grid = Grid(name, order=order)
    width = max((sum(tc.grid_span for tc in tr.tc_lst) + tr.grid_before for tr in table._tbl.tr_lst), default=0)
    for tr in table._tbl.tr_lst:
        row = [Cell() for _ in range(tr.grid_before)]
        for tc in tr.tc_lst:
            column = len(row)
            above = grid.rows[-1][column] if grid.rows and column < len(grid.rows[-1]) else None
            if tc.vMerge == "continue" and above is not None:
                cell = Cell(above.text, above.fill, merged_above=True, date=above.date)
            else:
                cell = Cell(_docx_text(tc), _docx_fill(tc))
            row.append(cell)
            row.extend(Cell("", cell.fill, cell.merged_above, spanned_left=True) for _ in range(tc.grid_span - 1))
        row.extend(Cell() for _ in range(width - len(row)))
        grid.rows.append(row)
    return grid


def _blocks(parent):
    """The body's paragraphs and tables in order, also inside content controls (<w:sdt>), as templates use."""
    for child in parent.iterchildren():
        if child.tag.endswith(("}sdt", "}sdtContent")):
            yield from _blocks(child)
        else:
            yield child


def _read_docx(path: Path) -> Document:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    grids, lines = [], []
    tables = 0
    for block in _blocks(document.element.body):
        if block.tag.endswith("}p"):
            paragraph = Paragraph(block, document)
            text = clean_text(paragraph.text)
            if text:
                style = paragraph.style.name if paragraph.style is not None else ""
                lines.append(Line(text, style, tables))
        elif block.tag.endswith("}tbl"):
            tables += 1
            table = Table(block, document)
            grids.append(_docx_grid(table, f"table {tables}", order=tables - 1))
            for row in table.rows:  # a table inside a cell (a legend drawn in the margin)
                for cell in row.cells:
                    for inner in cell.tables:
                        grids.append(_docx_grid(inner, f"table {tables} (inner)", order=tables - 1))
    return Document(grids, lines)


# -- Excel ----------------------------------------------------------------------------------

def _xlsx_fill(cell, theme: list[str]) -> str | None:
    """The cell's solid fill as RRGGBB: an RGB colour, a colour of the old 64-colour palette, or a theme colour
    with its tint (what Excel's colour picker gives)."""
    from openpyxl.styles.colors import COLOR_INDEX

    fill = cell.fill
    if fill is None or fill.fill_type != "solid":
        return None
    colour = fill.fgColor
    if colour is None:
        return None
    if colour.type == "rgb" and isinstance(colour.rgb, str) and len(colour.rgb) >= 6:
        rgb = colour.rgb[-6:].upper()
        return None if rgb in ("000000",) and colour.rgb.startswith("00") else rgb
    if colour.type == "indexed" and isinstance(colour.indexed, int) and colour.indexed < 64:
        return COLOR_INDEX[colour.indexed][-6:].upper()
    if colour.type == "theme" and isinstance(colour.theme, int) and colour.theme < len(theme):
        return _tinted(theme[colour.theme], colour.tint or 0.0)
    return None


def _tinted(rgb: str, tint: float) -> str:
    """Excel's tint: lightness moved towards white (tint > 0) or black (tint < 0), in HLS."""
    import colorsys

    r, g, b = (int(rgb[i:i + 2], 16) / 255 for i in (0, 2, 4))
    hue, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
    lightness = lightness * (1 + tint) if tint < 0 else lightness * (1 - tint) + tint
    return "".join(f"{round(v * 255):02X}" for v in colorsys.hls_to_rgb(hue, lightness, saturation))


def _theme_colours(workbook) -> list[str]:
    """The workbook theme's colours in the order cells index them (light 1 and dark 1 first, then the accents)."""
    from lxml import etree

    if not workbook.loaded_theme:
        return []
    names = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    scheme = etree.fromstring(workbook.loaded_theme).find(".//a:clrScheme", names)
    if scheme is None:
        return []
    colours = []
    for element in scheme:
        value = element.find("a:srgbClr", names)
        system = element.find("a:sysClr", names)
        colours.append((value.get("val") if value is not None else system.get("lastClr", "000000")).upper())
    if len(colours) >= 4:  # the scheme lists dark 1, light 1, dark 2, light 2; cells number them light first
        colours[0], colours[1], colours[2], colours[3] = colours[1], colours[0], colours[3], colours[2]
    return colours


def _xlsx_value(value) -> tuple[str, dt.date | None]:
    if isinstance(value, dt.datetime):
        return format_date(value.date()), value.date()
    if isinstance(value, dt.date):
        return format_date(value), value
    if isinstance(value, float) and value.is_integer():
        return str(int(value)), None
    return clean_text(value), None


def _read_xlsx(path: Path) -> Document:
    from openpyxl import load_workbook

    workbook = load_workbook(str(path), data_only=True)
    theme = _theme_colours(workbook)
    grids = []
    for sheet in workbook.worksheets:
        origin = {}
        for merged in sheet.merged_cells.ranges:
            for row in range(merged.min_row, merged.max_row + 1):
                for col in range(merged.min_col, merged.max_col + 1):
                    if (row, col) != (merged.min_row, merged.min_col):
                        origin[(row, col)] = (merged.min_row, merged.min_col)
        grid = Grid(f"sheet '{sheet.title}'", order=len(grids))
        for r, cells in enumerate(sheet.iter_rows(), start=1):
            row = []
            for c, cell in enumerate(cells, start=1):
                if (r, c) in origin:
                    top_row, top_col = origin[(r, c)]
                    source = row[top_col - 1] if top_row == r else grid.rows[top_row - 1][top_col - 1]
                    row.append(Cell(source.text if top_row < r else "", source.fill, merged_above=top_row < r,
                                    spanned_left=top_row == r, date=source.date if top_row < r else None))
                    continue
                text, date = _xlsx_value(cell.value)
                row.append(Cell(text, _xlsx_fill(cell, theme), date=date))
            grid.rows.append(row)
        width = max((len(r) for r in grid.rows), default=0)
        for row in grid.rows:
            row.extend(Cell() for _ in range(width - len(row)))
        grids.append(grid)
    return Document(grids)


# -- CSV ------------------------------------------------------------------------------------

def _read_csv(path: Path) -> Document:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    grid = Grid("the CSV file")
    for values in csv.reader(io.StringIO(text), dialect):
        grid.rows.append([Cell(clean_text(v)) for v in values])
    width = max((len(r) for r in grid.rows), default=0)
    for row in grid.rows:
        row.extend(Cell() for _ in range(width - len(row)))
    return Document([grid])
