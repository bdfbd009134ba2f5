"""Exports marked for publication: no figure on a base under 50; the internal export still shows it, flagged."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from citizenfocus.performance.pages.base import Column, Table
from citizenfocus.performance.publication import publish_table

pytestmark = pytest.mark.usefixtures("demo_data")

SUPPRESSED = "suppressed: base under 50"


@pytest.fixture
def board(client, users):
    client.force_login(users["board_member"])
    return client


def _csv(client, page, **params) -> list[dict]:
    response = client.get(reverse(f"performance:{page}"), {"format": "csv", **params})
    assert response.status_code == 200, response
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def _json(client, page, **params) -> dict:
    response = client.get(reverse(f"performance:{page}"), {"format": "json", **params})
    assert response.status_code == 200, response.content[:300]
    return response.json()


def _low(row, side) -> bool:
    return 0 < float(row[f"{side} base (n)"] or 0) < 50


def test_the_publication_csv_shows_no_rate_on_a_base_under_fifty_and_the_internal_one_flags_it(board):
    internal = _csv(board, "gaps", table="neighbourhood")
    published = {r["Group"]: r for r in _csv(board, "gaps", table="neighbourhood", publication="1")}
    assert any(_low(r, "BME") for r in internal)  # the demo force has neighbourhoods with few BME respondents
    for row in internal:
        out = published[row["Group"]]
        for side in ("White", "BME"):
            if _low(row, side):
                assert out[side] == SUPPRESSED and out[f"{side} base (n)"] == ""
                # the gap and one side would give the other side: the comparison goes too
                assert out["Gap (white minus BME) (pts)"] == out["Gap 95% interval from (pts)"] == \
                    out["Significance"] == ""
                assert row[side] != ""
                assert f"{side} (n={int(float(row[f'{side} base (n)']))})" in row["Low base (n under 50)"]
                assert row["Low base (n under 50)"].endswith("low base — treat with caution")
        if not (_low(row, "White") or _low(row, "BME")):
            assert {k: out[k] for k in out} == {k: row[k] for k in out}
            assert row["Low base (n under 50)"] == ""
    assert "Low base (n under 50)" not in next(iter(published.values()))


def test_the_publication_xlsx_matches_the_publication_csv(board):
    url = reverse("performance:gaps")
    response = board.get(url, {"table": "neighbourhood", "format": "xlsx", "publication": "1"})
    assert response["Content-Disposition"].endswith('-publication.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    lines = [list(r) for r in sheet.iter_rows(values_only=True)]
    # a title, the period and filters, a blank line, then the table under its frozen header
    start = next(i for i, r in enumerate(lines) if r[0] == "Group")
    assert sheet.freeze_panes == f"A{start + 2}" and lines[start - 1] == [None] * len(lines[0])
    header, *rows = lines[start:]
    bme = header.index("BME")
    published = _csv(board, "gaps", table="neighbourhood", publication="1")
    assert [r[bme] for r in rows] == [float(r["BME"]) if r["BME"] not in ("", SUPPRESSED) else
                                      (r["BME"] or None) for r in published]
    assert SUPPRESSED in [r[bme] for r in rows]


def test_no_page_publishes_a_rate_on_a_base_under_fifty(board):
    from citizenfocus.performance.pages import PAGES

    suppressed = set()
    for page in PAGES:
        internal = _json(board, page, survey="uss", period="month:2014-03")
        published = _json(board, page, survey="uss", period="month:2014-03", publication="1")
        assert "headline" not in published and "charts" not in published  # sentences quote small bases
        for name, table in internal["tables"].items():
            rows = published["tables"][name]["rows"]
            keys = [c["key"] for c in table["columns"] if c["kind"] == "rate" and c["key"].endswith("rate")]
            for before, after in zip(table["rows"], rows, strict=True):
                for key in keys:
                    n = before.get(key[: -len("rate")] + "n")
                    if n is not None and 0 < n < 50:
                        assert after[key].startswith(SUPPRESSED), (page, name, key, n)
                        suppressed.add(page)
                assert set(after) == {c["key"] for c in table["columns"]}  # no extra keys leave the page
    assert {"overview", "gaps", "neighbourhoods"} <= suppressed  # one month: small bases on several pages


def test_with_all_users_shown_a_small_bme_base_takes_the_white_figure_with_it(board):
    # all users = white + BME + not stated: white and all users shown would give BME by subtraction
    internal = _json(board, "overview")["tables"]["latest_month"]["rows"]
    published = _json(board, "overview", publication="1")["tables"]["latest_month"]["rows"]
    small = [(before, after) for before, after in zip(internal, published, strict=True)
             if 0 < before["month_bme_n"] < 50 <= before["month_white_n"]]
    assert small  # the latest month alone has few BME respondents
    words = "suppressed: base under 50, or hidden so that such a figure cannot be worked out"
    for before, after in small:
        assert after["month_bme_rate"] == after["month_white_rate"] == words
        assert after["month_white_n"] is None and after["month_bme_n"] is None
        assert after["month_all_rate"] == before["month_all_rate"] and after["month_all_n"] == before["month_all_n"]


def test_a_table_with_a_total_row_hides_a_second_base_so_the_first_cannot_be_worked_out():
    columns = [Column("label", "Group"), Column("rate", "Rate", "rate"), Column("n", "Base (n)", "int")]
    rows = [{"label": "A", "rate": 0.8, "n": 120}, {"label": "B", "rate": 0.7, "n": 30},
            {"label": "C", "rate": 0.9, "n": 200}, {"label": "D", "rate": 0.6, "n": 75},
            {"label": "Total", "rate": 0.8, "n": 425, "is_total": True}]
    published = publish_table(Table("Bases", columns, rows))
    words = "suppressed: base under 50, or hidden so that such a figure cannot be worked out"
    assert [(r["rate"], r["n"]) for r in published.rows] == [
        (0.8, 120), (words, None), (0.9, 200), (words, None), (0.8, 425)]


def test_bases_that_add_up_both_ways_are_protected_both_ways():
    # rows: all users = white + BME + 5 not stated; columns: the total row
    columns = [Column("label", "Group"), *(Column(f"{g}_{k}", f"{g} {k}", "rate" if k == "rate" else "int")
                                           for g in ("all", "white", "bme") for k in ("rate", "n")),
               Column("diff", "Gap", "diff")]
    bases = [("A", 300, 250, 45), ("B", 200, 140, 55), ("C", 400, 320, 70), ("Total", 900, 710, 170)]
    rows = [{"label": label, "all_rate": 0.8, "all_n": a, "white_rate": 0.81, "white_n": w, "bme_rate": 0.7,
             "bme_n": b, "diff": 0.11, "is_total": label == "Total"} for label, a, w, b in bases]
    published = publish_table(Table("Bases", columns, rows)).rows
    shown = [(r["all_n"], r["white_n"], r["bme_n"]) for r in published]
    # A's BME base (45) would follow from A's row and from the BME column; the B–A rectangle hides it:
    # bme_A + bme_B = 100 and bme_A + white_A = 295 leave bme_A anywhere from 0 to 100
    assert shown == [(300, None, None), (200, None, None), (400, 320, 70), (900, 710, 170)]
    assert published[0]["diff"] is None and published[2]["diff"] == 0.11


def test_the_page_links_to_the_publication_downloads_and_charts_are_not_published(board):
    page = board.get(reverse("performance:gaps")).content.decode()
    assert "CSV for publication" in page and "XLSX for publication" in page
    assert "table=by_measure&amp;format=csv&amp;publication=1" in page
    chart = board.get(reverse("performance:gaps"), {"chart": "by_measure", "format": "svg", "publication": "1"})
    assert chart.status_code == 404


def test_an_outsider_gets_no_publication_export(client, users):
    client.force_login(users["no_access"])
    response = client.get(reverse("performance:gaps"), {"table": "neighbourhood", "format": "csv", "publication": "1"})
    assert response.status_code in (302, 403)
