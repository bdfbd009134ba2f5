"""The board's Word table: the same columns, refs in order, status shaded by RAG, what changed highlighted."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from citizenfocus.demo import action_plan as bme_plan
from citizenfocus.plans import rag, services
from citizenfocus.plans.exporting import plan_export
from citizenfocus.plans.models import Action

pytestmark = pytest.mark.django_db


def _fill(cell):
    fills = cell._tc.xpath("./w:tcPr/w:shd/@w:fill")
    return fills[0] if fills else None


def _bold(cell):
    runs = [r for p in cell.paragraphs for r in p.runs if r.text.strip()]
    return bool(runs) and all(r.bold for r in runs)


def _table(body: bytes):
    document = Document(io.BytesIO(body))
    return document, document.tables[1]


def test_the_word_table_has_the_boards_columns_and_every_action_in_ref_order(imported):
    today = timezone.localdate()
    document, table = _table(plan_export(imported, "docx", today=today))
    assert [c.text for c in table.rows[0].cells] == bme_plan.HEADER
    assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader")  # repeated on every page
    positions = [row.cells[4].text.split(".")[0:3] for row in table.rows[1:] if row.cells[4].text]
    refs = [".".join(p) for p in positions]
    assert refs == ["1.1.A", "1.1.B", "1.2.A", "2.1.A", "2.1.B", "3.1.A", "3.2.A", "4.1.A", "4.1.B", "5.2.A"]
    assert document.sections[0].page_width > document.sections[0].page_height  # landscape
    assert f"Position at {today.day} {today:%b %Y}." in document.paragraphs[1].text


def test_the_status_cell_is_shaded_by_rag_and_says_it_in_words(imported):
    today = dt.date(2014, 4, 1)
    _, table = _table(plan_export(imported, "docx", today=today))
    by_ref = {row.cells[4].text[:5]: row for row in table.rows[1:] if row.cells[4].text}
    overdue = by_ref["1.2.A"].cells[5]  # work underway, target 31 Mar 2013
    assert overdue.text == "Work Underway\n(Red: overdue by 366 days)"
    assert _fill(overdue) == rag.FILLS["red"]
    assert _fill(by_ref["1.1.A"].cells[5]) == rag.FILLS["green"]
    assert _fill(by_ref["3.2.A"].cells[5]) == rag.FILLS["red"]  # blocked
    assert by_ref["3.1.A"].cells[6].text == "Target: 31 Dec 2014 (originally 30 Jun 2014)"
    assert by_ref["1.1.A"].cells[6].text == "31 Dec 2011"


def test_merged_recommendation_and_response_cells_are_merged_in_the_export(imported):
    _, table = _table(plan_export(imported, "docx", today=timezone.localdate()))
    first_column = [row.cells[0] for row in table.rows[1:4]]
    assert len({c._tc for c in first_column}) == 1 and first_column[0].text == "1"
    assert table.rows[1].cells[2].text.startswith("1.1 Agreed.")
    assert table.rows[2].cells[2]._tc is table.rows[1].cells[2]._tc


def test_the_latest_position_and_its_date_are_shown(imported, users):
    action = Action.objects.get(ref="2.1.B")
    services.action_update(action=action, user=users["analyst"], status="work_underway",
                           text="First focus group held.", position_date=dt.date(2014, 4, 2))
    _, table = _table(plan_export(imported, "docx", today=dt.date(2014, 4, 10)))
    cell = next(row.cells[4] for row in table.rows[1:] if row.cells[4].text.startswith("2.1.B"))
    assert cell.text == ("2.1.B. Focus groups with BME victims of vehicle crime, with the Independent Advisory "
                         "Group.\nPosition at 2 Apr 2014: First focus group held.")


def test_changes_since_a_meeting_are_bold_shaded_and_listed(imported, users):
    meeting = services.meeting_record(plan=imported, user=users["analyst"], title="Citizen Focus Board",
                                      held_on=timezone.localdate())
    action = Action.objects.get(ref="2.1.B")
    services.action_update(action=action, user=users["analyst"], status="work_underway", text="Dates agreed.")
    document, table = _table(plan_export(imported, "docx", today=timezone.localdate(), since=meeting))
    header = [c.text for c in table.rows[0].cells]
    assert header[-1] == f"Changed since Citizen Focus Board, {timezone.localdate().day} {timezone.localdate():%b %Y}"
    assert any("Cells changed since Citizen Focus Board" in p.text for p in document.paragraphs)
    rows = {row.cells[4].text[:5]: row for row in table.rows[1:] if row.cells[4].text}
    changed = rows["2.1.B"]
    assert _bold(changed.cells[4]) and _fill(changed.cells[4]) == "FFF2CC"
    assert _bold(changed.cells[5])  # the status, still shaded by its RAG
    assert "status: Not Started \u2192 Work Underway" in changed.cells[7].text
    assert "new position" in changed.cells[7].text
    unchanged = rows["1.1.A"]
    assert not _bold(unchanged.cells[4]) and unchanged.cells[7].text == ""


def test_excel_and_csv_carry_the_same_cells_with_rag(imported):
    today = dt.date(2014, 4, 1)
    sheet = load_workbook(io.BytesIO(plan_export(imported, "xlsx", today=today)))["Plan"]
    header_row = next(r for r in range(1, 10) if sheet.cell(r, 1).value == "Ref")
    assert [sheet.cell(header_row, c).value for c in range(1, 9)] == [*bme_plan.HEADER, "RAG"]
    assert sheet.cell(header_row + 1, 6).fill.fgColor.rgb.endswith(rag.FILLS["green"])
    assert any(str(m) == f"A{header_row + 1}:A{header_row + 3}" for m in sheet.merged_cells.ranges)
    rows = list(csv.reader(io.StringIO(plan_export(imported, "csv", today=today).decode("utf-8-sig"))))
    assert rows[0] == [*bme_plan.HEADER, "RAG"]
    assert len(rows) == 1 + 11  # ten actions and response 5.1, which has none
    assert rows[1][:3] == ["1", "Improve the way BME victims are kept informed of the progress of their case.",
                           "1.1 Agreed. Contact Management will review the call-back process for all victims, "
                           "with a check on BME victims."]


def test_the_export_page_serves_each_format_to_every_reader(client, users, imported):
    client.force_login(users["board_member"])
    url = reverse("plans:plan_export", args=[imported.pk])
    for fmt, kind in (("docx", "wordprocessingml"), ("xlsx", "spreadsheetml"), ("csv", "text/csv")):
        response = client.get(url, {"format": fmt})
        assert response.status_code == 200 and kind in response["Content-Type"]
        assert response["Content-Disposition"].endswith(f'.{fmt}"')
    assert client.get(url, {"format": "pdf"}).status_code == 400
