"""The board's Word table: the plan's columns at widths that fit, refs in order, every row saying what it answers,
status shaded by RAG as at the plan's date, the marking and page numbers on every page, what changed highlighted."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.shared import Cm
from openpyxl import load_workbook

from citizenfocus.demo import action_plan as bme_plan
from citizenfocus.plans import rag, services
from citizenfocus.plans.exporting import plan_export
from citizenfocus.plans.models import Action

pytestmark = pytest.mark.django_db
EXPORTED_ON = dt.date(2025, 6, 3)


def _fill(cell):
    fills = cell._tc.xpath("./w:tcPr/w:shd/@w:fill")
    return fills[0] if fills else None


def _bold(cell):
    runs = [r for p in cell.paragraphs for r in p.runs if r.text.strip()]
    return bool(runs) and all(r.bold for r in runs)


def _export(plan, **kwargs):
    document = Document(io.BytesIO(plan_export(plan, "docx", today=kwargs.pop("today", EXPORTED_ON), **kwargs)))
    return document, document.tables[1]


def _rows(table):
    return {row.cells[4].text.split(".")[0] + "." + ".".join(row.cells[4].text.split(".")[1:3]): row
            for row in table.rows[1:] if row.cells[4].text[:1].isdigit()}


def test_the_word_table_has_the_boards_columns_and_every_action_in_ref_order(imported):
    document, table = _export(imported)
    assert [c.text for c in table.rows[0].cells] == bme_plan.HEADER
    assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader")  # repeated on every page
    refs = [row.cells[4].text.split(" ")[0].rstrip(".") for row in table.rows[1:] if row.cells[4].text[:1].isdigit()]
    assert refs == ["1.1.A", "1.1.B", "1.2.A", "2.1.A", "2.1.B", "3.1.A", "3.2.A", "4.1.A", "4.1.B", "5.2.A"]
    assert document.sections[0].page_width > document.sections[0].page_height  # landscape
    body = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for row in table.rows for c in row.cells)
    assert "Position at" not in body + cells  # no "Position at <today>" stamped on anything
    assert "its RAG is worked out as at 31 Jan 2014" in body and format(EXPORTED_ON, "%d %b %Y") not in body


def test_the_columns_have_fixed_widths_that_fit_the_page_ref_narrow_position_wide(imported):
    document, table = _export(imported)
    assert table._tbl.tblPr.xpath("./w:tblLayout/@w:type") == ["fixed"]
    widths = [int(w) for w in table._tbl.xpath("./w:tblGrid/w:gridCol/@w:w")]
    assert widths.index(max(widths)) == 4 and widths.index(min(widths)) == 0  # Current position; Ref
    section = document.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    assert abs(sum(widths) * 635 - text_width) < Cm(0.05)  # twips to EMU: the table fills the text width exactly
    assert all(int(tc.xpath("./w:tcPr/w:tcW/@w:w")[0]) == widths[i] for i, tc in enumerate(table.rows[3]._tr.tc_lst))
    assert all(row._tr.xpath("./w:trPr/w:cantSplit") for row in table.rows)  # no row breaks across a page


def test_every_row_says_which_recommendation_and_response_it_answers(imported):
    _, table = _export(imported)
    assert not table._tbl.xpath(".//w:vMerge")  # a merged cell would leave a later page without its context
    first, second, third = table.rows[1:4]
    assert [c.text for c in first.cells[:3]] == [
        "1", "Improve the way BME victims are kept informed of the progress of their case.",
        "1.1 Agreed. Contact Management will review the call-back process for all victims, with a check on BME "
        "victims."]
    assert second.cells[0].text == "1"
    assert second.cells[1].text == "(continued) Improve the way BME victims are kept informed of the progress of\u2026"
    assert second.cells[2].text == "1.1 (continued) Agreed. Contact Management will review the call-back process\u2026"
    assert third.cells[2].text.startswith("1.2 Victims will be offered")  # a new response: in full


def test_the_status_cell_is_shaded_by_rag_as_at_the_plans_date_and_says_it_in_words(imported):
    _, table = _export(imported, today=dt.date(2030, 1, 1))  # exported long after: RAG still as at 31 Jan 2014
    rows = _rows(table)
    assert rows["2.1.B"].cells[5].text == "Not Started\n(Amber: due in 14 days and not started)"
    assert _fill(rows["2.1.B"].cells[5]) == rag.FILLS["amber"]
    assert rows["1.2.A"].cells[5].text == "Work Underway\n(Green: on track)"
    assert (rows["1.1.A"].cells[5].text, _fill(rows["1.1.A"].cells[5])) == ("Completed\n(Green)", rag.FILLS["green"])
    assert _fill(rows["3.2.A"].cells[5]) == rag.FILLS["red"]  # blocked
    assert rows["3.1.A"].cells[6].text == "Target: 31 Mar 2014 (originally 30 Jun 2013)"
    assert rows["1.1.A"].cells[6].text == "Dec 2011"  # as the plan gave it: "Completed - Dec 2011"
    assert rows["4.1.A"].cells[6].text == "31 Oct 2012"


def test_a_response_answered_without_an_action_shows_its_own_cells(imported):
    _, table = _export(imported)
    row = next(r for r in table.rows[1:] if r.cells[2].text.startswith("5.1"))
    assert [c.text for c in row.cells[3:]] == ["N/A", "", "Completed", ""]


def test_the_position_is_the_action_then_each_dated_update_with_its_own_date(imported, users):
    action = Action.objects.get(ref="2.1.B")
    services.action_update(action=action, user=users["analyst"], status="work_underway",
                           text="First focus group held.", position_date=dt.date(2014, 4, 2))
    _, table = _export(imported)
    rows = _rows(table)
    assert rows["2.1.B"].cells[4].text == ("2.1.B. Focus groups with BME victims of vehicle crime, with the "
                                          "Independent Advisory Group.\nUpdate 2 Apr 2014: First focus group held.")
    assert rows["4.1.B"].cells[4].text == ("4.1.B. Online feedback form for victims in five community languages.\n"
                                          "Update Jan 2014: three of the five languages are live.")
    head = rows["2.1.B"].cells[4].paragraphs[1].runs[0]
    assert (head.text, head.bold) == ("Update 2 Apr 2014: ", True)


def test_the_marking_page_numbers_and_as_at_date_are_on_every_page(imported, small_force, settings):
    document, _ = _export(imported)
    section = document.sections[0]
    assert [p.text for p in section.header.paragraphs] == ["OFFICIAL"]
    footer = section.footer.paragraphs
    assert footer[0].text == "OFFICIAL"
    assert footer[1].text == f"Testshire Police \u00b7 {bme_plan.TITLE} \u00b7 RAG as at 31 Jan 2014\tPage 1 of 1"
    codes = [t.strip() for t in footer[1]._p.xpath(".//w:instrText/text()")]
    assert codes == ["PAGE", "NUMPAGES"]
    settings.CITIZENFOCUS_PLANS_PROTECTIVE_MARKING = "OFFICIAL-SENSITIVE"
    document, _ = _export(imported)
    assert document.sections[0].header.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    assert document.sections[0].footer.paragraphs[0].text == "OFFICIAL-SENSITIVE"


def test_the_documents_author_and_title_are_the_force_and_the_plan(imported, small_force):
    document, _ = _export(imported)
    props = document.core_properties
    assert (props.author, props.title, props.last_modified_by) == ("Testshire Police", bme_plan.TITLE,
                                                                   "Testshire Police")
    assert props.subject == "Scrutiny panel report: the force's response to the Police Authority scrutiny panel"
    assert props.keywords == "OFFICIAL; action plan; RAG as at 2014-01-31"
    assert props.comments == "Exported by citizenfocus on 3 Jun 2025; RAG as at 31 Jan 2014."
    styles = document.styles.element
    assert styles.xpath("//w:style[@w:styleId='Normal']//w:lang/@w:val") == ["en-GB"]


def test_changes_since_a_meeting_are_bold_shaded_and_listed(live, users):
    meeting = services.meeting_record(plan=live, user=users["analyst"], title="Citizen Focus Board",
                                      held_on=timezone.localdate())
    action = Action.objects.get(ref="2.1.B")
    services.action_update(action=action, user=users["analyst"], status="work_underway", text="Dates agreed.")
    document, table = _export(live, today=timezone.localdate(), since=meeting)
    header = [c.text for c in table.rows[0].cells]
    assert header[-1] == f"Changed since Citizen Focus Board, {timezone.localdate().day} {timezone.localdate():%b %Y}"
    assert any("Cells changed since Citizen Focus Board" in p.text for p in document.paragraphs)
    rows = _rows(table)
    changed = rows["2.1.B"]
    assert _bold(changed.cells[4]) and _fill(changed.cells[4]) == "FFF2CC"
    assert _bold(changed.cells[5])  # the status, still shaded by its RAG
    assert "status: Not Started \u2192 Work Underway" in changed.cells[7].text
    assert "new position" in changed.cells[7].text
    unchanged = rows["1.1.A"]
    assert not _bold(unchanged.cells[4]) and unchanged.cells[7].text == ""
    widths = [int(w) for w in table._tbl.xpath("./w:tblGrid/w:gridCol/@w:w")]
    assert len(widths) == 8 and widths.index(max(widths)) == 4  # the changes column beside a still-wide position
    section = document.sections[0]
    assert abs(sum(widths) * 635 - (section.page_width - section.left_margin - section.right_margin)) < Cm(0.05)


def test_excel_and_csv_carry_the_same_cells_with_rag(imported):
    sheet = load_workbook(io.BytesIO(plan_export(imported, "xlsx", today=EXPORTED_ON)))["Plan"]
    header_row = next(r for r in range(1, 10) if sheet.cell(r, 1).value == "Ref")
    assert sheet.cell(2, 1).value.endswith("RAG as at 31 Jan 2014.")
    assert [sheet.cell(header_row, c).value for c in range(1, 9)] == [*bme_plan.HEADER, "RAG"]
    assert sheet.cell(header_row + 1, 6).fill.fgColor.rgb.endswith(rag.FILLS["green"])
    assert any(str(m) == f"A{header_row + 1}:A{header_row + 3}" for m in sheet.merged_cells.ranges)
    rows = list(csv.reader(io.StringIO(plan_export(imported, "csv", today=EXPORTED_ON).decode("utf-8-sig"))))
    assert rows[0] == [*bme_plan.HEADER, "RAG"]
    assert len(rows) == 1 + 11  # ten actions and response 5.1, which has none
    assert rows[1][:3] == ["1", "Improve the way BME victims are kept informed of the progress of their case.",
                           "1.1 Agreed. Contact Management will review the call-back process for all victims, "
                           "with a check on BME victims."]
    assert rows[-2][3:8] == ["N/A", "", "Completed", "", ""]


def test_the_export_page_serves_each_format_to_every_reader(client, users, imported):
    client.force_login(users["board_member"])
    url = reverse("plans:plan_export", args=[imported.pk])
    for fmt, kind in (("docx", "wordprocessingml"), ("xlsx", "spreadsheetml"), ("csv", "text/csv")):
        response = client.get(url, {"format": fmt})
        assert response.status_code == 200 and kind in response["Content-Type"]
        assert response["Content-Disposition"].endswith(f'.{fmt}"')
    assert client.get(url, {"format": "pdf"}).status_code == 400
