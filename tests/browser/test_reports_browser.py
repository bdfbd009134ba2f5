"""An analyst builds a board pack from the Reports page, watches it build, and downloads it; axe on each page."""

import pytest

from .conftest import axe_violations, screenshot

pytestmark = pytest.mark.browser


def _no_violations(page, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{where}: " + "; ".join(f"{v['id']}: {v['help']}" for v in violations)


def test_an_analyst_builds_a_division_pack_and_downloads_the_word_file(log_in, tmp_path):
    from docx import Document

    page = log_in("analyst")
    page.goto("/reports/")
    _no_violations(page, "reports")
    # a file that is not Word is refused, with words; then the force's template is kept
    (tmp_path / "notes.docx").write_text("not a Word file")
    page.get_by_label("Name").fill("Force report template")
    page.get_by_label("Word file (.docx or .dotx)").set_input_files(str(tmp_path / "notes.docx"))
    with page.expect_navigation():
        page.get_by_role("button", name="Upload the template").click()
    assert "The template was not kept" in page.content() and "notes.docx: the content is not a Word file" in \
        page.content()
    _no_violations(page, "reports, a refused template")
    template = Document()
    template.add_paragraph("{title}")
    template.add_paragraph("Northvale Police and Crime Panel")
    template.save(tmp_path / "force.docx")
    page.get_by_label("Name").fill("Force report template")
    page.get_by_label("Word file (.docx or .dotx)").set_input_files(str(tmp_path / "force.docx"))
    with page.expect_navigation():
        page.get_by_role("button", name="Upload the template").click()
    assert "The Word template is kept" in page.content()
    _no_violations(page, "reports, a template kept")
    screenshot(page, "reports-template-kept")
    page.get_by_label("Word template", exact=True).select_option(label=page.locator("#id_template option").nth(1).inner_text())
    page.get_by_label("Satisfaction with and without").select_option(label="Violent crime")
    page.get_by_label("Division").select_option(label="Central")
    page.get_by_label("Rolling 12 months to (YYYY-MM)").fill("2014-03")
    page.get_by_label("Word (editable)").check()
    page.get_by_label("Recommendation").fill("That the board notes the Central division's figures.")
    with page.expect_navigation():
        page.get_by_role("button", name="Build the pack").click()
    assert "/reports/" in page.url
    # the page follows the build through its JSON twin and reloads when it is done: wait for that
    download_link = page.get_by_role("link", name="Download board-pack-central-division-12-months-to-march-2014.docx")
    download_link.wait_for(timeout=240000)
    _no_violations(page, "pack")
    screenshot(page, "reports-pack-ready")
    with page.expect_download() as caught:
        download_link.click()
    path = tmp_path / caught.value.suggested_filename
    caught.value.save_as(path)
    texts = [p.text for p in Document(str(path)).paragraphs]
    assert texts[:2] == ["Victim satisfaction and the gap: Central division, 12 months to March 2014",
                         "Northvale Police and Crime Panel"]
    assert "1.2\tRecommendation: That the board notes the Central division's figures." in texts
    assert any("violent crime alone:" in t for t in texts)
    page.goto("/reports/")
    assert page.get_by_role("link", name="board-pack-central-division-12-months-to-march-2014.docx").count() >= 1


def test_a_board_member_has_no_reports_page(log_in):
    page = log_in("board")
    assert page.goto("/reports/").status == 403
    page.goto("/performance/overview/")
    assert page.get_by_role("link", name="Reports").count() == 0
