"""A board meeting is a dated snapshot; the plan shows every change since a chosen meeting."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from citizenfocus.plans import services
from citizenfocus.plans.models import Action, Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(imported, users):
    return services.meeting_record(plan=imported, user=users["analyst"], title="Strategic policing and crime board",
                                   held_on=timezone.localdate())


def test_recording_a_meeting_keeps_the_plan_as_it_stood(client, users, imported):
    client.force_login(users["analyst"])
    response = client.post(reverse("plans:meeting_create", args=[imported.pk]),
                           {"title": "Citizen Focus Board", "held_on": "2014-03-20"})
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("plans:meeting", args=[meeting.pk])
    assert len(meeting.snapshot) == 10
    first = meeting.snapshot[0]
    assert (first["ref"], first["status"], first["rag"]) == ("1.1.A", "Completed", "Green")
    bad = client.post(reverse("plans:meeting_create", args=[imported.pk]), {"title": "", "held_on": "soon"})
    assert bad.status_code == 400 and 'role="alert"' in bad.content.decode()


def test_the_plan_highlights_every_change_since_the_chosen_meeting(client, users, owned, meeting):
    services.action_update(action=owned, user=users["action_owner"], status="completed", text="Embedded.")
    other = Action.objects.get(ref="2.1.B")
    services.action_edit(action=other, user=users["analyst"], ref=other.ref, description=other.description,
                         department="Performance Review", manager_name="Head of Performance Review",
                         target_date=dt.date(2015, 3, 31), target_reason="IAG availability")
    client.force_login(users["board_member"])
    url = reverse("plans:plan", args=[owned.plan.pk])
    data = client.get(url, {"since": meeting.pk, "format": "json"}).json()
    actions = {a["ref"]: a for r in data["recommendations"] for s in r["responses"] for a in s["actions"]}
    assert actions["1.1.B"]["changed"] == ["date", "position", "progress"]
    assert "status: Work Underway \u2192 Completed" in actions["1.1.B"]["changes"]
    assert actions["2.1.B"]["changed"] == ["date"]
    assert actions["1.1.A"]["changed"] == []
    assert data["since"]["title"] == "Strategic policing and crime board"
    assert [c["field"] for c in data["changes_since"]] == ["status", "completion_date", "position", "target_date"]
    page = client.get(url, {"since": meeting.pk}).content.decode()
    assert "Highlighted: changes since Strategic policing and crime board" in page
    assert page.count('class="changed-flag"') >= 3
    assert "4 changes" in page


def test_without_a_meeting_nothing_is_highlighted_and_filters_work(client, users, owned, meeting):
    services.action_update(action=owned, user=users["action_owner"], status="completed", text="Embedded.")
    client.force_login(users["board_member"])
    url = reverse("plans:plan", args=[owned.plan.pk])
    assert 'class="changed-flag"' not in client.get(url).content.decode()
    only_changed = client.get(url, {"since": meeting.pk, "only": "changed", "format": "json"}).json()
    refs = [a["ref"] for r in only_changed["recommendations"] for s in r["responses"] for a in s["actions"]]
    assert refs == ["1.1.B"]
    red = client.get(url, {"only": "red", "format": "json"}).json()
    assert all(a["rag"] == "Red" for r in red["recommendations"] for s in r["responses"] for a in s["actions"])
    assert client.get(url, {"since": 99999}).status_code == 404


def test_a_rag_that_changed_with_time_is_shown_as_changed(client, users, live):
    action = Action.objects.get(ref="2.1.B")
    Action.objects.filter(pk=action.pk).update(target_date=timezone.localdate() + dt.timedelta(days=60))
    meeting = services.meeting_record(plan=live, user=users["analyst"], title="Board", held_on=timezone.localdate())
    Action.objects.filter(pk=action.pk).update(target_date=timezone.localdate() + dt.timedelta(days=5))
    client.force_login(users["board_member"])
    data = client.get(reverse("plans:plan", args=[live.pk]), {"since": meeting.pk, "format": "json"}).json()
    item = next(a for r in data["recommendations"] for s in r["responses"] for a in s["actions"] if a["ref"] == "2.1.B")
    assert item["changed"] == ["progress"]
    assert item["changes"] == ["RAG: Green \u2192 Amber (due in 5 days and not started)"]


def test_the_meeting_page_lists_the_snapshot_and_the_changes(client, users, owned, meeting):
    services.action_update(action=owned, user=users["action_owner"], text="Second position.")
    client.force_login(users["board_member"])
    url = reverse("plans:meeting", args=[meeting.pk])
    data = client.get(url, {"format": "json"}).json()
    assert len(data["snapshot"]) == 10 and [c["field"] for c in data["changes_since"]] == ["position"]
    csv_text = b"".join(client.get(url, {"format": "csv", "table": "changes"}).streaming_content).decode("utf-8-sig")
    assert "Second position." in csv_text
    assert client.get(reverse("plans:meetings", args=[owned.plan.pk])).status_code == 200


def test_the_snapshot_keeps_rag_as_at_the_plans_date_and_a_new_reporting_date_shows_what_time_changed(
        client, users, imported):
    meeting = services.meeting_record(plan=imported, user=users["analyst"], title="Citizen Focus Board",
                                      held_on=dt.date(2014, 2, 13))
    focus = next(row for row in meeting.snapshot if row["ref"] == "2.1.B")  # not started, due 14 Feb 2014
    assert (focus["rag"], focus["rag_reason"], focus["rag_as_at"]) == ("Amber", "due in 14 days and not started",
                                                                      "2014-01-31")
    services.plan_edit(plan=imported, user=users["analyst"], reporting_date=dt.date(2014, 3, 31))
    client.force_login(users["board_member"])
    data = client.get(reverse("plans:plan", args=[imported.pk]), {"since": meeting.pk, "format": "json"}).json()
    item = next(a for r in data["recommendations"] for s in r["responses"] for a in s["actions"] if a["ref"] == "2.1.B")
    assert item["changes"] == ["RAG: Amber \u2192 Red (overdue by 45 days)"]
    assert [c["change"] for c in data["changes_since"]] == ["reporting date: 31 Jan 2014 \u2192 31 Mar 2014"]
