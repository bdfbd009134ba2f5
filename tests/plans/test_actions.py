"""Owners update their own actions; analysts any; board members none. Every change is kept."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from citizenfocus.plans import services
from citizenfocus.plans.models import (
    Action,
    ChangeEvent,
    Evidence,
    PositionUpdate,
    TargetDateRevision,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_an_owner_updates_the_position_and_status_of_their_action(client, users, owned):
    client.force_login(users["action_owner"])
    started = timezone.now()
    response = client.post(reverse("plans:action_update", args=[owned.pk]),
                           {"status": "completed", "text": "Dip-sampling is part of the supervisors' routine."})
    assert response.status_code == 302 and response["Location"] == reverse("plans:action", args=[owned.pk])
    owned.refresh_from_db()
    assert (owned.status, owned.completion_date) == ("completed", timezone.localdate())
    latest = owned.latest_update()
    assert (latest.text, latest.author, latest.position_date) == \
        ("Dip-sampling is part of the supervisors' routine.", users["action_owner"], timezone.localdate())
    events = {e.field: e for e in ChangeEvent.objects.filter(item_kind="action", item_id=owned.pk, at__gte=started)}
    assert (events["status"].old_value, events["status"].new_value) == ("Work Underway", "Completed")
    assert events["status"].who == users["action_owner"]
    assert events["position"].new_value.startswith("Dip-sampling")


def test_an_owner_cannot_update_someone_elses_action(client, users, owned):
    other = Action.objects.get(ref="2.1.B")
    client.force_login(users["action_owner"])
    response = client.post(reverse("plans:action_update", args=[other.pk]), {"status": "completed", "text": "x"})
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.status == "not_started"
    with pytest.raises(PermissionDenied):
        services.action_update(action=other, user=users["action_owner"], status="completed", text="x")


def test_board_members_read_but_never_change(client, users, owned):
    client.force_login(users["board_member"])
    assert client.get(reverse("plans:action", args=[owned.pk])).status_code == 200
    page = client.get(reverse("plans:action", args=[owned.pk])).content.decode()
    assert "Update the position and status" not in page and "Edit the details" not in page
    for name in ("action_update", "action_edit", "action_archive"):
        assert client.post(reverse(f"plans:{name}", args=[owned.pk]), {"status": "completed"}).status_code == 403


def test_analysts_update_any_action(client, users, owned):
    client.force_login(users["analyst"])
    other = Action.objects.get(ref="2.1.B")
    assert client.post(reverse("plans:action_update", args=[other.pk]),
                       {"status": "work_underway", "text": "Started."}).status_code == 302
    other.refresh_from_db()
    assert other.status == "work_underway" and other.start_date == timezone.localdate()


def test_an_update_with_nothing_in_it_is_refused_at_the_field(client, users, owned):
    client.force_login(users["action_owner"])
    response = client.post(reverse("plans:action_update", args=[owned.pk]), {"status": owned.status, "text": ""})
    assert response.status_code == 400
    text = response.content.decode()
    assert 'role="alert"' in text and "Write the current position, or change the status." in text
    assert 'aria-invalid="true"' in text
    future = client.post(reverse("plans:action_update", args=[owned.pk]),
                         {"status": "work_underway", "text": "x",
                          "position_date": (timezone.localdate() + dt.timedelta(days=3)).isoformat()})
    assert future.status_code == 400 and "cannot be in the future" in future.content.decode()


def test_evidence_files_are_checked_and_served_only_to_signed_in_readers(client, users, owned):
    client.force_login(users["action_owner"])
    good = SimpleUploadedFile("minutes.pdf", PDF, content_type="application/pdf")
    response = client.post(reverse("plans:action_update", args=[owned.pk]),
                           {"status": "work_underway", "text": "Minutes attached.", "evidence": [good],
                            "links": "https://intranet.example.org/report-42"})
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.original_name, evidence.content_type, evidence.size) == ("minutes.pdf", "application/pdf",
                                                                              len(PDF))
    assert "minutes" not in evidence.file.name  # stored under our own name, not the person's
    assert evidence.update.link_list == ["https://intranet.example.org/report-42"]
    url = reverse("plans:evidence", args=[evidence.pk])
    download = client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith('attachment; filename="minutes.pdf"')
    client.logout()
    assert client.get(url).status_code == 302
    client.force_login(users["no_access"])
    assert client.get(url).status_code == 403
    client.force_login(users["board_member"])
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("name, content, message", [
    ("virus.exe", b"MZ...", "files of this type cannot be attached"),
    ("fake.pdf", b"<html>not a pdf</html>", "the content is not a PDF file"),
    ("notes.txt", b"\x00\x01\x02binary", "not a plain text file"),
    ("empty.pdf", b"", "file is empty"),
])
def test_evidence_of_the_wrong_type_is_refused(client, users, owned, name, content, message):
    client.force_login(users["action_owner"])
    upload = SimpleUploadedFile(name, content)
    response = client.post(reverse("plans:action_update", args=[owned.pk]),
                           {"status": "work_underway", "text": "See file.", "evidence": [upload]})
    assert response.status_code == 400 and message in response.content.decode()
    assert not Evidence.objects.exists() and not owned.updates.filter(text="See file.").exists()


def test_evidence_over_the_size_limit_is_refused(client, users, owned, settings):
    settings.CITIZENFOCUS_PLANS_EVIDENCE_MAX_MB = 0.001
    client.force_login(users["action_owner"])
    upload = SimpleUploadedFile("big.pdf", PDF + b"x" * 2000)
    response = client.post(reverse("plans:action_update", args=[owned.pk]),
                           {"status": "work_underway", "text": "Big.", "evidence": [upload]})
    assert response.status_code == 400 and "the limit is 0 MB" in response.content.decode()


def test_a_new_target_date_needs_a_reason_and_the_original_is_never_lost(client, users, owned):
    client.force_login(users["analyst"])
    url = reverse("plans:action_edit", args=[owned.pk])
    data = {"ref": owned.ref, "description": owned.description, "department": owned.department,
            "manager": users["action_owner"].pk, "target_date": "2015-06-30"}
    refused = client.post(url, data)
    assert refused.status_code == 400 and "Say why the target date is changing" in refused.content.decode()
    assert client.post(url, {**data, "target_reason": "Supervisor training first"}).status_code == 302
    assert client.post(url, {**data, "target_date": "2015-09-30", "target_reason": "Training delayed"}).status_code == 302
    owned.refresh_from_db()
    assert (owned.original_target_date, owned.target_date) == (dt.date(2014, 3, 31), dt.date(2015, 9, 30))
    revisions = list(TargetDateRevision.objects.filter(action=owned).values_list("new_date", "reason", "changed_by"))
    assert revisions == [(dt.date(2015, 6, 30), "Supervisor training first", users["analyst"].pk),
                         (dt.date(2015, 9, 30), "Training delayed", users["analyst"].pk)]
    page = client.get(reverse("plans:action", args=[owned.pk])).content.decode()
    assert "originally 31 Mar 2014" in page and "Training delayed" in page


def test_refs_are_editable_kept_in_order_and_unique(users, imported):
    action = Action.objects.get(ref="1.1.B")
    with pytest.raises(ValidationError, match="already has the ref 1.1.A"):
        services.action_edit(action=action, user=users["analyst"], ref="1.1.A", description=action.description)
    services.action_edit(action=action, user=users["analyst"], ref="1.1.d", description=action.description,
                         target_date=action.target_date)
    new = services.action_create(response=action.response, user=users["analyst"], description="A third")
    assert new.ref == "1.1.B"
    assert list(action.response.actions.values_list("ref", flat=True)) == ["1.1.A", "1.1.B", "1.1.d"]
    rec = services.recommendation_create(plan=imported, user=users["analyst"], text="Sixth")
    services.recommendation_create(plan=imported, user=users["analyst"], text="Tenth", ref="10")
    assert rec.ref == "6"
    assert list(imported.recommendations.values_list("ref", flat=True)) == ["1", "2", "3", "4", "5", "6", "10"]


def test_nothing_is_hard_deleted_archiving_hides_and_keeps(client, users, imported):
    action = Action.objects.get(ref="2.1.B")
    client.force_login(users["analyst"])
    assert client.post(reverse("plans:action_archive", args=[action.pk])).status_code == 302
    action.refresh_from_db()
    assert action.archived
    plan_page = client.get(reverse("plans:plan", args=[imported.pk]), {"format": "json"}).json()
    refs = [a["ref"] for r in plan_page["recommendations"] for s in r["responses"] for a in s["actions"]]
    assert "2.1.B" not in refs
    assert client.get(reverse("plans:action", args=[action.pk])).status_code == 200
    assert client.post(reverse("plans:action_archive", args=[action.pk]), {"archived": "0"}).status_code == 302
    action.refresh_from_db()
    assert not action.archived
    assert list(ChangeEvent.objects.filter(item_id=action.pk, field="archived").values_list("new_value", flat=True)) \
        == ["no", "yes"]


def test_the_database_refuses_what_the_services_never_write(imported):
    action = Action.objects.get(ref="2.1.B")
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=action.pk).update(status="finished")
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=action.pk).update(completion_date=dt.date(2014, 1, 1))  # not completed
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.create(response=action.response, ref="2.1.A", sort_key="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        TargetDateRevision.objects.create(action=action, reason="", changed_by_name="x")


def test_position_updates_have_no_edit_or_delete_route(users, owned):
    from django.urls import get_resolver

    names = [name for name in get_resolver().reverse_dict if isinstance(name, str)]
    assert not [n for n in names if "update_edit" in n or "update_delete" in n or n.endswith("_delete")]
    before = PositionUpdate.objects.count()
    services.action_update(action=owned, user=users["action_owner"], text="Second position.")
    assert PositionUpdate.objects.count() == before + 1


def test_the_action_page_has_a_json_twin_and_table_downloads(client, users, owned):
    services.action_update(action=owned, user=users["action_owner"], text="Second position.")
    client.force_login(users["board_member"])
    url = reverse("plans:action", args=[owned.pk])
    data = client.get(url, {"format": "json"}).json()
    assert data["action"]["ref"] == "1.1.B" and data["action"]["rag"] in {"Red", "Amber", "Green"}
    assert [u["text"] for u in data["updates"]][0] == "Second position."
    for table in ("updates", "revisions", "history"):
        for fmt in ("csv", "xlsx"):
            response = client.get(url, {"format": fmt, "table": table})
            assert response.status_code == 200, (table, fmt)
    assert client.get(url, {"format": "csv", "table": "nope"}).status_code == 404


def test_restoring_an_item_whose_ref_was_reused_says_why_it_cannot(client, users, imported):
    action = Action.objects.get(ref="2.1.B")
    services.action_archive(action=action, user=users["analyst"])
    services.action_create(response=action.response, user=users["analyst"], description="Replacement", ref="2.1.B")
    client.force_login(users["analyst"])
    response = client.post(reverse("plans:action_archive", args=[action.pk]), {"archived": "0"}, follow=True)
    assert "Not restored: Another action under 2.1 already has the ref 2.1.B." in response.content.decode()
    action.refresh_from_db()
    assert action.archived
