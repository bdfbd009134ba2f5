"""The pack as an editable Word document, in the force's own template when it gives one.

The template supplies the styles, page set-up, header and footer artwork and any cover it has: the pack
starts from the template's own body, fills the fields it marks ({title}, {body}, {meeting}, {date},
{author}, {area}, {period}, {marking}) wherever they are (body, header, footer), and adds its content
after, with the template's own Title, Heading and Table Grid styles where it has them. A template's
header and footer are kept; the marking and "Page N of M" are added to them only when they lack them.
Paragraph numbers are written as text (3.2), so they survive any template's numbering definitions.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from citizenfocus.plans.word import _field, _row_properties, _shade

from .document import Chart, Heading, Pack, Para, TableBlock
from .grid import ICONS

HEADER_FILL = "F3F2F1"


def _style(document, name: str, fallback: str = "Normal") -> str:
    """The template's style of that name, else its fallback: a force's template may lack any of them."""
    names = {s.name for s in document.styles}
    return name if name in names else fallback


def fields(cover) -> dict[str, str]:
    """The template's fields and what the pack writes in them."""
    return {"{title}": cover.title, "{body}": cover.body, "{meeting}": cover.meeting,
            "{date}": f"{cover.date:%d %B %Y}", "{author}": cover.author, "{area}": cover.area,
            "{period}": cover.period, "{marking}": cover.marking}


def _fill(paragraphs, values: dict[str, str]) -> None:
    """Each field in these paragraphs replaced by its value, in the text itself (w:t), so the runs keep
    their formatting and breaks. A field split over runs (Word splits text where formatting or spelling
    marks change) is written where it starts and removed from the runs it spilled into."""
    for paragraph in paragraphs:
        nodes = list(paragraph._p.iter(qn("w:t")))
        texts = [node.text or "" for node in nodes]
        changed, cursor = False, 0  # past the last value written: a value holding a field is left as it is
        while True:
            full = "".join(texts)
            found = [(full.find(key, cursor), key) for key in values if full.find(key, cursor) >= 0]
            if not found:
                break
            start, key = min(found)
            cursor = start + len(values[key])
            value, offset = values[key], 0
            for i, text in enumerate(texts):  # the first node holding the field gets the value
                if offset <= start < offset + len(text):
                    first, first_at = i, start - offset
                    break
                offset += len(text)
            remaining, i, at = len(key), first, first_at
            while remaining:
                take = min(remaining, len(texts[i]) - at)
                texts[i] = texts[i][:at] + (value if i == first else "") + texts[i][at + take:]
                remaining -= take
                i, at = i + 1, 0
            changed = True
        if changed:
            for node, text in zip(nodes, texts, strict=True):
                node.text = text
                node.set(qn("xml:space"), "preserve")


def _all_paragraphs(container):
    yield from container.paragraphs
    for table in container.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from _all_paragraphs(cell)


def _has_content(part) -> bool:
    xml = part._element.xml
    return any(p.text.strip() for p in part.paragraphs) or "<w:drawing" in xml or "<w:pict" in xml or bool(
        part.tables)


def _header_footer(document, pack: Pack) -> None:
    """The marking and title at the top, the marking and page numbers at the foot: written into an empty
    header or footer, added to a template's own only where it lacks them."""
    marking = pack.cover.marking
    for section in document.sections:
        header, footer = section.header, section.footer
        if not _has_content(header) or marking not in "".join(p.text for p in header.paragraphs):
            top = header.paragraphs[0] if not _has_content(header) else header.add_paragraph()
            top.add_run(f"{marking}    ").bold = True
            top.add_run(pack.cover.title).font.size = Pt(8)
        if not _has_content(footer) or " PAGE " not in footer._element.xml:
            foot = footer.paragraphs[0] if not _has_content(footer) else footer.add_paragraph()
            foot.add_run(f"{marking}    ").bold = True
            foot.add_run("Page ")
            _field(foot, "PAGE")
            foot.add_run(" of ")
            _field(foot, "NUMPAGES")


def _cover(document, pack: Pack) -> None:
    cover = pack.cover
    document.add_paragraph(cover.marking).runs[0].bold = True
    document.add_paragraph(cover.title, style=_style(document, "Title"))
    for label, value in (("Report to", cover.body), ("Meeting", cover.meeting), ("Date", f"{cover.date:%d %B %Y}"),
                         ("Author", cover.author), ("Area", cover.area), ("Period", cover.period),
                         ("Protective marking", cover.marking)):
        if value:
            line = document.add_paragraph()
            line.add_run(f"{label}: ").bold = True
            line.add_run(value)
    document.add_page_break()


def _table(document, block: TableBlock) -> None:
    caption = document.add_paragraph(block.caption, style=_style(document, "Caption"))
    caption.runs[0].bold = True
    table = document.add_table(rows=1, cols=len(block.header))
    table.style = _style(document, "Table Grid", table.style.name if table.style else "Normal Table")
    for cell, text in zip(table.rows[0].cells, block.header, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold, run.font.size = True, Pt(7.5)
        _shade(cell, HEADER_FILL)
    _row_properties(table.rows[0], header=True)
    for r, row in enumerate(block.rows):
        cells = table.add_row().cells
        for c, text in enumerate(row):
            paragraph = cells[c].paragraphs[0]
            if c in block.icons:
                letter, colour, _ = ICONS[block.icons[c][r]]
                if letter:  # the icon's letter in its colour, then its words (read aloud and printed)
                    mark = paragraph.add_run(f"({letter}) ")
                    mark.bold, mark.font.size = True, Pt(7.5)
                    mark.font.color.rgb = RGBColor.from_string(colour.lstrip("#"))
            run = paragraph.add_run(text)
            run.font.size = Pt(7.5)
            run.bold = c == 0
            if block.numeric[c]:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph()


def _picture(document, chart: Chart) -> None:
    document.add_picture(io.BytesIO(chart.image()), width=Cm(16))
    # alternative text on the drawing (wp:docPr descr): what Word's "Alt Text" pane shows
    for doc_pr in document.paragraphs[-1]._p.iter(qn("wp:docPr")):
        doc_pr.set("descr", chart.alt)
        doc_pr.set("title", chart.title)


def _heading(document, block: Heading) -> None:
    text = f"{block.number} {block.text}".strip()
    style = _style(document, f"Heading {block.level}")
    paragraph = document.add_paragraph(text, style=style)
    if style == "Normal":
        paragraph.runs[0].bold = True


def _para(document, block: Para) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.left_indent = Cm(1.1)
    paragraph.paragraph_format.first_line_indent = Cm(-1.1)
    number = paragraph.add_run(f"{block.number}\t")
    number.bold = True
    paragraph.add_run(block.text)


def _language(document) -> None:
    r_pr = document.styles["Normal"].element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-GB")
    r_pr.append(lang)


def pack_docx(pack: Pack, *, template: Path | None = None) -> bytes:
    if template is not None:
        from .word_templates import open_template

        document = open_template(template)
        values = fields(pack.cover)
        own_cover = any(key in p.text for p in _all_paragraphs(document) for key in values)
        _fill(_all_paragraphs(document), values)
        for section in document.sections:
            for part in (section.header, section.footer, section.first_page_header, section.first_page_footer,
                         section.even_page_header, section.even_page_footer):
                if not part.is_linked_to_previous:
                    _fill(_all_paragraphs(part), values)
    else:
        document, own_cover = Document(), False
        document.styles["Normal"].font.size = Pt(10)
    _language(document)
    props = document.core_properties
    props.title, props.author, props.subject = pack.cover.title, pack.cover.author, pack.cover.body
    props.keywords = f"{pack.cover.marking}; board report"
    props.language = "en-GB"
    _header_footer(document, pack)
    if own_cover:  # the template's body is its cover, its fields filled: the pack starts on the next page
        if "w:br w:type=\"page\"" not in document.paragraphs[-1]._p.xml:
            document.add_page_break()
    else:
        _cover(document, pack)
    writers = {Heading: _heading, Para: _para, TableBlock: _table, Chart: _picture}
    for block in pack.blocks:
        writers[type(block)](document, block)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
