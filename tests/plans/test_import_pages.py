"""Importing through the web: upload, a preview of everything understood, then all or nothing."""

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
    assert "continues the row above" in text and "#FFC000 = Work Underway" in text
    data = client.get(response["Location"], {"format": "json"}).json()
    assert data["counts"] == {"recommendations": 5, "responses": 8, "actions": 10, "problems": 0}
    assert [r["ref"] for r in data["recommendations"]] == ["1", "2", "3", "4", "5"]


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
    assert training.target_revisions.get().old_date.isoformat() == "2014-06-30"
    assert PositionUpdate.objects.filter(source="import").count() == 10
    assert ChangeEvent.objects.filter(plan=plan, field="created", note__startswith="imported from").count() == 23
    preview.refresh_from_db()
    assert (preview.status, preview.plan) == ("saved", plan)
    again = client.post(reverse("plans:import_save", args=[preview.pk]))
    assert again.status_code == 409 and Plan.objects.count() == 1


def test_unreadable_cells_are_listed_and_must_be_accepted_before_saving(client, users, tmp_path):
    rows = list(bme_plan.ROWS)
    rows[0] = rows[0][:5] + ("Purple", None, "Dec 2011")
    path = tmp_path / "bad.docx"
    bme_plan.build(path, rows=rows)
    client.force_login(users["analyst"])
    preview_url = _upload(client, path)["Location"]
    text = client.get(preview_url).content.decode()
    assert "1 cell could not be read" in text and "Purple" in text and "table 2, row 2" in text
    preview = PlanImport.objects.get()
    refused = client.post(reverse("plans:import_save", args=[preview.pk]))
    assert refused.status_code == 409 and not Plan.objects.exists()
    assert 'role="alert"' in refused.content.decode()
    csv_body = b"".join(client.get(preview_url, {"format": "csv", "table": "problems"}).streaming_content)
    assert '"table 2, row 2",Progress,Purple,' in csv_body.decode("utf-8-sig")
    saved = client.post(reverse("plans:import_save", args=[preview.pk]), {"accept_problems": "on"})
    assert saved.status_code == 302
    assert Action.objects.get(ref="1.1.A").status == "not_started"


def test_saving_is_all_or_nothing(client, users, plan_docx, monkeypatch):
    from citizenfocus.plans.services import imports

    client.force_login(users["analyst"])
    _upload(client, plan_docx)
    preview = PlanImport.objects.get()
    real = imports.PositionUpdate.objects.create
    calls = {"n": 0}

    def failing(**kwargs):
        calls["n"] += 1
        if calls["n"] == 7:
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
