"""The pack as an accessible, tagged PDF (PDF/UA-1), from HTML and CSS by WeasyPrint.

WeasyPrint: pure Python over Pango (already a Debian library), writes tagged PDF/UA-1 from the same HTML
semantics a web page has (headings, table headers, image alt text), with page numbers and running
headers in CSS. It finds DejaVu Sans through fontconfig (Debian's fonts-dejavu-core; an @font-face
pointing at the package's copy tripled the time to write a pack). LibreOffice would need the Word file first
and a headless office per pack; a browser's print-to-PDF writes no PDF/UA identification.

Charts reach WeasyPrint as `chart:N` addresses its fetcher answers from the pack (a chart still being drawn
is waited for), not as data: addresses, which made a 10 MB page to parse. WeasyPrint ties each table
header to its cells with Headers and IDs; the header's Scope (Column in the head, Row for the first cell
of a body row: the HTML's scope attributes), which PDF/UA checkers and some screen readers look for, is
written as WeasyPrint tags the PDF (_install_header_scopes), or added afterwards with pikepdf where that
cannot be done (header_scopes).
"""

from __future__ import annotations

import gc
import io
import struct
import threading
from contextlib import contextmanager
from pathlib import Path

from django.template.loader import render_to_string

from citizenfocus.performance.charts import FONT_DIRECTORY

from .document import Chart, Pack, TableBlock
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


CHART = "chart:"


def _item(block, number: int) -> dict:
    item = {"kind": type(block).__name__.lower(), "block": block}
    if item["kind"] == "chart":
        item["src"] = f"{CHART}{number}"
    elif item["kind"] == "tableblock":
        item["rows"] = _rows(block)
        item["widths"] = column_widths(block)
    return item


LINE = 118  # characters of the tables' 7.5pt DejaVu Sans across the page, less the cells' padding
PADDING = 2  # characters for a cell's padding
UNBROKEN = 16  # characters: a text column whose longest text is no longer is not wrapped


def column_widths(block: TableBlock) -> list[int]:
    """Each column's share of the table's width (per cent), from the lengths of its texts. The table is laid out
    at these widths (CSS fixed table layout) instead of measuring every cell's text twice for the automatic
    layout (in a profile, a quarter of WeasyPrint's layout of the pack). As the automatic layout would: a number
    column (never wrapped) gets its longest figure, a text column at least its longest word (its longest text
    when that is short), and what is left of the line goes to the columns whose text would wrap, by how much
    of it would."""
    least, most = [], []
    for c, head in enumerate(block.header):
        texts = [row[c] for row in block.rows]
        longest = max((len(t) for t in texts), default=0)
        word = max((len(w) for t in [*texts, head] for w in t.split()), default=1)
        extra = PADDING + (3 if c in block.icons else 0)
        # a short text (a month, a neighbourhood's name) is kept on one line, as a figure is: "September
        # 2013" broken over two lines made each row of the monthly tables two lines high
        low = max(longest, word) if block.numeric[c] or longest <= UNBROKEN else word
        bold = 1.25 if c == 0 else 1.0  # a row's first cell is its header, in bold
        least.append(low * bold + extra)
        most.append(max(longest, low, min(len(head), 16)) * bold + extra)
    if not least:
        return []
    spare = LINE - sum(least)
    if sum(most) <= LINE:  # everything fits unwrapped: widths by length, the table filling the line
        sizes = most
    elif spare <= 0:  # even the least each needs is more than the line: those, scaled to it
        sizes = least
    else:
        wanted = sum(m - n for m, n in zip(most, least, strict=True))
        sizes = [n + spare * (m - n) / wanted for m, n in zip(most, least, strict=True)]
    total = sum(sizes)
    widths = [max(1, round(100 * n / total)) for n in sizes]
    widths[max(range(len(widths)), key=widths.__getitem__)] -= sum(widths) - 100  # exactly 100
    return widths


def _fetcher(pack: Pack):
    """WeasyPrint's fetcher, answering chart:N with the pack's Nth chart picture; nothing else is fetched
    (the pack's HTML has no other address: no file or network read from a pack's text)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    found = pack.charts

    class PackFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith(CHART) and url[len(CHART):].isdigit() and int(url[len(CHART):]) < len(found):
                return URLFetcherResponse(url, found[int(url[len(CHART):])].image(), {"Content-Type": "image/png"})
            raise ValueError(f"the pack fetches its own charts only, not {url[:60]!r}")

    return PackFetcher(fail_on_errors=True)


STYLESHEET = Path(__file__).resolve().parent / "templates" / "reports" / "pack_document.css"


def pack_html(pack: Pack) -> str:
    items, charts = [], 0
    for block in pack.blocks:
        items.append(_item(block, charts))
        charts += isinstance(block, Chart)
    return render_to_string("reports/pack_document.html", {"cover": pack.cover, "blocks": items})


def icon_css() -> str:
    """Each icon's colour, from the one table of icons the Word pack also reads; the tables' column widths."""
    return "\n".join([*(f".icon-{key} {{ background: {colour}; }}" for key, (_, colour, _) in ICONS.items() if colour),
                      *(f"col.w{n} {{ width: {n}%; }}" for n in range(1, 101))])


def header_scopes(content: bytes) -> bytes:
    """The PDF with each table header's Scope: Column for a header in the table's head, Row otherwise (the
    first cell of a body row), as the HTML's scope attributes say."""
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(content))
    stack = [(pdf.Root.StructTreeRoot.get("/K"), False)]
    while stack:
        node, in_head = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend((child, in_head) for child in node)
        elif isinstance(node, pikepdf.Dictionary) and node.get("/S") is not None:
            kind = str(node.S)
            if kind == "/TH":
                attributes = node.get("/A")
                if not isinstance(attributes, pikepdf.Dictionary):
                    attributes = node.A = pikepdf.Dictionary(O=pikepdf.Name.Table)
                attributes.Scope = pikepdf.Name.Column if in_head else pikepdf.Name.Row
            elif node.get("/K") is not None:
                stack.append((node.K, in_head or kind == "/THead"))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _install_header_scopes() -> bool:
    """Each table header's Scope written as WeasyPrint (70) tags the PDF, from the HTML's scope attribute (Row
    for scope="row" or "rowgroup", Column otherwise, as WeasyPrint itself ties headers to cells), instead of
    opening the written PDF again with pikepdf to add them (header_scopes: about 0.3 s of a pack's 6). False
    where this WeasyPrint tags otherwise: the PDF then goes through header_scopes."""
    try:
        from weasyprint.pdf import tags
    except ImportError:
        return False
    build = getattr(tags, "_build_box_tree", None)
    if build is None:
        return False
    if getattr(build, "adds_scopes", False):
        return True

    def build_box_tree(box, *args, **kwargs):
        for element in build(box, *args, **kwargs):
            attributes = element.get("A")
            if (element.get("S") == "/TH" and box.element is not None and box.element_tag == "th"
                    and isinstance(attributes, dict)):
                scope = box.element.attrib.get("scope")
                attributes["Scope"] = "/Row" if scope in ("row", "rowgroup") else "/Column"
            yield element

    build_box_tree.adds_scopes = True
    tags._build_box_tree = build_box_tree
    return True


_writing = threading.Lock()
_writers = 0
_collector_was_enabled = True


@contextmanager
def cycle_collector_paused():
    """Python's cycle collector paused while a PDF is laid out. WeasyPrint makes millions of short-lived
    objects (boxes, styles, lines); the collector ran over them again and again while they lived, an eighth
    of the PDF's time. Reference counting frees them as before; the collector resumes (as it was) when the
    last PDF being written in the process is done, and collects any cycles then."""
    global _writers, _collector_was_enabled
    with _writing:
        if _writers == 0:
            _collector_was_enabled = gc.isenabled()
            gc.disable()
        _writers += 1
    try:
        yield
    finally:
        with _writing:
            _writers -= 1
            if _writers == 0 and _collector_was_enabled:
                gc.enable()


SCOPES_WHILE_TAGGING = True  # False: the scopes added to the written PDF by header_scopes (the benchmark's before)
PNG_PASSED_THROUGH = True  # False: WeasyPrint decodes each chart's PNG and encodes it again (the benchmark's before)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_image_data(png: bytes) -> bytes | None:
    """The compressed image data (the IDAT chunks joined) of a PNG a PDF can hold as it is, or None.

    A PDF image with /FlateDecode and a PNG predictor (WeasyPrint writes Predictor 15) holds exactly a PNG's
    IDAT data when the PNG is 8-bit grey or RGB without alpha, not interlaced: the rows' filter bytes and
    the zlib stream are what the PDF reader undoes. Anything else (a palette, alpha, 16 bits, interlacing,
    a damaged file) is None, and WeasyPrint's own decoding and encoding is used."""
    if png[:8] != PNG_SIGNATURE or png[12:16] != b"IHDR" or len(png) < 33:
        return None
    depth, colour, compression, filtering, interlace = png[24:29]
    if depth != 8 or colour not in (0, 2) or compression or filtering or interlace:
        return None
    data, at = [], 8
    while at + 8 <= len(png):
        length, kind = struct.unpack("!I4s", png[at:at + 8])
        if at + 12 + length > len(png):
            return None
        if kind == b"IDAT":
            data.append(png[at + 8:at + 8 + length])
        elif kind == b"IEND":
            return b"".join(data) or None
        at += 12 + length
    return None


def _install_png_pass_through() -> None:
    """WeasyPrint (70) keeps a PNG's bytes but, writing the PDF, decodes each one with Pillow and encodes it
    again only to take its IDAT data (about 25 ms a chart, 0.8 s a pack): the data is taken from the PNG as
    it is instead, when it can be (png_image_data), the same pixels and the same PDF image dictionary."""
    from weasyprint.images import RasterImage

    encode = RasterImage.__dict__["_get_png_data"].__func__
    if getattr(encode, "passes_png_through", False):
        return

    def get_png_data(pillow_image):
        source = getattr(pillow_image, "fp", None)
        if PNG_PASSED_THROUGH and pillow_image.format == "PNG" and isinstance(source, io.BytesIO):
            data = png_image_data(source.getvalue())
            if data is not None and pillow_image.mode in ("RGB", "L"):
                return data
        return encode(pillow_image)

    get_png_data.passes_png_through = True
    RasterImage._get_png_data = staticmethod(get_png_data)


def pack_pdf(pack: Pack) -> bytes:
    from weasyprint import CSS, HTML

    _install_png_pass_through()
    scoped = SCOPES_WHILE_TAGGING and _install_header_scopes()
    for chart in pack.charts:  # any not yet drawn start now, while WeasyPrint reads the page and its styles
        chart.start()
    with cycle_collector_paused():
        content = HTML(string=pack_html(pack), base_url=str(FONT_DIRECTORY), url_fetcher=_fetcher(pack)).write_pdf(
            stylesheets=[CSS(filename=str(STYLESHEET)), CSS(string=icon_css())], pdf_variant="pdf/ua-1",
            custom_metadata=True)
        return content if scoped else header_scopes(content)
