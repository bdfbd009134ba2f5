"""The PDF/UA-1 checker (tests/reports/pdfua.py) finds each fault it claims to: a checker that cannot fail
would pass any pack."""

import io

import pikepdf
import pytest

from tests.reports.pdfua import problems

PAGE = """<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>A small paper</title></head><body>
<h1>A small paper</h1><p>Its text.</p>{extra}
<table><caption>Rates</caption><thead><tr><th scope="col">Area</th><th scope="col">Rate</th></tr></thead>
<tbody><tr><th scope="row">North</th><td>77.1%</td></tr></tbody></table>
<figure><img src="data:image/png;base64,{png}" alt="A blue square"></figure></body></html>"""
# one blue pixel
PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGNgYPgPAAEDAQAIicLsAAAAAElFTkSuQmCC")


def _pdf(extra: str = "", **options) -> bytes:
    from weasyprint import HTML

    from citizenfocus.reports.pdf import header_scopes

    content = HTML(string=PAGE.format(extra=extra, png=PNG)).write_pdf(**options)
    return header_scopes(content) if options.get("pdf_variant") else content


def _edit(content: bytes, change) -> bytes:
    pdf = pikepdf.open(io.BytesIO(content))
    change(pdf)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _elements(pdf, kind: str) -> list:
    found, stack = [], [pdf.Root.StructTreeRoot.K]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(node)
        elif isinstance(node, pikepdf.Dictionary) and node.get("/S") is not None:
            if str(node.S) == kind:
                found.append(node)
            if node.get("/K") is not None:
                stack.append(node.K)
    return found


@pytest.fixture(scope="module")
def tagged():
    return _pdf(pdf_variant="pdf/ua-1", custom_metadata=True)


def test_a_small_tagged_paper_passes(tagged):
    assert problems(tagged) == []


def test_an_untagged_pdf_fails_on_tags_identification_and_content():
    found = problems(_pdf())
    assert "not marked as tagged (MarkInfo /Marked true)" in found
    assert "no structure tree (StructTreeRoot)" in found
    assert "not identified as PDF/UA-1 in the XMP metadata (pdfuaid:part 1)" in found


def test_a_skipped_heading_level_is_found():
    found = problems(_pdf("<h3>Too deep</h3>", pdf_variant="pdf/ua-1", custom_metadata=True))
    assert found == ["heading H3 follows H1: a level is skipped"]


@pytest.mark.parametrize(("change", "message"), [
    (lambda pdf: _elements(pdf, "/Figure")[0].__delitem__("/Alt"), "a Figure has no alternative text (/Alt)"),
    (lambda pdf: _elements(pdf, "/TH")[0].A.__delitem__("/Scope"), "a table header (TH, ID "),
    (lambda pdf: pdf.Root.__delitem__("/Lang"), "no document language (/Lang)"),
    (lambda pdf: pdf.Root.ViewerPreferences.__setitem__("/DisplayDocTitle", False),
     "the title is not displayed (ViewerPreferences /DisplayDocTitle true)"),
    (lambda pdf: pdf.Root.MarkInfo.__setitem__("/Marked", False), "not marked as tagged (MarkInfo /Marked true)"),
    (lambda pdf: _elements(pdf, "/P")[0].__setitem__("/S", pikepdf.Name("/Paragraph")),
     "structure type /Paragraph is not standard and not role-mapped to one"),
    (lambda pdf: pdf.pages[0].contents_add(pdf.make_stream(b"BT /F9 12 Tf (untagged) Tj ET"), prepend=False),
     "page 1: 1 drawing operation(s) neither tagged nor marked as artifact"),
    (lambda pdf: pdf.pages[0].Resources.Font.__setitem__("/F9", pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)),
     "font /Helvetica is not embedded"),
])
def test_each_fault_is_found_and_named(tagged, change, message):
    found = problems(_edit(tagged, change))
    assert any(p.startswith(message) for p in found), found


def test_a_role_mapped_type_is_accepted(tagged):
    def rename(pdf):
        _elements(pdf, "/P")[0].S = pikepdf.Name("/Paragraph")
        pdf.Root.StructTreeRoot.RoleMap = pikepdf.Dictionary(Paragraph=pikepdf.Name.P)

    assert problems(_edit(tagged, rename)) == []
