"""RAG as at the plan's reporting date, never against today for an old plan; every page says which date."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from citizenfocus.plans import selectors, services
from citizenfocus.plans.models import Action, Plan

pytestmark = pytest.mark.django_db


def _actions(data):
    return {a["ref"]: a for r in data["recommendations"] for s in r["responses"] for a in s["actions"]}


def test_an_old_plan_is_judged_as_at_its_own_date_not_today(client, users, imported):
    assert imported.reporting_date == dt.date(2014, 1, 31)
    client.force_login(users["board_member"])
    html = client.get(reverse("plans:plan", args=[imported.pk])).content.decode()
    assert "RAG as at 31 Jan 2014</strong>: the plan's reporting date" in html
    data = client.get(reverse("plans:plan", args=[imported.pk]), {"format": "json"}).json()
    actions = _actions(data)
    assert data["rag_as_at"] == "2014-01-31" and data["plan"]["rag_as_at"] == "2014-01-31"
    assert (actions["2.1.B"]["rag"], actions["2.1.B"]["rag_reason"]) == ("Amber", "due in 14 days and not started")
    assert (actions["1.2.A"]["rag"], actions["1.2.A"]["rag_reason"]) == ("Green", "on track")
    assert (actions["3.2.A"]["rag"], actions["3.2.A"]["rag_reason"]) == ("Red", "blocked")
    assert not any("overdue by" in a["rag_reason"] for a in actions.values())  # not "overdue by 4,628 days"


def test_a_completed_action_is_never_red_however_late(imported):
    late = Action.objects.get(ref="2.1.A")  # completed March 2013
    Action.objects.filter(pk=late.pk).update(target_date=dt.date(2011, 1, 31))
    late.refresh_from_db()
    assert late.rag(today=dt.date(2030, 1, 1)).colour == "green"
    assert all(a.rag().colour == "green" for a in Action.objects.filter(status="completed"))


def test_clearing_the_reporting_date_works_rag_out_as_at_today(client, users, imported):
    services.plan_edit(plan=imported, user=users["analyst"], reporting_date=None)
    imported.refresh_from_db()
    assert imported.as_at() == timezone.localdate()
    client.force_login(users["board_member"])
    html = client.get(reverse("plans:plan", args=[imported.pk])).content.decode()
    assert f"RAG as at {timezone.localdate().day} {timezone.localdate():%b %Y}</strong> (today" in html
    data = client.get(reverse("plans:plan", args=[imported.pk]), {"format": "json"}).json()
    assert _actions(data)["2.1.B"]["rag_reason"].startswith("overdue by")  # due 14 Feb 2014, judged today


def test_the_analyst_sets_the_reporting_date_on_the_edit_page(client, users, imported):
    client.force_login(users["analyst"])
    form = {"title": imported.title, "source": imported.source, "kind": imported.kind, "status": "active",
            "owning_body": imported.owning_body, "reporting_date": "2014-03-31"}
    assert client.post(reverse("plans:plan_edit", args=[imported.pk]), form).status_code == 302
    imported.refresh_from_db()
    assert imported.reporting_date == dt.date(2014, 3, 31)
    assert selectors.plan_summary(imported)["as_at"] == dt.date(2014, 3, 31)
    assert imported.events.filter(field="reporting_date").get().new_value == "31 Mar 2014"


def test_positions_after_the_reporting_date_are_pointed_out(client, users, imported):
    services.action_update(action=Action.objects.get(ref="2.1.B"), user=users["analyst"], status="work_underway",
                           text="Focus groups booked.", position_date=dt.date(2014, 3, 5))
    client.force_login(users["analyst"])
    html = client.get(reverse("plans:plan", args=[imported.pk])).content.decode()
    assert "Positions have been recorded after this date (the latest dated 5 Mar 2014)" in html


def test_every_page_showing_rag_says_the_date_it_is_as_at(client, users, imported):
    owner = users["action_owner"]
    Action.objects.filter(ref="2.1.B").update(manager=owner)
    client.force_login(owner)
    assert "RAG as at 31 Jan 2014" in client.get(reverse("plans:mine")).content.decode()
    action = Action.objects.get(ref="2.1.B")
    page = client.get(reverse("plans:action", args=[action.pk])).content.decode()
    assert "as at 31 Jan 2014, the plan's reporting date" in page
    assert client.get(reverse("plans:action", args=[action.pk]), {"format": "json"}).json()["action"][
        "rag_as_at"] == "2014-01-31"
    index = client.get(reverse("plans:index")).content.decode()
    assert "31 Jan 2014" in index


def test_the_due_lists_judge_each_plan_as_at_its_own_date(client, users, imported):
    live = services.plan_create(title="Live plan", user=users["analyst"])
    rec = services.recommendation_create(plan=live, user=users["analyst"], text="Keep victims informed.")
    response = services.response_create(recommendation=rec, user=users["analyst"], text="Agreed.")
    services.action_create(response=response, user=users["analyst"], description="Call back every victim.",
                           target_date=timezone.localdate() - dt.timedelta(days=3))
    lists = selectors.due_lists(today=timezone.localdate(), days=28)
    assert [(a.plan.title, a.ref) for a in lists["overdue"]] == [("Live plan", "1.1.A")]
    assert [(a.plan.title, a.ref) for a in lists["due_soon"]] == [(imported.title, "2.1.B")]  # as at 31 Jan 2014
    client.force_login(users["board_member"])
    html = client.get(reverse("plans:due")).content.decode()
    assert "as at its plan's reporting date" in html and "31 Jan 2014" in html
    assert Plan.objects.get(pk=imported.pk).reporting_date == dt.date(2014, 1, 31)
