"""A Word plan whose progress is only cell shading, read through the key above the table; RAG as at its date."""

import datetime as dt

import pytest
from django.urls import reverse

from citizenfocus.plans import services
from citizenfocus.plans.importing import plan_read
from citizenfocus.plans.models import Action
from citizenfocus.plans.rag import rag_for

from .fixtures import shaded_word


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "shaded.docx"
    shaded_word.build(path)
    return path


def test_each_shading_is_read_through_the_legend_field_by_field(path):
    parsed = plan_read(path)
    assert parsed.legend == shaded_word.LEGEND
    assert {a.ref: (a.status, a.status_read_from, a.target_date) for a in parsed.actions()} == shaded_word.ACTIONS
    assert all(a.completion_date is None for a in parsed.actions())  # a Target date column gives targets


def test_a_continuation_row_shaded_like_the_row_above_continues_it(path):
    parsed = plan_read(path)
    first = next(a for a in parsed.actions() if a.ref == "1.1.A")
    assert first.description == "Call-back standard agreed.\nThe standard is on the intranet."
    assert [r.kind for r in parsed.rows][:2] == ["item", "continuation"]


def test_an_unshaded_empty_progress_cell_is_not_known_and_blocks_only_itself(path):
    parsed = plan_read(path)
    assert [(p.where, p.column, p.value, p.field) for p in parsed.problems] == [
        ("table 2, row 8", "Progress", "", "status")]
    unknown = next(a for a in parsed.actions() if a.ref == "2.1.C")
    assert (unknown.status, unknown.target_date) == ("unknown", dt.date(2012, 6, 30))


def test_the_document_date_is_the_reporting_date_and_rag_is_worked_out_at_it(path):
    parsed = plan_read(path)
    assert (parsed.reporting_date, parsed.reporting_date_from) == \
        (shaded_word.AS_AT, "the document: 'Position as at 10 February 2012'")
    for action in parsed.actions():
        rag = rag_for(status=action.status, target_date=action.target_date, today=parsed.reporting_date,
                      due_soon_days=28)
        assert (rag.colour, rag.reason) == shaded_word.RAG[action.ref], action.ref


@pytest.mark.django_db
def test_the_saved_plan_says_as_at_10_feb_2012_and_nothing_completed_is_red(client, users, path):
    preview = services.plan_import_preview(path=path, user=users["analyst"])
    client.force_login(users["analyst"])
    assert client.post(reverse("plans:import_save", args=[preview.pk])).status_code == 302  # no "accept problems"
    preview.refresh_from_db()
    plan = preview.plan
    assert plan.reporting_date == dt.date(2012, 2, 10)
    client.force_login(users["board_member"])
    html = client.get(reverse("plans:plan", args=[plan.pk])).content.decode()
    assert "RAG as at 10 Feb 2012" in html
    data = client.get(reverse("plans:plan", args=[plan.pk]), {"format": "json"}).json()
    actions = {a["ref"]: a for r in data["recommendations"] for s in r["responses"] for a in s["actions"]}
    assert data["rag_as_at"] == "2012-02-10"
    assert {ref: a["rag"] for ref, a in actions.items()} == {
        ref: colour.capitalize() for ref, (colour, _) in shaded_word.RAG.items()}
    assert actions["2.1.C"]["status"] == "Not known"
    assert Action.objects.get(ref="2.1.C").status == "unknown"
    assert data["plan"]["red"] == 1 and data["plan"]["completed"] == 2
