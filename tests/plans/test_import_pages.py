"""Importing through the web: upload, a preview of everything understood, corrections, then all or nothing."""

import datetime as dt

import pytest
from django.urls import reverse

from citizenfocus.demo import action_plan as bme_plan
from citizenfocus.plans.models import (
    Action,
    ChangeEvent,
    Plan,
    PlanImport,
    PositionUpdate,
    Recommendation,
)

pytestmark = pytest.mark.django_db


def _upload(client, path, **extra):
    with open(path, "rb") as handle:
        return client.post(reverse("plans:import"), {"file": handle, "source": "scrutiny_panel",
                                                      "kind": "recommendations", "owning_body": "Police Authority",
                                                      **extra})


def test_an_analyst_sees_the_preview_before_anything_is_saved(client, users, plan_docx):
    client.force_login(users["analyst"])
    response = _upload(client, plan_docx)
    preview = PlanImport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("plans:import_preview", args=[preview.pk])
    assert not Plan.objects.exists()
    page = client.get(response["Location"])
    text = page.content.decode()
    assert "5 recommendations, 8 responses, 10 actions" in text
    assert "Every cell was read." in text
    assert "RAG as at</dt><dd><strong>31 Jan 2014</strong>, from the document: &#x27;Position at January 2014&#x27;" \
        in text
    assert "continues the row above" in text and "#FFC000 = Work Underway" in text
    data = client.get(response["Location"], {"format": "json"}).json()
    assert data["counts"] == {"recommendations": 5, "responses": 8, "actions": 10, "problems": 0}
    assert [r["ref"] for r in data["recommendations"]] == ["1", "2", "3", "4", "5"]
    assert data["reporting_date"] == "2014-01-31" and len(data["rows"]) == 13
    assert data["rows"][2] == {"number": 4, "where": "table 2, row 4", "became": "continues action 1.1.B (Current "
                               "position)", "kind": "continuation", "auto_continuation": True, "item": "action 1.1.B",
                               "status_cell": "", "status_read": "", "date_cell": "", "date_read": ""}


def test_saving_creates_the_whole_plan_with_positions_and_revisions(client, users, plan_docx):
    client.force_login(users["analyst"])
    _upload(client, plan_docx, title="BME gap plan")
    preview = PlanImport.objects.get()
    response = client.post(reverse("plans:import_save", args=[preview.pk]))
    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("plans:plan", args=[plan.pk])
    assert (plan.title, plan.owning_body) == ("BME gap plan", "Police Authority")
    assert Action.objects.count() == 10 and Recommendation.objects.count() == 5
    training = Action.objects.get(ref="3.1.A")
    assert training.target_revisions.get().old_date.isoformat() == "2013-06-30"
    # Only the dated updates the plan wrote ("2013 update:", "Position at July 2012", "Update Jan14"): no
    # position is stamped with the day of the import.
    assert sorted(PositionUpdate.objects.filter(source="import").values_list("action__ref", "position_date",
                                                                             "date_precision")) == [
        ("1.1.B", dt.date(2013, 3, 31), "year"), ("1.2.A", dt.date(2012, 7, 31), "month"),
        ("4.1.B", dt.date(2014, 1, 31), "month")]
    assert plan.reporting_date == dt.date(2014, 1, 31)
    assert plan.recommendations.get(ref="5").responses.get(ref="5.1").status == "completed"
    assert ChangeEvent.objects.filter(plan=plan, field="created", note__startswith="imported from").count() == 23
    preview.refresh_from_db()
    assert (preview.status, preview.plan) == ("saved", plan)
    again = client.post(reverse("plans:import_save", args=[preview.pk]))
    assert again.status_code == 409 and Plan.objects.count() == 1


def test_an_unreadable_cell_blocks_only_itself_and_is_never_saved_as_not_started(client, users, tmp_path):
    rows = list(bme_plan.ROWS)
    rows[0] = rows[0][:5] + ("Purple", "Dec 2011")
    path = tmp_path / "bad.docx"
    bme_plan.build(path, rows=rows)
    client.force_login(users["analyst"])
    preview_url = _upload(client, path)["Location"]
    text = client.get(preview_url).content.decode()
    assert "1 cell could not be read" in text and "Purple" in text and "table 2, row 2" in text
    assert "Each blocks only itself" in text and 'name="accept_problems"' not in text
    csv_body = b"".join(client.get(preview_url, {"format": "csv", "table": "problems"}).streaming_content)
    assert '"table 2, row 2",Progress,Purple,' in csv_body.decode("utf-8-sig")
    preview = PlanImport.objects.get()
    saved = client.post(reverse("plans:import_save", args=[preview.pk]))
    assert saved.status_code == 302
    assert Action.objects.get(ref="1.1.A").status == "unknown"
    assert Action.objects.count() == 10 and Action.objects.get(ref="2.1.A").status == "completed"
    client.force_login(users["board_member"])
    page = client.get(reverse("plans:action", args=[Action.objects.get(ref="1.1.A").pk])).content.decode()
    assert "Not known" in page and "Status not known: set it" in page


def test_the_person_fixes_a_status_a_date_a_column_and_a_continuation_before_saving(client, users, tmp_path):
    rows = list(bme_plan.ROWS)
    rows[0] = rows[0][:5] + ("Purple", "Dec 2011")
    path = tmp_path / "bad.docx"
    bme_plan.build(path, rows=rows)
    client.force_login(users["analyst"])
    _upload(client, path)
    preview = PlanImport.objects.get()
    page = client.get(reverse("plans:import_preview", args=[preview.pk])).content.decode()
    assert 'name="row_4_continues"' in page and 'id="id_importcorrections_row_4_continues" checked' in page
    form = {"title": "The BME gap plan", "reporting_date": "2014-03-31", "row_2_status": "completed",
            "row_2_date": "Dec 2011", "row_7_date": "28/02/2014", "column_owner": "3",
            "column_progress": "5", "column_date": "6", "column_ref": "0", "column_level1": "1", "column_level2": "2",
            "column_position": "4", "column_action": ""}
    form.update({f"row_{n}_continues": "on" for n in (4,)})
    response = client.post(reverse("plans:import_correct", args=[preview.pk]), {**form, "row_3_continues": "on"})
    assert response.status_code == 302 and response["Location"] == reverse("plans:import_preview", args=[preview.pk])
    preview.refresh_from_db()
    assert preview.corrections == {"columns": {}, "continuation": {"3": True}, "status": {"2": "completed"},
                                   "dates": {"2": "Dec 2011", "7": "28/02/2014"}, "reporting_date": "2014-03-31"}
    assert preview.problem_count == 0 and preview.title == "The BME gap plan"
    data = client.get(reverse("plans:import_preview", args=[preview.pk]), {"format": "json"}).json()
    assert data["counts"] == {"recommendations": 5, "responses": 8, "actions": 9, "problems": 0}  # 1.1.B joined
    assert client.post(reverse("plans:import_save", args=[preview.pk])).status_code == 302
    plan = Plan.objects.get()
    assert (plan.title, plan.reporting_date) == ("The BME gap plan", dt.date(2014, 3, 31))
    fixed = Action.objects.get(ref="1.1.A")
    assert (fixed.status, fixed.completion_date, fixed.completion_precision) == ("completed", dt.date(2011, 12, 31),
                                                                                "month")
    assert Action.objects.get(ref="2.1.B").target_date == dt.date(2014, 2, 28)
    assert not Action.objects.filter(ref="1.1.B").exists()


def test_a_correction_that_is_not_a_date_is_refused_at_its_field(client, users, plan_docx):
    client.force_login(users["analyst"])
    _upload(client, plan_docx)
    preview = PlanImport.objects.get()
    response = client.post(reverse("plans:import_correct", args=[preview.pk]), {"title": "Plan", "row_2_date":
                                                                              "sometime soon"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "&#x27;sometime soon&#x27; is not a date" in html and 'role="alert"' in html
    preview.refresh_from_db()
    assert preview.corrections == {}


def test_saving_is_all_or_nothing(client, users, plan_docx, monkeypatch):
    from citizenfocus.plans.services import imports

    client.force_login(users["analyst"])
    _upload(client, plan_docx)
    preview = PlanImport.objects.get()
    real = imports.PositionUpdate.objects.create
    calls = {"n": 0}

    def failing(**kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("the disk filled up")
        return real(**kwargs)

    monkeypatch.setattr(imports.PositionUpdate.objects, "create", failing)
    with pytest.raises(RuntimeError):
        client.post(reverse("plans:import_save", args=[preview.pk]))
    assert not Plan.objects.exists() and not Action.objects.exists() and not ChangeEvent.objects.exists()
    preview.refresh_from_db()
    assert preview.status == "previewed"


def test_a_file_that_is_not_a_plan_is_refused_at_the_field(client, users, tmp_path):
    client.force_login(users["analyst"])
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    response = _upload(client, notes)
    assert response.status_code == 400
    assert "The plan file must be a .docx, .xlsx or .csv file." in response.content.decode()
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK not really")
    response = _upload(client, broken)
    assert response.status_code == 400 and "could not be read as a .docx file" in response.content.decode()
    assert not PlanImport.objects.exists()


def test_cancelling_saves_nothing(client, users, plan_docx):
    client.force_login(users["analyst"])
    _upload(client, plan_docx)
    preview = PlanImport.objects.get()
    assert client.post(reverse("plans:import_cancel", args=[preview.pk])).status_code == 302
    preview.refresh_from_db()
    assert preview.status == "cancelled" and not Plan.objects.exists()
    assert client.post(reverse("plans:import_save", args=[preview.pk])).status_code == 409


def test_managers_named_like_an_account_are_linked_to_it(client, users, make_user, plan_docx):
    owner = make_user("action_owner", "head-of-contact")
    owner.first_name, owner.last_name = "Head of", "Contact Management"
    owner.save()
    client.force_login(users["analyst"])
    _upload(client, plan_docx)
    preview = PlanImport.objects.get()
    assert "Head of Contact Management → head-of-contact" in client.get(
        reverse("plans:import_preview", args=[preview.pk])).content.decode()
    client.post(reverse("plans:import_save", args=[preview.pk]))
    assert set(Action.objects.filter(manager=owner).values_list("ref", flat=True)) == {"1.1.A", "1.1.B", "1.2.A"}


def test_board_members_and_owners_cannot_import(client, users, plan_docx):
    for role in ("board_member", "action_owner"):
        client.force_login(users[role])
        assert client.get(reverse("plans:import")).status_code == 403
        assert _upload(client, plan_docx).status_code == 403
    assert not PlanImport.objects.exists()
