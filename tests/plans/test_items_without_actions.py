"""Recommendations and responses the plan answers without an action keep their own cells, editable and audited;
an action whose status was not known is set by a person, never defaulted."""

import datetime as dt

import pytest
from django.urls import reverse

from citizenfocus.plans.forms import ActionUpdateForm
from citizenfocus.plans.models import Action, ChangeEvent, PlanResponse

pytestmark = pytest.mark.django_db


def test_a_response_answered_without_an_action_shows_its_own_cells(client, users, imported):
    response = PlanResponse.objects.get(ref="5.1")
    client.force_login(users["board_member"])
    html = client.get(reverse("plans:response", args=[response.pk])).content.decode()
    assert "Its own cells (answered without an action)" in html
    assert '<span class="status">Completed</span>' in html and "<dd>N/A</dd>" in html
    data = client.get(reverse("plans:response", args=[response.pk]), {"format": "json"}).json()
    assert data["response"]["own"] == {"owner": "N/A", "position": "", "status": "Completed",
                                       "completion_date": None, "completion_precision": "day"}


def test_an_analyst_edits_its_own_status_and_every_change_is_recorded(client, users, imported):
    response = PlanResponse.objects.get(ref="5.1")
    client.force_login(users["analyst"])
    url = reverse("plans:response_edit", args=[response.pk])
    saved = client.post(url, {"ref": "5.1", "text": response.text, "status": "completed",
                              "completion_date": "2012-03-31", "owner": "Performance Review",
                              "position": "Reported every quarter since April 2012."})
    assert saved.status_code == 302
    response.refresh_from_db()
    assert (response.status, response.completion_date, response.owner) == (
        "completed", dt.date(2012, 3, 31), "Performance Review")
    changes = {e.field: (e.old_value, e.new_value) for e in ChangeEvent.objects.for_item("response", response.pk)}
    assert changes["owner"] == ("N/A", "Performance Review")
    assert changes["completion_date"] == ("", "31 Mar 2012")
    refused = client.post(url, {"ref": "5.1", "text": response.text, "status": "work_underway",
                                "completion_date": "2012-03-31"})
    assert refused.status_code == 400
    assert "Only a completed item has a completion date." in refused.content.decode()


def test_an_action_whose_status_was_not_known_must_be_given_one(client, users, imported):
    action = Action.objects.get(ref="2.1.B")
    Action.objects.filter(pk=action.pk).update(status="unknown")
    form = ActionUpdateForm(initial={"status": "unknown"})
    assert form.fields["status"].choices[0] == ("", "Choose: the imported file did not say")
    assert "unknown" not in [value for value, _ in form.fields["status"].choices]
    client.force_login(users["analyst"])
    url = reverse("plans:action_update", args=[action.pk])
    refused = client.post(url + "?format=json", {"status": "", "text": "Checked with the department."})
    assert refused.status_code == 400 and "status" in refused.json()["errors"]
    assert client.post(url, {"status": "work_underway", "text": "Checked: under way."}).status_code == 302
    action.refresh_from_db()
    assert action.status == "work_underway"
    assert ChangeEvent.objects.for_item("action", action.pk).filter(field="status").get().old_value == "Not known"
