"""The PDF's cheap layout: column widths computed from the texts, and the cycle collector paused while a PDF is
laid out and restored afterwards."""

import gc
import threading

from citizenfocus.reports.document import TableBlock
from citizenfocus.reports.pdf import LINE, PADDING, column_widths, cycle_collector_paused


def _block(header, rows, numeric):
    return TableBlock(caption="t", header=header, rows=rows, numeric=numeric)


def test_widths_fill_the_table_and_follow_the_texts():
    block = _block(["Month", "Rate", "Signal"],
                   [["April 2011", "92.3%", "27 months in a row above the centre line: a real shift."],
                    ["September 2013", "84.8%", "3 months close to the lower limit (beyond two-thirds of the way "
                                                "to it) within 3 months in a row: an early warning of a change."]],
                   [False, True, False])
    widths = column_widths(block)
    assert sum(widths) == 100 and all(w >= 1 for w in widths)
    # the text that would wrap gets what is left of the line; the figure keeps at least its own width
    assert widths[2] > widths[0] > widths[1]
    assert widths[1] / 100 * LINE >= len("84.8%") + PADDING - 1


def test_a_number_column_is_never_narrower_than_its_longest_figure():
    long_text = " ".join(["word"] * 60)
    block = _block(["Area", "Base (n)", "Note", "Other note"],
                   [["Whole force", "1,234,567", long_text, long_text]], [False, True, False, False])
    widths = column_widths(block)
    assert sum(widths) == 100
    assert widths[1] / 100 * LINE >= len("1,234,567") + PADDING - 1
    assert abs(widths[2] - widths[3]) <= 2  # equal but for the rounding to a whole 100


def test_short_tables_share_the_line_by_length():
    widths = column_widths(_block(["Term", "Meaning"], [["Rate", "Share of victims satisfied"]], [False, False]))
    assert sum(widths) == 100 and widths[1] > widths[0]


def test_the_cycle_collector_is_paused_while_any_pdf_is_written_and_restored_after():
    assert gc.isenabled()
    inside, release = threading.Event(), threading.Event()

    def other_pdf():
        with cycle_collector_paused():
            inside.set()
            release.wait(timeout=60)

    thread = threading.Thread(target=other_pdf)
    thread.start()
    assert inside.wait(timeout=60)
    with cycle_collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other PDF is still being written
    release.set()
    thread.join(timeout=60)
    assert gc.isenabled()


def test_a_collector_the_caller_disabled_stays_disabled():
    gc.disable()
    try:
        with cycle_collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_picture_asked_for_again_while_being_drawn_is_drawn_once(monkeypatch):
    from concurrent.futures import Future

    from citizenfocus.reports import chart_images

    class Pool:
        submitted = 0

        def submit(self, function, spec):
            Pool.submitted += 1
            self.future = Future()
            return self.future

    pool = Pool()
    monkeypatch.setattr(chart_images, "_executor", lambda: pool)
    chart_images.clear()
    spec = {"mark": "point", "title": "drawn once"}
    first = chart_images.picture(spec)
    assert chart_images.picture(spec) is first and Pool.submitted == 1
    pool.future.set_result(b"\x89PNG picture")
    again = chart_images.picture(spec)  # now from the pictures kept
    assert again is not first and again.result() == b"\x89PNG picture" and Pool.submitted == 1
    chart_images.clear()


def test_when_even_the_shortest_widths_overflow_each_column_keeps_its_share_of_them():
    figures = ["1,234,567,890,123"] * 9
    widths = column_widths(_block([f"Column {i}" for i in range(9)], [figures], [True] * 9))
    assert sum(widths) == 100 and max(widths) - min(widths) <= 4
