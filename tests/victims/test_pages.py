"""The victims' pages: who sees which records (own, team's, pseudonymised), every view logged."""

import pytest
from django.urls import reverse
from django.utils import timezone

from citizenfocus.victims.models import VictimEvent, VictimRecord, VictimRecordAccess
from tests.support import store_responses_with_answers

from .conftest import AS_AT

QUEUE = reverse("victims:queue") + f"?as_at={AS_AT.isoformat()}"
ALL_ROLES = ("administrator", "analyst", "action_owner", "board_member", "inspector", "supervisor", "officer",
             "no_access")


def _as(client, users, role):
    client.force_login(users[role])
    return client


def _case(ref):
    return VictimRecord.objects.get(crime_reference=ref)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_each_role_gets_exactly_its_victim_records(client, victims, role):
    """The exact matrix: queue, a North case (PC 101, North Team A) and a South case, for every role."""
    north, south = _case("NV/24/0002"), _case("NV/24/0004")
    _as(client, victims, role)
    queue = client.get(QUEUE + "&format=json")
    expected_queue = {"administrator": {"NV/24/0001", "NV/24/0002", "NV/24/0003", "NV/24/0004"},
                      "supervisor": {"NV/24/0001", "NV/24/0002", "NV/24/0003"},
                      "officer": {"NV/24/0001", "NV/24/0002"}}
    if role in ("administrator", "analyst", "supervisor", "officer"):
        assert queue.status_code == 200
        crimes = {r["crime"] for r in queue.json()["rows"]}
        if role == "analyst":
            assert len(crimes) == 4 and not any(c.startswith("NV/") for c in crimes)  # pseudonyms only
        else:
            assert crimes == expected_queue[role]
    else:
        assert queue.status_code == 403
    record_status = {r: client.get(reverse("victims:record", args=[r.pk])).status_code for r in (north, south)}
    expected = {"administrator": (200, 200), "analyst": (200, 200), "supervisor": (200, 404), "officer": (200, 404)}
    assert (record_status[north], record_status[south]) == expected.get(role, (403, 403))
    assert client.get(reverse("victims:compliance")).status_code == (
        200 if role in ("administrator", "analyst", "supervisor", "board_member", "inspector") else 403)
    assert client.get(reverse("victims:callbacks")).status_code == (
        200 if role in ("administrator", "analyst", "supervisor") else 403)
    assert client.get(reverse("victims:dip_samples")).status_code == (
        200 if role in ("administrator", "supervisor") else 403)
    event = client.post(reverse("victims:record_event", args=[north.pk]),
                        {"kind": "update", "on": "2024-03-25", "method": "phone"})
    assert event.status_code == (302 if role in ("administrator", "supervisor", "officer") else 403)


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_log_in(client, victims):
    pk = _case("NV/24/0002").pk
    for url in (QUEUE, reverse("victims:record", args=[pk]), reverse("victims:compliance"),
                reverse("victims:callbacks"), reverse("victims:dip_samples")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_the_officers_queue_is_ordered_by_urgency_with_words_and_reasons(client, victims):
    _as(client, victims, "supervisor")
    rows = client.get(QUEUE + "&format=json").json()["rows"]
    assert [(r["crime"], r["rag"], r["status"]) for r in rows] == [
        ("NV/24/0002", "red", "Red: due today"),
        ("NV/24/0003", "green", "Green: 17 days left"),
        ("NV/24/0001", "green", "Green: 25 days left"),
    ]
    assert rows[0]["why"] == "arrest on Fri 22 Mar 2024: enhanced victim: 1 working day"
    assert rows[0]["also_due"] == "28-day update by 29/03/2024"
    page = client.get(QUEUE)
    assert page["Cache-Control"].startswith("max-age=0") and "no-store" in page["Cache-Control"]
    assert "Red: due today" in page.content.decode()


@pytest.mark.django_db
def test_every_view_and_export_of_victim_records_is_logged(client, victims):
    _as(client, victims, "officer")
    VictimRecordAccess.objects.all().delete()
    client.get(QUEUE)
    client.get(QUEUE + "&format=csv")
    client.get(reverse("victims:record", args=[_case("NV/24/0002").pk]))
    logged = list(VictimRecordAccess.objects.order_by("pk").values_list("who_name", "kind", "rows"))
    assert logged == [("officer-user", "page", 2), ("officer-user", "csv", 2), ("officer-user", "record", 1)]


@pytest.mark.django_db
def test_the_analysts_export_is_pseudonymised_and_safe_in_a_spreadsheet(client, victims):
    VictimRecord.objects.filter(crime_reference="NV/24/0001").update(crime_type="=HYPERLINK(\"x\")")
    _as(client, victims, "analyst")
    body = b"".join(client.get(QUEUE + "&format=csv").streaming_content).decode()
    assert "NV/24/" not in body and "P1001" not in body
    assert "'=HYPERLINK" in body
    detail = client.get(reverse("victims:record", args=[_case("NV/24/0002").pk]) + "?format=json").json()
    assert detail["victim"] is None and not detail["crime"].startswith("NV/")


@pytest.mark.django_db
def test_an_officer_records_an_update_and_the_case_moves_down_the_queue(client, victims):
    _as(client, victims, "officer")
    case = _case("NV/24/0002")
    response = client.post(reverse("victims:record_event", args=[case.pk]),
                           {"kind": "key_event", "on": "2024-03-22", "key_event": "charge", "told_on": "2024-03-25",
                            "method": "phone"})
    assert response.status_code == 302
    event = case.events.get(kind="key_event", source="app")
    assert (event.who_name, event.told_on.isoformat()) == ("officer-user", "2024-03-25")
    bad = client.post(reverse("victims:record_event", args=[case.pk]), {"kind": "key_event", "on": "2024-03-22"})
    assert bad.status_code == 400 and "Choose which key event" in bad.content.decode()
    assert VictimEvent.objects.filter(record=case, source="app").count() == 1


@pytest.mark.django_db
def test_a_call_back_saved_without_an_outcome_is_refused_with_the_reason(client, victims):
    from citizenfocus.surveys.models import ImportBatch, Response
    from citizenfocus.surveys.services import survey_for
    from citizenfocus.victims.callback_models import CallBack

    survey = survey_for("uss")
    now = timezone.now()
    batch = ImportBatch.objects.create(survey=survey, imported_by_name="t", source="web", started_at=now,
                                       finished_at=now, file_name="a.csv", file_sha256="a" * 64, status="stored")
    response = Response(
        survey=survey, response_id="R1", interview_date=AS_AT, division=_case("NV/24/0001").division,
        ethnicity="B2", age_band="25-34", sex="Female", disability="No", batch=batch,
        recontact_consent=True, comment="Nobody told me anything", row_hash="x")
    store_responses_with_answers([(response, {"kept_informed": 6})])  # very dissatisfied
    callback = CallBack.objects.create(response=response, assigned_to=victims["supervisor"])
    _as(client, victims, "supervisor")
    page = client.get(reverse("victims:callbacks")).content.decode()
    assert '<option value="">(choose)</option>' in page and "Nobody told me anything" in page
    client.post(reverse("victims:callback_update", args=[callback.pk]), {"outcome": "", "note": "x"})
    callback.refresh_from_db()
    assert callback.outcome == "" and not callback.changes.exists()
    messages = [str(m) for m in client.get(reverse("victims:callbacks")).context["messages"]]
    assert any(f"Call-back {callback.pk} not saved" in m for m in messages)
