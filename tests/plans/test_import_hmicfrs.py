"""An HMICFRS-style table: "Recommendation 3" and "AFI 2", an Action and an Update column, the 56-day response."""

import datetime as dt

import pytest

from citizenfocus.plans import services
from citizenfocus.plans.importing import plan_read

from .fixtures import hmicfrs_word
from .fixtures.shape import expected_tree, parsed_tree, saved_tree


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "hmicfrs.docx"
    hmicfrs_word.build(path)
    return path


def test_recommendations_and_areas_for_improvement_are_read_field_by_field(path):
    parsed = plan_read(path)
    assert parsed_tree(parsed) == expected_tree(hmicfrs_word)
    assert parsed.problems == []
    assert parsed.columns["Action"] == "Action" and parsed.columns["Current position"] == "Update"


def test_the_56_day_response_date_is_the_date_the_plan_goes_to(path):
    parsed = plan_read(path)
    assert (parsed.start_date, parsed.response_due) == (hmicfrs_word.PUBLISHED, hmicfrs_word.RESPONSE_DUE)
    assert (parsed.reporting_date, parsed.reporting_date_from) == (hmicfrs_word.RESPONSE_DUE,
                                                                  "the 56-day response date")
    assert (parsed.source_hint, parsed.owning_body_hint) == ("hmic_inspection", "HMICFRS")


def test_without_a_date_the_56_day_response_is_counted_from_publication(tmp_path):
    path = tmp_path / "no-date.docx"
    hmicfrs_word.build(path, response_line="The 56-day response follows.")
    parsed = plan_read(path)
    assert parsed.response_due == dt.date(2019, 1, 15) + dt.timedelta(days=56) == dt.date(2019, 3, 12)


@pytest.mark.django_db
def test_saved_the_plan_is_an_hmic_inspection_for_hmicfrs_from_its_publication(path, users):
    preview = services.plan_import_preview(path=path, user=users["analyst"])
    plan = services.plan_import(plan_import=preview, user=users["analyst"])
    assert (plan.source, plan.owning_body, plan.start_date, plan.reporting_date) == (
        "hmic_inspection", "HMICFRS", hmicfrs_word.PUBLISHED, hmicfrs_word.RESPONSE_DUE)
    assert saved_tree(plan) == expected_tree(hmicfrs_word)


def test_a_recommendation_written_as_a_heading_across_the_table_heads_its_rows(tmp_path):
    from docx import Document

    document = Document()
    document.add_heading(hmicfrs_word.TITLE, level=1)
    table = document.add_table(rows=4, cols=5)
    for index, title in enumerate(["Ref", "Force response", "Lead", "Action", "Status"]):
        table.cell(0, index).text = title
    heading = table.cell(1, 0).merge(table.cell(1, 4))
    heading.text = "Recommendation 3: " + hmicfrs_word.REC_3
    for r, values in ((2, ["3.1", "Accepted.", "Head of Crime", "3.1.A Monthly audit.", "Work Underway"]),
                      (3, ["", "", "Head of Crime", "3.1.B Supervisors briefed.", "Completed"])):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    path = tmp_path / "headings.docx"
    document.save(str(path))
    parsed = plan_read(path)
    assert [(r.ref, r.text) for r in parsed.recommendations] == [("3", hmicfrs_word.REC_3)]
    assert [(a.ref, a.status) for a in parsed.actions()] == [("3.1.A", "work_underway"), ("3.1.B", "completed")]
    assert parsed.rows[0].became == "recommendation 3 (a heading row)"
