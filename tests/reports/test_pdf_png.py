"""The charts' PNGs go into the PDF as they are (their IDAT data), the same pixels as WeasyPrint's own encoding."""

import io
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from citizenfocus.reports import pdf as pdfs
from citizenfocus.reports.pdf import png_image_data


def _png(mode: str, **save) -> bytes:
    image = Image.new(mode, (37, 23), "white")
    for x in range(37):
        for y in range(23):
            image.putpixel((x, y), (x * 7 % 256, y * 11 % 256, (x * y) % 256) if mode in ("RGB", "RGBA")
                           else (x * y) % 256 if mode in ("L", "P") else 0)
    out = io.BytesIO()
    image.save(out, format="PNG", **save)
    return out.getvalue()


def _pdf_pixels(png: bytes, *, passed_through: bool) -> tuple[bytes, tuple[int, int]]:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class Fetcher(URLFetcher):
        def fetch(self, url, headers=None):
            return URLFetcherResponse(url, png, {"Content-Type": "image/png"})

    pdfs._install_png_pass_through()
    was, pdfs.PNG_PASSED_THROUGH = pdfs.PNG_PASSED_THROUGH, passed_through
    try:
        content = HTML(string='<img src="chart:0" alt="a chart">', url_fetcher=Fetcher()).write_pdf()
    finally:
        pdfs.PNG_PASSED_THROUGH = was
    with pikepdf.open(io.BytesIO(content)) as document:
        (image,) = [pikepdf.PdfImage(x) for page in document.pages for x in page.get_images().values()]
        picture = image.as_pil_image()
        return picture.convert("RGB").tobytes(), picture.size


@pytest.mark.parametrize("mode", ["RGB", "L"])
def test_a_png_passed_through_is_the_same_picture_as_weasyprints_own_encoding(mode):
    png = _png(mode)
    assert png_image_data(png)
    original = Image.open(io.BytesIO(png)).convert("RGB")
    assert _pdf_pixels(png, passed_through=True) == (original.tobytes(), original.size)
    assert _pdf_pixels(png, passed_through=False) == (original.tobytes(), original.size)


@pytest.mark.parametrize(("mode", "save"), [("RGBA", {}), ("P", {}), ("I;16", {})])
def test_a_png_a_pdf_cannot_hold_as_it_is_is_left_to_weasyprint(mode, save):
    assert png_image_data(_png(mode, **save)) is None


def test_an_interlaced_png_is_left_to_weasyprint():
    png = _png("RGB")
    assert png_image_data(png[:28] + b"\x01" + png[29:]) is None  # IHDR's interlace method: Adam7


def test_damaged_or_other_files_are_left_to_weasyprint():
    png = _png("RGB")
    assert png_image_data(png[:-20]) is None
    assert png_image_data(b"GIF89a" + png[6:]) is None
    assert png_image_data(b"") is None


def test_the_charts_worker_processes_all_start_with_the_pool():
    from citizenfocus.reports import chart_images

    chart_images.shutdown()
    try:
        if chart_images._executor() is None:
            pytest.skip("no worker processes can be started here")
        assert all(ready.result() for ready in chart_images._ready)
        assert len(chart_images._ready) == chart_images.WORKERS == 2
        assert len(set(chart_images.worker_pids())) == chart_images.WORKERS
    finally:
        chart_images.shutdown()


def _gone(pid: int) -> bool:
    """The process has ended: no such process, or only its exit status left (a zombie nobody reaped)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rpartition(")")[2].split()[0] == "Z"
    except FileNotFoundError:
        return True


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process states from /proc")
def test_the_chart_workers_end_when_their_server_is_killed():
    """A server killed outright cannot stop its chart workers: they must notice and end, not wait for work
    for ever (each holds the task queue's writing end, so no worker ever reads the queue's end)."""
    import signal
    import subprocess
    import sys
    import time

    server = subprocess.Popen(
        [sys.executable, "-c", "import sys\n"
         "from citizenfocus.reports import chart_images\n"
         "chart_images.start()\n"
         "assert all(ready.result() for ready in chart_images._ready)\n"
         "print(' '.join(map(str, chart_images.worker_pids())), flush=True)\n"
         "sys.stdin.read()\n"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        workers = [int(pid) for pid in server.stdout.readline().split()]
        assert len(workers) == 2 and not any(_gone(pid) for pid in workers)
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait()
    deadline = time.monotonic() + 120  # a loaded machine: the workers look every PARENT_CHECK_SECONDS
    while not all(_gone(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert all(_gone(pid) for pid in workers), "a chart worker outlived its killed server"
