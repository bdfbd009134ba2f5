"""The pack as files: a tagged PDF/UA-1 whose pages render, an editable Word document (in a force's
template), and the command that writes them."""

import io
import shutil
import subprocess

import pikepdf
import pytest
from docx import Document
from docx.shared import RGBColor
from typer.testing import CliRunner

pytestmark = [pytest.mark.usefixtures("demo_force"), pytest.mark.django_db]


@pytest.fixture(scope="module")
def force_pdf(force_pack):
    from citizenfocus.reports.pdf import pack_pdf

    return pack_pdf(force_pack)


def _structure(node, found: dict) -> dict:
    if isinstance(node, pikepdf.Dictionary):
        kind = node.get("/S")
        if kind is not None:
            found.setdefault(str(kind), []).append(node)
        if node.get("/K") is not None:
            _structure(node.K, found)
    elif isinstance(node, pikepdf.Array):
        for child in node:
            _structure(child, found)
    return found


def test_the_pdf_is_tagged_and_identifies_itself_as_pdf_ua_1(force_pdf):
    pdf = pikepdf.open(io.BytesIO(force_pdf))
    assert pdf.Root.MarkInfo.Marked is True
    assert str(pdf.Root.Lang) == "en-GB"
    assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
    with pdf.open_metadata() as meta:
        assert meta.get("pdfuaid:part") == "1"
        assert meta.get("dc:title").startswith("Victim satisfaction and the gap: Northvale Constabulary")
    tags = _structure(pdf.Root.StructTreeRoot, {})
    assert len(tags["/Figure"]) >= 25 and all(str(f.Alt) for f in tags["/Figure"])
    assert len(tags["/Table"]) >= 40 and len(tags["/TH"]) > len(tags["/Table"])
    levels = sorted(int(k[2:]) for k in tags if k[:2] == "/H" and k[2:].isdigit())
    assert levels == list(range(1, len(levels) + 1))  # PDF/UA: no heading level skipped


def test_the_pdf_passes_the_pdf_ua_1_checks(force_pdf):
    from tests.reports.pdfua import problems

    assert problems(force_pdf) == []
    pdf = pikepdf.open(io.BytesIO(force_pdf))
    headers = _structure(pdf.Root.StructTreeRoot, {})["/TH"]
    scopes = {str(h.A.Scope) for h in headers}
    assert scopes == {"/Column", "/Row"}


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_the_pdf_text_has_the_findings_page_numbers_and_the_running_header(force_pdf, force_pack, tmp_path):
    from citizenfocus.reports.document import Para

    path = tmp_path / "pack.pdf"
    path.write_bytes(force_pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = text.split("\f")
    assert "Page 1 of" in pages[0] and "OFFICIAL" in pages[0]
    assert f"Page 3 of {len(pages) - 1}" in pages[2]
    assert all("Victim satisfaction and the gap" in page for page in pages[1:-1])
    flat = " ".join(text.split())
    finding = next(b for b in force_pack.blocks if isinstance(b, Para) and b.number == "3.1")
    assert " ".join(finding.text.split())[:120] in flat


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils")
def test_the_pdf_pages_render(force_pdf, tmp_path):
    path = tmp_path / "pack.pdf"
    path.write_bytes(force_pdf)
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "3", str(path), str(tmp_path / "page")],
                   check=True)
    assert len(list(tmp_path.glob("page-*.png"))) == 3


def test_the_word_pack_has_the_findings_tables_pictures_with_alt_text_and_page_numbers(force_pack):
    from citizenfocus.reports.document import Para
    from citizenfocus.reports.word import pack_docx

    document = Document(io.BytesIO(pack_docx(force_pack)))
    texts = [p.text for p in document.paragraphs]
    finding = next(b for b in force_pack.blocks if isinstance(b, Para) and b.number == "3.1")
    assert f"3.1\t{finding.text}" in texts
    assert len(document.tables) >= 40 and document.tables[0].rows[0].cells[0].text == "Measure"
    descriptions = [e.get("descr") for e in document.element.body.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")]
    assert len(descriptions) >= 25 and all(descriptions)
    footer = document.sections[0].footer._element.xml
    assert "OFFICIAL" in footer and " PAGE " in footer and " NUMPAGES " in footer


def test_the_word_pack_keeps_the_force_s_template_styles(force_pack, tmp_path):
    from citizenfocus.reports.word import pack_docx

    template = Document()
    template.styles["Heading 1"].font.color.rgb = RGBColor(0x00, 0x30, 0x78)
    template.core_properties.category = "Force template"
    path = tmp_path / "force-template.docx"
    template.save(path)
    document = Document(io.BytesIO(pack_docx(force_pack, template=path)))
    assert document.styles["Heading 1"].font.color.rgb == RGBColor(0x00, 0x30, 0x78)
    assert any(p.style.name == "Heading 1" and p.text == "1. Purpose and recommendation" for p in document.paragraphs)


def test_the_command_writes_the_pack_and_prints_its_path(tmp_path, monkeypatch):
    from citizenfocus.cli import app

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["board-pack", "--format", "docx", "--division", "Southern",
                                      "--period", "2014-03"])
    assert result.exit_code == 0, result.output
    path = tmp_path / "board-pack-southern-division-12-months-to-march-2014.docx"
    assert result.stdout.strip().splitlines()[-1] == str(path)
    assert Document(str(path)).core_properties.title == "Victim satisfaction and the gap: Southern division, " \
                                                         "12 months to March 2014"


@pytest.mark.parametrize(("args", "message"), [
    (["--format", "pdf", "--division", "Nowhere"], "error: no division 'Nowhere'; the divisions are: Central"),
    (["--format", "pdf", "--period", "quarter:2013-Q4"], "error: --period 'quarter:2013-Q4': the pack reports "
                                                         "rolling 12 months"),
    (["--format", "rtf"], "error: --format 'rtf': expected pdf or docx"),
    (["--format", "pdf", "--meeting", "999"], "error: no board meeting number 999"),
])
def test_the_command_refuses_what_it_cannot_do_in_one_line(args, message, tmp_path, monkeypatch):
    from citizenfocus.cli import app

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["board-pack", *args])
    assert result.exit_code == 1
    assert result.stderr.strip().startswith(message), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and not list(tmp_path.iterdir())
