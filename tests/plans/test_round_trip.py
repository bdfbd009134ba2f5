"""Import, export, import: the same plan, field by field, from every kind of plan the importer reads, in each format.

Every recommendation, response and action; each item's own cells; statuses, completion dates as precisely as
given, targets and revisions; every dated update with its date; and (in Word and Excel) the plan's title and
the date its RAG is worked out at.
"""

import datetime as dt

import pytest
from django.utils import timezone

from citizenfocus.demo import action_plan as bme_plan
from citizenfocus.plans import services
from citizenfocus.plans.exporting import plan_export
from citizenfocus.plans.importing import plan_read
from citizenfocus.plans.models import Action

from .fixtures import excel_fill, hmicfrs_word, scrutiny_word, shaded_word
from .fixtures.shape import parsed_tree, saved_tree

pytestmark = pytest.mark.django_db
FIXTURES = {"demo": (bme_plan, ".docx"), "scrutiny": (scrutiny_word, ".docx"), "shaded": (shaded_word, ".docx"),
            "excel": (excel_fill, ".xlsx"), "hmicfrs": (hmicfrs_word, ".docx")}


def _import(path, users):
    preview = services.plan_import_preview(path=path, user=users["analyst"])
    return services.plan_import(plan_import=preview, user=users["analyst"], accept_problems=True)


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "csv"])
@pytest.mark.parametrize("name", list(FIXTURES))
def test_import_export_import_gives_the_same_plan(users, tmp_path, name, fmt):
    module, suffix = FIXTURES[name]
    source = tmp_path / f"source{suffix}"
    module.build(source)
    first = _import(source, users)
    before = saved_tree(first)

    exported = tmp_path / f"exported.{fmt}"
    exported.write_bytes(plan_export(first, fmt, today=dt.date(2025, 6, 3)))
    assert parsed_tree(plan_read(exported)) == before

    again = _import(exported, users)
    assert saved_tree(again) == before
    if fmt != "csv":  # a CSV file is only the table: no title, no date above it
        assert (again.title, again.reporting_date, again.source, again.owning_body) == \
            (first.title, first.reporting_date, first.source, first.owning_body)


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "csv"])
def test_a_round_trip_keeps_the_owners_work_after_the_import(imported, users, tmp_path, fmt):
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
    before = saved_tree(imported)

    path = tmp_path / f"exported.{fmt}"
    path.write_bytes(plan_export(imported, fmt, today=today))
    parsed = plan_read(path)
    assert parsed.problems == []
    assert parsed_tree(parsed) == before
    again = _import(path, users)
    assert saved_tree(again) == before
    revised = Action.objects.get(ref="2.1.B", response__recommendation__plan=again)
    assert (revised.original_target_date, revised.target_date) == (dt.date(2014, 2, 14), dt.date(2015, 3, 31))


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
