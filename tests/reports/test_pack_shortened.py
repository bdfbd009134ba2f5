"""What the pack says once instead of many times: neighbourhoods outside the funnel's limits named together
when there are many, a monthly table's repeated signal written "As above", short texts kept on one line,
and table headers' scopes written while the PDF is tagged."""

import io

import pikepdf

from citizenfocus.performance.pages.neighbourhoods import _headline, outside_line
from citizenfocus.reports.document import TableBlock
from citizenfocus.reports.measures import AS_ABOVE, NAMED_ONE_BY_ONE, funnel_lines, repeats_as_above
from citizenfocus.reports.pdf import LINE, PADDING, column_widths, header_scopes


def _hood(name: str, division: str, rate: float, position: str) -> dict:
    return {"name": name, "division": division, "rate": rate, "n": 1200, "n_eff": 1000.0, "position": position}


def _outside(count: int) -> list[dict]:
    return [_hood(f"Hood {i}", "Central" if i % 2 else "Northern", 0.80 + i / 1000,
                  "below" if i < count // 2 else "above") for i in range(count)]


def test_a_few_neighbourhoods_outside_the_limits_keep_a_sentence_each():
    outside = _outside(NAMED_ONE_BY_ONE)
    headline = _headline(outside, 60, "Ease of contact", 0.9, 2.0)
    assert funnel_lines(headline, outside) == headline
    assert all(outside_line(r) in headline for r in outside)


def test_many_neighbourhoods_outside_the_limits_are_named_together_in_the_headline_s_place():
    outside = _outside(NAMED_ONE_BY_ONE + 7)
    headline = _headline(outside, 60, "Ease of contact", 0.9, 2.0)
    lines = funnel_lines(headline, outside)
    assert not any(outside_line(r) in lines for r in outside)
    # the first and last lines (the comparison, the over-dispersion) stay where they were
    assert lines[0] == headline[0] and lines[-1] == headline[-1]
    below, above, pointer = lines[1:4]
    below_rows = [r for r in outside if r["position"] == "below"]
    assert below.startswith(f"{len(below_rows)} neighbourhoods are below the 99.8% limits")
    assert above.startswith(f"{len(outside) - len(below_rows)} neighbourhoods are above the 99.8% limits")
    for row in outside:
        assert f"{row['name']} ({row['division']})" in (below if row["position"] == "below" else above)
    assert "table after the chart" in pointer
    assert len(lines) == 5


def test_only_a_text_the_same_as_the_row_above_is_written_as_above():
    block = TableBlock(caption="t", header=["Month", "Signal"], numeric=[False, False],
                       rows=[["Jan", "A run."], ["Feb", "A run."], ["Mar", "A run."], ["Apr", ""], ["May", ""],
                             ["Jun", "Below."], ["Jul", "A run."]])
    assert [r[1] for r in repeats_as_above(block, "Signal").rows] == \
        ["A run.", AS_ABOVE, AS_ABOVE, "", "", "Below.", "A run."]
    assert repeats_as_above(block, "No such column") is block


def test_a_short_text_column_is_as_wide_as_its_longest_text():
    block = TableBlock(caption="t", header=["Month", "Rate", "Signal"], numeric=[False, True, False],
                       rows=[["September 2013", "84.8%", "word " * 80], ["May 2013", "92.0%", "word " * 40]])
    widths = column_widths(block)
    assert widths[0] / 100 * LINE >= len("September 2013") + PADDING


PAGE = """<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Rates</title></head><body>
<h1>Rates</h1><table><caption>Rates</caption><thead><tr><th scope="col">Area</th><th scope="col">Rate</th></tr>
</thead><tbody><tr><th scope="row">North</th><td>77.1%</td></tr><tr><th scope="row">South</th><td>78.0%</td></tr>
</tbody></table></body></html>"""


def _scopes(content: bytes) -> list[str]:
    pdf = pikepdf.open(io.BytesIO(content))
    found, stack = [], [pdf.Root.StructTreeRoot.K]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(reversed(list(node)))
        elif isinstance(node, pikepdf.Dictionary):
            if node.get("/S") == "/TH":
                found.append(str(node.A.get("/Scope", "none")))
            if node.get("/K") is not None:
                stack.append(node.K)
    return found


def test_the_scopes_written_while_tagging_are_those_header_scopes_adds_afterwards():
    from weasyprint import HTML

    from citizenfocus.reports.pdf import _install_header_scopes

    assert _install_header_scopes()
    tagged = HTML(string=PAGE).write_pdf(pdf_variant="pdf/ua-1")
    assert _scopes(tagged) == ["/Column", "/Column", "/Row", "/Row"]
    assert _scopes(header_scopes(tagged)) == _scopes(tagged)


def test_an_interval_s_two_columns_are_one_low_to_high():
    from citizenfocus.performance.pages.base import Column, Table
    from citizenfocus.reports.document import join_columns, page_table

    table = Table("Gaps", [Column("label", "Group"), Column("diff", "Gap", "diff"),
                           Column("ci_low", "Gap 95% interval from", "diff"), Column("ci_high", "to", "diff"),
                           Column("verdict", "Significance")],
                  [{"label": "16-24", "diff": 0.054, "ci_low": 0.019, "ci_high": 0.027, "verdict": "lower"},
                   {"label": "75+", "diff": None, "ci_low": None, "ci_high": None, "verdict": ""}])
    block = page_table(table)
    assert block.header == ["Group", "Gap", "Gap 95% interval", "Significance"]
    assert block.rows[0] == ["16-24", "+5.4 pts", "+1.9 to +2.7 pts", "lower"]
    assert block.rows[1][2] == "\u2013" and block.numeric == [False, True, True, False]
    icons = TableBlock(caption="t", header=["A", "from", "to", "B"], rows=[["a", "1", "2", "b"]],
                       numeric=[False, True, False, False], icons={0: ["x"], 3: ["y"]})
    joined = join_columns(icons, 1, "Range")
    assert joined.rows == [["a", "1 to 2", "b"]] and joined.numeric == [False, False, False]
    assert joined.icons == {0: ["x"], 2: ["y"]}

