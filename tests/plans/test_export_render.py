"""The exported Word table as a reader sees it: rendered by LibreOffice to PDF, then to PNG with poppler.

Checks what a panel would notice on paper: every page marked OFFICIAL at the top and foot, numbered "Page i of
n", the header row repeated, the as-at date in the footer, the table inside the page, landscape pages. The PNGs
go to test-artifacts/plans-export/ for a person to look at. Without LibreOffice or poppler this skips on a
laptop, but FAILS when CI=true (CI installs libreoffice-writer-nogui and poppler-utils).
"""

import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone

from citizenfocus.plans import services
from citizenfocus.plans.exporting import plan_export
from citizenfocus.plans.models import Action

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "plans-export"
TOOLS = ("libreoffice", "pdftoppm", "pdftotext", "pdfinfo")


def _require_tools():
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        message = (f"{', '.join(missing)} not installed "
                   "(apt-get install libreoffice-writer-nogui poppler-utils)")
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)


def _run(*args, cwd: Path) -> str:
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, f"{args[0]} failed: {result.stderr[-500:]}"
    return result.stdout


def _render(docx: bytes, folder: Path, name: str) -> tuple[Path, list[Path]]:
    source = folder / f"{name}.docx"
    source.write_bytes(docx)
    # A profile of its own: a second LibreOffice (another test, a person's desktop) does not block this one.
    _run("libreoffice", f"-env:UserInstallation=file://{folder / 'profile'}", "--headless", "--convert-to", "pdf",
         "--outdir", str(folder), str(source), cwd=folder)
    pdf = folder / f"{name}.pdf"
    _run("pdftoppm", "-png", "-r", "60", str(pdf), str(folder / name), cwd=folder)
    return pdf, sorted(folder.glob(f"{name}-*.png"))


def _png_size(path: Path) -> tuple[int, int]:
    with path.open("rb") as handle:
        head = handle.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def _pages_text(pdf: Path, folder: Path, pages: int) -> list[str]:
    return [_run("pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-", cwd=folder)
            for n in range(1, pages + 1)]


def test_the_exported_plan_renders_as_a_board_would_read_it(imported, users, small_force, tmp_path):
    _require_tools()
    focus = Action.objects.get(ref="2.1.B")
    meeting = services.meeting_record(plan=imported, user=users["analyst"], title="Citizen Focus Board",
                                      held_on=timezone.localdate())
    services.action_update(action=focus, user=users["analyst"], status="work_underway",
                           text="First focus group held with the Independent Advisory Group.")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, since in (("plan", None), ("plan-since-meeting", meeting)):
        pdf, pngs = _render(plan_export(imported, "docx", today=timezone.localdate(), since=since), tmp_path, name)
        info = _run("pdfinfo", str(pdf), cwd=tmp_path)
        pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
        assert 2 <= pages <= 5, f"{name}: {pages} pages"
        assert len(pngs) == pages
        for png in pngs:
            width, height = _png_size(png)
            assert width > height > 300  # landscape A4 at 60 dpi: about 702 x 496
            shutil.copy(png, ARTIFACTS / png.name)
        texts = _pages_text(pdf, tmp_path, pages)
        for number, text in enumerate(texts, start=1):
            assert text.count("OFFICIAL") >= 2, f"{name} page {number}: marking at top and foot"
            assert f"Page {number} of {pages}" in text, f"{name} page {number}"
            assert "RAG as at 31 Jan 2014" in text and "Testshire Police" in text
            assert "Current position" in text, f"{name} page {number}: the header row repeated"
            assert "Position at" not in text
        # In reading order, spaces and line ends made one: a cell's words as one phrase.
        whole = " ".join(_run("pdftotext", str(pdf), "-", cwd=tmp_path).split())
        assert all(ref in whole for ref in ("1.1.A.", "2.1.B.", "5.2.A."))
        assert "(continued)" in whole  # a later row says which recommendation it answers
        if since is not None:
            assert "status: Not Started" in whole and "Changed since Citizen Focus Board" in whole
        _table_fits_the_page(pdf, tmp_path)


def _table_fits_the_page(pdf: Path, folder: Path) -> None:
    """No word of the table runs off the page: every word's box ends inside the right margin."""
    boxes = _run("pdftotext", "-bbox", str(pdf), "-", cwd=folder)
    page_width = float(re.search(r'<page width="([\d.]+)"', boxes).group(1))
    right_edges = [float(x) for x in re.findall(r'xMax="([\d.]+)"', boxes)]
    assert right_edges and max(right_edges) <= page_width - 28  # 1.5 cm margin is 42.5 pt; allow the padding
