"""The board's Word table: a document a scrutiny panel can read and a force can file.

Landscape A4; the protective marking (OFFICIAL by default, the setting
CITIZENFOCUS_PLANS_PROTECTIVE_MARKING) at the top and foot of every page; a footer
with the force, the plan, the date its RAG is worked out as at, and "Page 2 of 7";
the document's author and title set to the force and the plan. The table has fixed
column widths that fit their content (Ref narrow, the position wide), its header
row repeated on every page, rows that do not break across pages, and each row
carrying its recommendation's and response's refs (with a few words of their text)
so a row read on a later page says what it answers. The progress cell is shaded by
RAG and says it in words; with a meeting chosen, changed cells are bold on pale
yellow and the last column says what changed.
"""

from __future__ import annotations

import datetime as dt
import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from . import rag as rag_rules
from .board import CHANGED_FILL, changed_title, short, table
from .config import protective_marking
from .importing.text import format_date
from .models import Meeting, Plan
from .selectors import COLUMNS

PAGE_WIDTH_CM, PAGE_HEIGHT_CM, MARGIN_CM = 29.7, 21.0, 1.5
TEXT_WIDTH_CM = PAGE_WIDTH_CM - 2 * MARGIN_CM
# Centimetres, filling the 26.7 cm between the margins: the ref narrow, the position widest, each header word
# ("Recommendation", "Completion") on one line.
WIDTHS_CM = {"ref": 1.2, "level1": 4.0, "level2": 4.0, "owner": 3.2, "position": 8.3, "progress": 2.8, "date": 3.2}
# With the "changed since" column the others give way, the position least.
WIDTHS_SINCE_CM = {"ref": 1.1, "level1": 3.4, "level2": 3.2, "owner": 2.6, "position": 6.8, "progress": 2.3,
                   "date": 2.5, "changes": 4.8}
GREY = RGBColor(0x59, 0x59, 0x59)


def force_name() -> str:
    from citizenfocus.areas.models import Force

    force = Force.objects.order_by("pk").first()
    return force.name if force else "citizenfocus"


def word_document(plan: Plan, *, as_at: dt.date, since: Meeting | None, today: dt.date) -> bytes:
    titles, rows, values = table(plan, as_at=as_at, since=since)
    marking, force = protective_marking(), force_name()
    document = Document()
    _page(document, marking=marking, footer=f"{force} \u00b7 {plan.title} \u00b7 RAG as at {format_date(as_at)}")
    _properties(document, plan, force=force, marking=marking, as_at=as_at, today=today)
    _styles(document)
    heading = document.add_heading(plan.title, level=1)
    for run in heading.runs:
        run.font.color.rgb = RGBColor(0, 0, 0)
    for line in _intro(plan, as_at, since):
        document.add_paragraph(line)
    _key(document, plan)
    _plan_table(document, titles + ([changed_title(since)] if since else []), rows, values, since=since)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _plan_table(document, titles: list[str], rows, values, *, since: Meeting | None) -> None:
    widths = WIDTHS_SINCE_CM if since else WIDTHS_CM
    grid = document.add_table(rows=len(rows) + 1, cols=len(titles))
    grid.style = "Table Grid"
    _fixed_widths(grid, [widths[c] for c in COLUMNS] + ([widths["changes"]] if since else []))
    for index, title in enumerate(titles):
        _write(grid.cell(0, index), title, bold=True, size=8.5)
        _shade(grid.cell(0, index), "D9D9D9")
    _row_properties(grid.rows[0], header=True)
    for r, (row, cell_values) in enumerate(zip(rows, values, strict=True), start=1):
        _row_properties(grid.rows[r])
        for c, column in enumerate(COLUMNS):
            _plan_cell(grid.cell(r, c), column, row, cell_values[column])
        if since:
            _write(grid.cell(r, len(COLUMNS)), "\n".join(row.changes), bold=bool(row.changes))
            if row.changes:
                _shade(grid.cell(r, len(COLUMNS)), CHANGED_FILL)


def _plan_cell(cell, column: str, row, text: str) -> None:
    """One cell of the plan's table; a recommendation or response already given in full above is its context."""
    changed = column in row.changed
    if column == "level1" and not row.rec_span:
        _context(cell, short(row.recommendation.text))
    elif column == "level2" and not row.response_span and row.response is not None:
        _context(cell, short(row.response.text, 8), ref=row.response.ref)
    elif column == "position":
        _position(cell, text, row, bold=changed)
    else:
        _write(cell, text, bold=changed or column == "ref")
    if column == "progress" and row.rag is not None:
        _shade(cell, row.rag.fill)
    elif changed:
        _shade(cell, CHANGED_FILL)


def about(plan: Plan) -> str:
    """"Scrutiny panel report: the force's response to the Police Authority Scrutiny Group" (read back on import)."""
    source, body = plan.get_source_display(), plan.owning_body
    if not body:
        return source
    the = "" if body.split()[0].isupper() or body.lower().startswith("the ") else "the "  # "to HMICFRS"
    return f"{source}: the force's response to {the}{body}"


def _intro(plan: Plan, as_at: dt.date, since: Meeting | None) -> list[str]:
    lines = [f"{about(plan)}. Each action's status, dates and positions are as the plan records them; its RAG is "
             f"worked out as at {format_date(as_at)}."]
    if since is not None:
        lines.append(f"Cells changed since {since.title} on {format_date(since.held_on)} are in bold on a pale yellow "
                     "background; the last column says what changed.")
    return lines


def _key(document, plan: Plan) -> None:
    days = plan.amber_days()
    entries = [("red", "Red: overdue, or blocked"),
               ("amber", f"Amber: due within {days} days and not started, or status not known"),
               ("green", "Green: on track, or completed")]
    key = document.add_table(rows=1, cols=3)
    key.style = "Table Grid"
    _fixed_widths(key, [TEXT_WIDTH_CM / 3] * 3)
    for index, (colour, words) in enumerate(entries):
        _write(key.cell(0, index), words)
        _shade(key.cell(0, index), rag_rules.FILLS[colour])
    document.add_paragraph("")


# -- the page: size, marking, footer with page numbers, document properties -------------------

def _page(document, *, marking: str, footer: str) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(PAGE_WIDTH_CM), Cm(PAGE_HEIGHT_CM)
    for side in ("left_margin", "right_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN_CM))
    section.top_margin = Cm(1.7)
    section.header_distance = section.footer_distance = Cm(0.7)
    top = section.header.paragraphs[0]
    top.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(top, marking, bold=True, size=10)
    mark = section.footer.paragraphs[0]
    mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(mark, marking, bold=True, size=10)
    line = section.footer.add_paragraph()
    line.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT)
    _run(line, footer + "\t", size=8)
    _run(line, "Page ", size=8)
    _field(line, "PAGE")
    _run(line, " of ", size=8)
    _field(line, "NUMPAGES")


def _field(paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) the reader's Word or LibreOffice fills in."""
    for kind, text in (("begin", None), ("instr", f" {code} "), ("separate", None), ("text", "1"), ("end", None)):
        run = paragraph.add_run()
        run.font.size = Pt(8)
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        elif kind == "text":
            run.text = text
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)


def _properties(document, plan: Plan, *, force: str, marking: str, as_at: dt.date, today: dt.date) -> None:
    from django.utils import timezone

    props = document.core_properties
    props.author = props.last_modified_by = force
    props.title = plan.title
    props.subject = about(plan)
    props.keywords = f"{marking}; action plan; RAG as at {as_at.isoformat()}"
    props.category = "Action plan"
    props.comments = f"Exported by citizenfocus on {format_date(today)}; RAG as at {format_date(as_at)}."
    props.language = "en-GB"
    props.created = props.modified = timezone.now().replace(microsecond=0, tzinfo=None)
    props.revision = 1


def _styles(document) -> None:
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    r_pr = normal.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), "Arial")
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-GB")
    r_pr.append(lang)


# -- the table: widths, rows, cells ---------------------------------------------------------------

def _fixed_widths(grid, widths_cm: list[float]) -> None:
    """Fixed layout, so Word and LibreOffice keep the widths instead of sizing columns to their longest word."""
    grid.autofit = False  # <w:tblLayout w:type="fixed"/>
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    tbl_pr = grid._tbl.tblPr
    width = tbl_pr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tbl_pr.append(width)
    width.set(qn("w:w"), str(int(sum(widths_cm) * 567)))
    width.set(qn("w:type"), "dxa")
    for column, cm in zip(grid.columns, widths_cm, strict=True):
        column.width = Cm(cm)
        for cell in column.cells:
            cell.width = Cm(cm)


def _row_properties(row, *, header: bool = False) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    if header:
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        tr_pr.append(repeat)
    keep = OxmlElement("w:cantSplit")
    keep.set(qn("w:val"), "true")
    tr_pr.append(keep)


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    for old in tc_pr.findall(qn("w:shd")):
        tc_pr.remove(old)
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _run(paragraph, text: str, *, bold: bool = False, italic: bool = False, size: float = 9, colour=None):
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    run.font.size = Pt(size)
    if colour is not None:
        run.font.color.rgb = colour
    return run


def _paragraphs(cell, lines: list[str]):
    paragraph = cell.paragraphs[0]
    for index, _ in enumerate(lines):
        if index:
            paragraph = cell.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(2)
        yield paragraph


def _write(cell, text: str, *, bold: bool = False, size: float = 9) -> None:
    lines = text.split("\n") if text else [""]
    for paragraph, line in zip(_paragraphs(cell, lines), lines, strict=True):
        _run(paragraph, line, bold=bold, size=size)


def _context(cell, text: str, *, ref: str = "") -> None:
    """The recommendation or response this row answers, shortened: for a reader on a later page."""
    paragraph = next(_paragraphs(cell, [""]))
    if ref:
        _run(paragraph, f"{ref} ", size=8, colour=GREY)
    _run(paragraph, f"(continued) {text}", italic=True, size=8, colour=GREY)


def _position(cell, text: str, row, *, bold: bool) -> None:
    """The action's ref in bold, then its description and each dated update, the date in bold."""
    lines = text.split("\n") if text else [""]
    for index, (paragraph, line) in enumerate(zip(_paragraphs(cell, lines), lines, strict=True)):
        head, sep, rest = line.partition(": ") if line.startswith("Update ") else ("", "", line)
        if index == 0 and row.action is not None and line.startswith(f"{row.action.ref}."):
            head, sep, rest = row.action.ref + ".", "", line[len(row.action.ref) + 1:]
        if head:
            _run(paragraph, head + sep, bold=True)
        _run(paragraph, rest, bold=bold)
