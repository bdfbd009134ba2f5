"""Every dashboard and plan page prints for a board: the figures, not the controls that chose them."""

import shutil
import subprocess

import pytest

from citizenfocus.performance.pages import PAGES

pytestmark = pytest.mark.browser


def _printed_text(page, tmp_path, name: str) -> str:
    page.emulate_media(media="print")
    path = tmp_path / f"{name}.pdf"
    page.pdf(path=str(path), format="A4", print_background=True)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_dashboard_and_plan_pages_print_their_tables_without_forms_and_navigation(log_in, tmp_path):
    page = log_in("board")
    for key in PAGES:
        page.goto(f"/performance/{key}/")
        page.wait_for_selector("table.data caption")
        caption = page.locator("table.data caption").first.inner_text()
        assert page.locator("form.filters").first.is_visible()
        text = " ".join(_printed_text(page, tmp_path, key).split())
        assert " ".join(caption.split())[:40] in text, key
        assert "Log out" not in text and "Action plans" not in text, key  # the site's navigation is off paper
        page.emulate_media(media="screen")
    page.goto("/plans/")
    page.get_by_role("link", name="Closing the gap").first.click()
    page.wait_for_selector("table")
    heading = page.locator("h1").first.inner_text()
    text = " ".join(_printed_text(page, tmp_path, "plan").split())
    assert " ".join(heading.split())[:30] in text and "Log out" not in text
