"""A priority's problem-solving plan lives in the action plans: actions through the plans app's services."""

import datetime as dt

import pytest
from django.urls import reverse

from citizenfocus.communities.services import priority_create
from citizenfocus.plans.models import Action, ChangeEvent


@pytest.fixture
def priority(team, users):
    return priority_create(neighbourhood=team, title="Burglary on the estate", raised_by="partnership",
                           raised_on=dt.date(2026, 9, 1), you_said="Sheds broken into every week",
                           user=users["inspector"], response="Property marking and a shed alarm scheme")


def test_the_first_action_creates_the_plan_with_what_people_said_and_the_teams_response(client, users, priority):
    client.force_login(users["inspector"])
    response = client.post(reverse("communities:priority_action_add", args=[priority.pk]),
                           {"description": "Property marking event at the community centre",
                            "target_date": "2026-12-12", "manager_name": "Neighbourhood sergeant"})
    assert response.status_code == 302
    priority.refresh_from_db()
    plan = priority.plan
    assert plan.title == "Problem-solving plan: Burglary on the estate (Hightown Central)"
    recommendation = plan.recommendations.get()
    assert recommendation.text == "You said: Sheds broken into every week"
    assert recommendation.responses.get().text == "Property marking and a shed alarm scheme"
    action = Action.objects.get(response__recommendation__plan=plan)
    assert (action.ref, action.target_date, action.manager_name) == ("1.1.A", dt.date(2026, 12, 12),
                                                                     "Neighbourhood sergeant")
    assert ChangeEvent.objects.filter(plan=plan, field="created").count() == 4  # plan, recommendation, response, action


def test_the_second_action_joins_the_same_plan_and_the_page_lists_both(client, users, priority):
    client.force_login(users["supervisor"])
    for text in ("Shed alarms for the first fifty households", "Patrols on bin day"):
        client.post(reverse("communities:priority_action_add", args=[priority.pk]), {"description": text})
    page = client.get(reverse("communities:priority", args=[priority.pk]), {"format": "json"}).json()
    rows = page["tables"]["actions"]["rows"]
    assert [r["ref"] for r in rows] == ["1.1.A", "1.1.B"]
    assert rows[0]["status"] == "Not Started"
    html = client.get(reverse("communities:priority", args=[priority.pk])).content.decode()
    assert reverse("plans:plan", args=[page["plan"]]) in html


def test_an_action_with_no_description_is_refused_and_no_plan_is_made(client, users, priority):
    client.force_login(users["inspector"])
    response = client.post(reverse("communities:priority_action_add", args=[priority.pk]), {"description": ""},
                           follow=True)
    assert "Not added: description: This field is required." in response.content.decode()
    priority.refresh_from_db()
    assert priority.plan is None
