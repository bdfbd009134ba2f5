"""The pack as an accessible, tagged PDF (PDF/UA-1), from HTML and CSS by WeasyPrint.

WeasyPrint: pure Python over Pango (already a Debian library), writes tagged PDF/UA-1 from the same HTML
semantics a web page has (headings, table headers, image alt text), with page numbers and running
headers in CSS. It finds DejaVu Sans through fontconfig (Debian's fonts-dejavu-core; an @font-face
pointing at the package's copy tripled the time to write a pack). LibreOffice would need the Word file first and a headless office per pack; a browser's
print-to-PDF writes no PDF/UA identification.
"""

from __future__ import annotations

import base64
from pathlib import Path

from django.template.loader import render_to_string

from citizenfocus.performance.charts import FONT_DIRECTORY

from .document import Pack, TableBlock
from .grid import ICONS


def _rows(block: TableBlock) -> list[list[dict]]:
    rows = []
    for r, row in enumerate(block.rows):
        cells = []
        for c, text in enumerate(row):
            icon = block.icons[c][r] if c in block.icons else ""
            letter = ICONS[icon][0] if icon else ""
            cells.append({"text": text, "numeric": block.numeric[c], "letter": letter, "icon": icon})
        rows.append(cells)
    return rows


def _item(block) -> dict:
    item = {"kind": type(block).__name__.lower(), "block": block}
    if item["kind"] == "chart":
        item["src"] = "data:image/png;base64," + base64.b64encode(block.png).decode()
    elif item["kind"] == "tableblock":
        item["rows"] = _rows(block)
    return item


STYLESHEET = Path(__file__).resolve().parent / "templates" / "reports" / "pack_document.css"


def pack_html(pack: Pack) -> str:
    return render_to_string("reports/pack_document.html", {
        "cover": pack.cover, "blocks": [_item(b) for b in pack.blocks]})


def icon_css() -> str:
    """Each icon's colour, from the one table of icons the Word pack also reads."""
    return "\n".join(f".icon-{key} {{ background: {colour}; }}" for key, (_, colour, _) in ICONS.items() if colour)


def pack_pdf(pack: Pack) -> bytes:
    from weasyprint import CSS, HTML

    return HTML(string=pack_html(pack), base_url=str(FONT_DIRECTORY)).write_pdf(
        stylesheets=[CSS(filename=str(STYLESHEET)), CSS(string=icon_css())], pdf_variant="pdf/ua-1",
        custom_metadata=True)
