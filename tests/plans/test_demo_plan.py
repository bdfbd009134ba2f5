"""The demo's action plan gives every role something real to do, inside the demo's data period."""

import datetime as dt

import pytest
from django.urls import reverse

from citizenfocus.demo import DEMO_FIRST_MONTH
from citizenfocus.demo.plan_demo import MEETING, REPORTING_DATE, demo_plan_load
from citizenfocus.plans.models import Action, ChangeEvent, PositionUpdate

pytestmark = pytest.mark.django_db
DATA_END = dt.date(2014, 3, 31)


@pytest.fixture
def demo(users):
    plan, loaded = demo_plan_load(analyst=users["analyst"], owner=users["action_owner"])
    assert loaded
    return plan


def test_the_plans_dates_sit_inside_the_demos_data_period(demo):
    assert demo.reporting_date == REPORTING_DATE == DATA_END
    dates = [d for a in Action.objects.filter(response__recommendation__plan=demo)
             for d in (a.target_date, a.original_target_date, a.completion_date, a.start_date) if d]
    dates += list(PositionUpdate.objects.filter(action__response__recommendation__plan=demo)
                  .values_list("position_date", flat=True))
    assert dates and all(DEMO_FIRST_MONTH <= d <= dt.date(2014, 12, 31) for d in dates)
    assert all(d <= DATA_END for d in PositionUpdate.objects.values_list("position_date", flat=True))


def test_rag_as_at_the_end_of_the_data_is_sensible(demo):
    rags = {a.ref: (a.status, a.rag().label, a.rag().reason)
            for a in Action.objects.filter(response__recommendation__plan=demo)}
    assert rags == {
        "1.1.A": ("completed", "Green", "completed"),
        "1.1.B": ("completed", "Green", "completed"),  # completed by the owner on 20 Mar 2014
        "1.2.A": ("work_underway", "Green", "on track"),
        "2.1.A": ("completed", "Green", "completed"),
        "2.1.B": ("not_started", "Green", "on track"),  # target revised to 30 Jun 2014 after the meeting
        "3.1.A": ("work_underway", "Green", "on track"),
        "3.2.A": ("blocked", "Red", "blocked"),
        "4.1.A": ("completed", "Green", "completed"),
        "4.1.B": ("work_underway", "Green", "on track"),
        "5.2.A": ("completed", "Green", "completed"),
    }
    snapshot = {row["ref"]: (row["rag"], row["rag_reason"], row["rag_as_at"]) for row in demo.meetings.get().snapshot}
    assert snapshot["2.1.B"] == ("Amber", "due in 14 days and not started", "2014-01-31")  # what the board saw


def test_the_demo_owner_manages_actions_and_has_updated_them_since_the_meeting(demo, users):
    owner = users["action_owner"]
    assert owner.get_full_name() == "Head of Contact Management"
    assert sorted(Action.objects.filter(manager=owner).values_list("ref", flat=True)) == ["1.1.A", "1.1.B", "1.2.A"]
    meeting = demo.meetings.get()
    assert (meeting.title, meeting.held_on) == MEETING
    since = list(ChangeEvent.objects.since(meeting))
    assert {(e.item_ref, e.field) for e in since if e.who_id == owner.pk} >= {("1.1.B", "status"),
                                                                          ("1.1.B", "position"),
                                                                          ("1.2.A", "position")}
    assert any(e.field == "target_date" and e.item_ref == "2.1.B" for e in since)


def test_every_role_has_something_real_to_see(client, users, demo):
    client.force_login(users["action_owner"])
    mine = client.get(reverse("plans:mine"), {"format": "json"}).json()["actions"]
    assert [a["ref"] for a in mine] == ["1.2.A", "1.1.B", "1.1.A"]  # the open one first, then the completed
    client.force_login(users["board_member"])
    meeting = demo.meetings.get()
    data = client.get(reverse("plans:plan", args=[demo.pk]), {"since": meeting.pk, "format": "json"}).json()
    changed = {a["ref"] for r in data["recommendations"] for s in r["responses"] for a in s["actions"] if a["changed"]}
    assert {"1.1.B", "1.2.A", "2.1.B"} <= changed
    register = demo.risk_registers.get()
    risks = client.get(reverse("plans:risk_register", args=[register.pk]), {"format": "json"}).json()["risks"]
    assert [(r["ref"], r["band"], r["mitigations"]) for r in risks] == [
        ("1", "High", "1.1.B; 1.2.A"), ("2", "Medium", "3.1.A; 3.2.A"), ("3", "Medium", "2.1.A; 5.2.A"),
        ("4", "Medium", "4.1.A; 4.1.B")]
    assert [r["last_reviewed_on"] for r in risks] == ["2014-02-13"] * 4
    assert [r["review_overdue"] for r in risks] == [True, False, False, False]  # monthly for a high risk


def test_loading_twice_changes_nothing(demo, users):
    again, loaded = demo_plan_load(analyst=users["analyst"], owner=users["action_owner"])
    assert (again, loaded) == (demo, False)
    assert Action.objects.count() == 10 and demo.meetings.count() == 1
