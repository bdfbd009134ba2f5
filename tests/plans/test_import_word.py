"""Reading the demo force's multi-page plan from Word: merged cells, continuation rows, a legend, forces' dates."""

import datetime as dt

import pytest
from docx import Document

from citizenfocus.demo import action_plan as bme_plan
from citizenfocus.plans.importing import UnreadableFile, plan_read


@pytest.fixture
def parsed(plan_docx):
    return plan_read(plan_docx)


def _actions(parsed):
    return {a.ref: a for a in parsed.actions()}


def test_the_fixture_is_a_long_table_with_merged_cells(plan_docx):
    document = Document(str(plan_docx))
    table = document.tables[1]
    assert len(table.rows) == len(bme_plan.ROWS) + 1
    merges = table._tbl.xpath(".//w:vMerge")
    assert len(merges) >= 10  # Ref, Recommendation and Response cells merged down
    words = sum(len(c.text.split()) for row in table.rows for c in row.cells)
    assert words > 700  # several landscape pages


def test_it_finds_the_table_header_title_and_legend(parsed):
    assert parsed.title == bme_plan.TITLE
    assert parsed.table == "table 2, header in row 1"
    assert parsed.columns == {h: h for h in bme_plan.HEADER}
    assert parsed.legend == ["#00B050 = Completed", "#FFC000 = Work Underway", "#FF0000 = Not Started"]


def test_every_recommendation_response_and_action_is_found_in_ref_order(parsed):
    tree = [(r.ref, [(s.ref, [a.ref for a in s.actions]) for s in r.responses]) for r in parsed.recommendations]
    assert tree == [
        ("1", [("1.1", ["1.1.A", "1.1.B"]), ("1.2", ["1.2.A"])]),
        ("2", [("2.1", ["2.1.A", "2.1.B"])]),
        ("3", [("3.1", ["3.1.A"]), ("3.2", ["3.2.A"])]),
        ("4", [("4.1", ["4.1.A", "4.1.B"])]),
        ("5", [("5.1", []), ("5.2", ["5.2.A"])]),
    ]
    assert parsed.counts == {"recommendations": 5, "responses": 8, "actions": 10, "problems": 0}
    assert parsed.problems == []
    response_5_1 = parsed.recommendations[4].responses[0]
    assert (response_5_1.standing.owner, response_5_1.standing.status) == ("N/A", "completed")


def test_merged_cells_are_carried_down_not_repeated(parsed):
    first = parsed.recommendations[0]
    assert first.text == "Improve the way BME victims are kept informed of the progress of their case."
    assert first.responses[0].text.startswith("Agreed. Contact Management will review")
    actions = _actions(parsed)
    # The department cell merged over 3.1.A and 3.2.A belongs to both.
    assert actions["3.2.A"].department == "Learning and Development"
    assert actions["3.2.A"].manager_name == "Head of Learning and Development"


def test_a_continuation_row_is_joined_to_the_row_above(parsed):
    dip_sample = _actions(parsed)["1.1.B"]
    assert dip_sample.description == "Monthly dip-sample of 20 BME victim call-backs by supervisors."
    # The continuation row follows the "2013 update:" paragraph, so it continues that update.
    assert dip_sample.updates[0].text.startswith("the dip-sample is running in two of the three divisions.\n"
                                                 "Results are reported to the Citizen Focus Board each quarter.")
    assert "table 2, row 4: continues the row above (Current position): joined to it" in parsed.notes
    assert "table 2, row 10: the header row repeated (a new page): skipped" in parsed.notes


def test_statuses_and_dates_are_read_as_written(parsed):
    actions = _actions(parsed)
    for ref, (status, target, original, completed) in bme_plan.EXPECTED.items():
        action = actions[ref]
        assert (action.status, action.target_date, action.original_target_date, action.completion_date) == \
            (status, target, original, completed), ref


def test_a_shaded_progress_cell_is_read_through_the_legend(parsed):
    actions = _actions(parsed)
    assert actions["1.2.A"].status_read_from == "colour #FFC000 from the legend"
    assert actions["5.2.A"].status_read_from == "green shading, as in the legend"


def test_update_dates_date_the_position_and_undated_text_is_the_description(parsed):
    actions = _actions(parsed)
    assert [(u.position_date, u.precision) for u in actions["1.2.A"].updates] == [(dt.date(2012, 7, 31), "month")]
    assert [(u.position_date, u.precision, u.text) for u in actions["4.1.B"].updates] == [
        (dt.date(2014, 1, 31), "month", "three of the five languages are live.")]  # "Update Jan14" twice: once
    assert actions["2.1.A"].updates == []  # no date of its own: its text is the action, not a position of today
    assert parsed.reporting_date == bme_plan.POSITION_AT


def test_markup_is_stripped_and_owners_split(parsed):
    actions = _actions(parsed)
    assert parsed.recommendations[3].responses[0].text == \
        "Agreed. Third-party reporting centres will be extended & publicised."
    assert (actions["4.1.A"].department, actions["4.1.A"].manager_name) == \
        ("Corporate Development", "Chief Inspector, Partnerships")


def test_every_unreadable_cell_is_named_with_its_row_and_column(tmp_path):
    rows = list(bme_plan.ROWS)
    rows[0] = rows[0][:5] + ("Purple", "Dec 2011")
    rows[1] = rows[1][:6] + ("sometime next spring",)
    path = tmp_path / "bad.docx"
    bme_plan.build(path, rows=rows)
    parsed = plan_read(path)
    assert [(p.where, p.column, p.value, p.field) for p in parsed.problems] == [
        ("table 2, row 2", "Progress", "Purple", "status"),
        ("table 2, row 3", "Completion date", "sometime next spring", "date"),
    ]
    assert "saved as Not known" in parsed.problems[0].expected and "Not Started" not in parsed.problems[0].expected[-40:]
    assert "a date such as" in parsed.problems[1].expected
    actions = _actions(parsed)
    assert (actions["1.1.A"].status, actions["1.1.B"].status, actions["1.1.B"].target_date) == \
        ("unknown", "work_underway", None)


def test_without_a_legend_the_usual_colours_are_assumed_and_said(tmp_path):
    path = tmp_path / "no-legend.docx"
    bme_plan.build(path, legend=False)
    parsed = plan_read(path)
    action = next(a for a in parsed.actions() if a.ref == "1.2.A")
    assert action.status == "work_underway"
    assert action.status_read_from == "amber shading read as Work Underway (no legend in the file)"


def test_a_document_without_the_plan_table_is_refused_with_a_reason(tmp_path):
    document = Document()
    document.add_paragraph("Minutes of the meeting")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Item"
    path = tmp_path / "minutes.docx"
    document.save(str(path))
    with pytest.raises(UnreadableFile, match="minutes.docx: no table with a header row naming the plan's columns"):
        plan_read(path)
    (tmp_path / "broken.docx").write_bytes(b"not a zip")
    with pytest.raises(UnreadableFile, match="broken.docx: could not be read as a .docx file"):
        plan_read(tmp_path / "broken.docx")


def test_duplicate_action_refs_are_renumbered_and_reported(tmp_path):
    rows = list(bme_plan.ROWS)
    rows[1] = rows[1][:4] + ("1.1.A. A second action with the first one's ref.",) + rows[1][5:]
    path = tmp_path / "dup.docx"
    bme_plan.build(path, rows=rows)
    parsed = plan_read(path)
    assert [a.ref for a in parsed.recommendations[0].responses[0].actions] == ["1.1.A", "1.1.B"]
    assert parsed.problems[0].value == "1.1.A" and "used twice" in parsed.problems[0].expected


def test_a_table_inside_a_content_control_is_found(tmp_path):
    """Force templates often wrap the plan's table in a content control (<w:sdt>)."""
    from docx.oxml import OxmlElement

    path = tmp_path / "template.docx"
    bme_plan.build(path)
    document = Document(str(path))
    table = document.tables[1]._tbl
    sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    table.addprevious(sdt)
    sdt.append(content)
    content.append(table)
    document.save(str(path))
    parsed = plan_read(path)
    assert parsed.counts["actions"] == 10 and parsed.title == bme_plan.TITLE


def test_an_action_ref_that_names_another_response_is_kept_as_written_and_nothing_is_invented(tmp_path):
    rows = list(bme_plan.ROWS)
    rows[5] = rows[5][:4] + ("2.2.A. Focus groups with BME victims of vehicle crime.",) + rows[5][5:]
    path = tmp_path / "typo.docx"
    bme_plan.build(path, rows=rows)
    parsed = plan_read(path)
    rec_2 = parsed.recommendations[1]
    assert [(s.ref, [a.ref for a in s.actions]) for s in rec_2.responses] == [("2.1", ["2.1.A", "2.2.A"])]
    assert parsed.problems == []
    assert "table 2, row 7: action ref names response 2.2, which the table does not have: kept under response " \
           "2.1, where it is written" in parsed.notes


def test_a_target_on_a_response_without_an_action_is_kept_in_its_own_position(tmp_path):
    rows = list(bme_plan.ROWS)
    index = next(i for i, row in enumerate(rows) if row != "HEADER" and row[2] and row[2].startswith("5.1"))
    rows[index] = rows[index][:5] + ("Work Underway", "March 2014")
    path = tmp_path / "target.docx"
    bme_plan.build(path, rows=rows)
    parsed = plan_read(path)
    standing = parsed.recommendations[4].responses[0].standing
    assert (standing.status, standing.completion_date, standing.position) == (
        "work_underway", None, "Completion date: March 2014")
    assert parsed.problems == []
