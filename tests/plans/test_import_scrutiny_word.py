"""A scrutiny group's plan with its colours lost: statuses in the date column, continuation rows, refs inside
markup, dated updates inside positions, items answered without an action; read exactly as the force wrote it."""

import datetime as dt

import pytest

from citizenfocus.plans.importing import Corrections, plan_read

from .fixtures import scrutiny_word
from .fixtures.shape import parsed_tree


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "scrutiny-group-plan.docx"
    scrutiny_word.build(path)
    return path


@pytest.fixture
def parsed(path):
    return plan_read(path)


def test_every_recommendation_response_and_action_is_read_field_by_field(parsed):
    tree = parsed_tree(parsed)
    assert tree["recommendations"] == scrutiny_word.RECOMMENDATIONS
    assert tree["responses"] == scrutiny_word.RESPONSES
    assert tree["actions"] == scrutiny_word.ACTIONS


def test_nothing_is_invented_and_every_cell_is_read(parsed):
    assert parsed.counts == {"recommendations": 5, "responses": 6, "actions": 7, "problems": 0}
    assert parsed.problems == []
    assert not any("no ref: given" in note or "put under an empty response" in note for note in parsed.notes)


def test_statuses_written_in_the_date_column_keep_their_completion_months(parsed):
    actions = {a.ref: a for a in parsed.actions()}
    assert {ref: (a.status, a.completion_date, a.completion_precision) for ref, a in actions.items()} == {
        "1.1.A": ("completed", dt.date(2011, 12, 31), "month"),  # "Completed - Dec 2011"
        "1.1.B": ("completed", dt.date(2012, 1, 31), "month"),  # "Completed -" over "Jan 2012"
        "1.2.A": ("work_underway", None, "day"),  # "Update Mar14 On-going"
        "3.1.A": ("completed", dt.date(2013, 3, 31), "month"),  # "Completed – March 2013"
        "3.1.B": ("completed", dt.date(2012, 9, 30), "month"),  # "Completed - Sept 2012"
        "5.1.A": ("work_underway", None, "day"),
        "5.2.A": ("completed", None, "day"),  # plain "Completed"
    }
    assert all(a.status_read_from == "the words in Completion Date" for a in actions.values())
    assert all(a.target_date is None for a in actions.values())  # "Update Mar14" dates a position, not a target


def test_continuation_rows_continue_the_action_above(parsed):
    rows = {r.number: r for r in parsed.rows}
    assert [r.number for r in parsed.rows if r.kind == "continuation"] == scrutiny_word.CONTINUATION_ROWS
    assert rows[4].became == "continues action 1.1.B (Current Position, Completion Date)"
    assert rows[10].became == "continues action 3.1.B (Current Position)"
    assert rows[7].became == "skipped: the header row repeated (a new page)"


def test_dated_updates_inside_the_position_are_dated_updates(parsed):
    first = next(a for a in parsed.actions() if a.ref == "1.1.A")
    assert [(u.position_date, u.precision) for u in first.updates] == [
        (dt.date(2012, 5, 31), "month"),  # "Position at May 2012:"
        (dt.date(2014, 3, 31), "year"),  # "2014 update:", dated as at the plan's date in 2014
    ]
    assert first.description.endswith("reported to the Citizen Focus Board.")  # no update text in it


def test_a_response_without_an_action_and_a_recommendation_without_a_response_keep_their_own_cells(parsed):
    rec_2, rec_4 = parsed.recommendations[1], parsed.recommendations[3]
    (response,) = rec_2.responses
    assert response.actions == [] and response.standing.owner == "N/A"
    assert (response.standing.status, response.standing.completion_date) == ("completed", None)
    assert rec_4.responses == []
    assert (rec_4.standing.status, rec_4.standing.completion_date, rec_4.standing.completion_precision) == \
        ("completed", dt.date(2012, 12, 31), "month")
    assert [r.became for r in parsed.rows if r.number in (6, 11)] == [
        "response 2.1 (its own cells: no action)", "recommendation 4 (its own cells: no action)"]


def test_owners_split_into_department_and_manager_as_written(parsed):
    actions = {a.ref: a for a in parsed.actions()}
    assert (actions["1.1.A"].department, actions["1.1.A"].manager_name) == \
        ("Corporate Support", "Superintendent \u2013 Force Lead")
    assert (actions["3.1.B"].department, actions["3.1.B"].manager_name) == \
        ("Divisional SMTs; Local Policing Support", "")
    assert (actions["5.2.A"].department, actions["5.2.A"].manager_name) == \
        ("Local Policing Support", "Chief Inspector, Performance")


def test_the_title_is_the_heading_that_names_the_plan_not_the_department_line(parsed):
    assert parsed.title == scrutiny_word.TITLE
    assert (parsed.owning_body_hint, parsed.source_hint) == ("Police Authority Scrutiny Group", "scrutiny_panel")


def test_the_reporting_date_is_the_latest_dated_entry(parsed):
    assert parsed.reporting_date == scrutiny_word.REPORTING_DATE
    assert parsed.reporting_date_from == "the latest dated entry in the table (table 2, row 8)"


def test_a_missing_status_is_never_read_as_not_started_and_blocks_only_its_cell(tmp_path):
    rows = list(scrutiny_word.ROWS)
    rows[7] = rows[7][:5] + ("Purple", "Sept 2012")  # 3.1.B: an unreadable progress word, no status anywhere
    path = tmp_path / "purple.docx"
    scrutiny_word.build(path, rows=rows)
    parsed = plan_read(path)
    actions = {a.ref: a for a in parsed.actions()}
    assert actions["3.1.B"].status == "unknown"
    assert [(p.where, p.column, p.value, p.field) for p in parsed.problems] == [
        ("table 2, row 9", "Colour Coded Progress", "Purple", "status")]
    assert parsed.problems[0].expected.endswith("saved as Not known until it is corrected")
    assert actions["3.1.B"].target_date == dt.date(2012, 9, 30)  # its date still read, as a target
    assert parsed.counts["actions"] == 7 and actions["3.1.A"].status == "completed"  # the rest unaffected


def test_the_person_can_choose_the_status_column_correct_a_cell_and_mark_a_continuation(path):
    corrections = Corrections(columns={"progress": 6}, status={"13": "work_underway"}, dates={"2": "Nov 2011"},
                              continuation={"4": False})
    parsed = plan_read(path, corrections=corrections)
    actions = {a.ref: a for a in parsed.actions()}
    assert parsed.columns["Progress"] == "Completion Date"
    assert actions["1.1.A"].status_read_from == "text"  # read from the chosen column as its own words
    assert (actions["1.1.A"].completion_date, actions["1.1.A"].completion_precision) == (dt.date(2011, 11, 30),
                                                                                         "month")
    assert (actions["5.2.A"].status, actions["5.2.A"].status_read_from) == ("work_underway",
                                                                           "corrected in the preview")
    assert "1.1.C" in actions  # row 4 read as an action of its own, not a continuation
    assert actions["1.1.B"].description == "Findings presented to the Police Authority Scrutiny Group."
