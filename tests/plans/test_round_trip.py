"""Import, export, import: every recommendation, response, action, status and date survives, in each format."""

import datetime as dt

import pytest
from django.utils import timezone

from citizenfocus.plans import services
from citizenfocus.plans.exporting import plan_export
from citizenfocus.plans.importing import plan_read
from citizenfocus.plans.models import Action

pytestmark = pytest.mark.django_db


def _shape(parsed_or_plan):
    """(ref, text) of each level, and each action's status, dates and latest position date."""
    out = []
    for rec in parsed_or_plan:
        out.append(("rec", rec["ref"], rec["text"]))
        for response in rec["responses"]:
            out.append(("response", response["ref"], response["text"]))
            for a in response["actions"]:
                out.append(("action", a["ref"], a["description"], a["department"], a["manager"], a["status"],
                            a["target_date"], a["original_target_date"], a["completion_date"], a["position_date"]))
    return out


def _from_parsed(parsed, today):
    recs = []
    for rec in parsed.recommendations:
        responses = []
        for response in rec.responses:
            actions = [{"ref": a.ref, "description": a.description, "department": a.department,
                        "manager": a.manager_name, "status": a.status, "target_date": a.target_date,
                        "original_target_date": a.original_target_date, "completion_date": a.completion_date,
                        "position_date": max((u.position_date or today for u in a.updates), default=None)}
                       for a in response.actions]
            responses.append({"ref": response.ref, "text": response.text, "actions": actions})
        recs.append({"ref": rec.ref, "text": rec.text, "responses": responses})
    return _shape(recs)


def _from_db(plan):
    from citizenfocus.plans.selectors import plan_tree

    recs = []
    for rec in plan_tree(plan):
        responses = []
        for response in rec.responses.all():
            actions = []
            for a in response.actions.all():
                latest = a.latest_update()
                actions.append({"ref": a.ref, "description": a.description, "department": a.department,
                                "manager": a.manager_label, "status": a.status, "target_date": a.target_date,
                                "original_target_date": a.original_target_date, "completion_date": a.completion_date,
                                "position_date": latest.position_date if latest else None})
            responses.append({"ref": response.ref, "text": response.text, "actions": actions})
        recs.append({"ref": rec.ref, "text": rec.text, "responses": responses})
    return _shape(recs)


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "csv"])
def test_a_round_trip_keeps_every_item_status_and_date(imported, users, tmp_path, fmt):
    today = timezone.localdate()
    # Owners' work after the import: a status change, a revised target, a completion and a new position.
    dip = Action.objects.get(ref="1.1.B")
    services.action_update(action=dip, user=users["analyst"], status="completed", text="Dip-sample embedded.",
                           completion_date=today - dt.timedelta(days=2))
    focus = Action.objects.get(ref="2.1.B")
    services.action_edit(action=focus, user=users["analyst"], ref="2.1.B", description=focus.description,
                         department=focus.department, manager_name=focus.manager_name,
                         target_date=dt.date(2015, 3, 31), target_reason="Waiting for the IAG's availability")
    services.action_update(action=focus, user=users["analyst"], status="work_underway",
                           text="First focus group held.\nSecond booked.", position_date=today - dt.timedelta(days=5))
    before = _from_db(imported)

    path = tmp_path / f"exported.{fmt}"
    path.write_bytes(plan_export(imported, fmt, today=today))
    parsed = plan_read(path)
    assert parsed.problems == []
    assert _from_parsed(parsed, today) == before

    # ... and saved again, the new plan is the same as the first.
    preview = services.plan_import_preview(path=path, user=users["analyst"])
    again = services.plan_import(plan_import=preview, user=users["analyst"])
    assert _from_db(again) == before
    assert again.title == (imported.title if fmt != "csv" else "exported")
    revised = Action.objects.get(ref="2.1.B", response__recommendation__plan=again)
    assert (revised.original_target_date, revised.target_date) == (dt.date(2014, 9, 30), dt.date(2015, 3, 31))


def test_the_round_trip_starts_from_the_words_of_the_original(imported):
    first = Action.objects.get(ref="1.1.B")
    assert first.description.startswith("Monthly dip-sample")
    assert first.latest_update().position_date == dt.date(2014, 3, 31)


def test_an_objective_plan_round_trips_with_its_own_labels(users, tmp_path):
    plan = services.plan_create(title="Race equality scheme", user=users["analyst"], kind="objectives",
                                source="equality_scheme")
    objective = services.recommendation_create(plan=plan, user=users["analyst"], ref="R1",
                                               text="Every policy has an equality impact assessment")
    commitment = services.response_create(recommendation=objective, user=users["analyst"], text="Assess new policies")
    services.action_create(response=commitment, user=users["analyst"], description="Template issued",
                           department="Diversity Unit", manager_name="Head of Diversity",
                           target_date=dt.date(2014, 6, 30))
    services.recommendation_create(plan=plan, user=users["analyst"], ref="R2", text="Community tension returns")
    path = tmp_path / "scheme.docx"
    path.write_bytes(plan_export(plan, "docx", today=dt.date(2014, 4, 1)))
    parsed = plan_read(path)
    assert parsed.columns == {"Ref": "Ref", "Recommendation": "Objective", "Force response": "Commitment",
                              "Department and action manager": "Lead", "Current position": "Activity and progress",
                              "Progress": "Progress", "Completion date": "Target or completion date"}
    tree = [(r.ref, [(s.ref, [(a.ref, a.status, a.target_date, a.department, a.manager_name) for a in s.actions])
                     for s in r.responses]) for r in parsed.recommendations]
    assert tree == [("R1", [("R1.1", [("R1.1.A", "not_started", dt.date(2014, 6, 30), "Diversity Unit",
                                       "Head of Diversity")])]), ("R2", [])]
