"""The demo force's action plan, loaded so every role has something real to do.

The analyst imports last year's plan from its Word table (positions at January 2014);
the demo owner is the Head of Contact Management, so the import links the actions
that role manages to the owner's account; the Citizen Focus Board met on 13 February
2014 and its snapshot is kept; since then the owner has updated two actions, the
analyst has revised a target date and reported the plan as at 31 March 2014, the end
of the demo's data; and a risk register lists the risks the plan mitigates, reviewed
at the meeting. Every date is inside the demo's data period (April 2011 to March 2014).

Used by `citizenfocus demo`; loading twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from . import action_plan

OWNER_ROLE = ("Head of", "Contact Management")  # the demo owner's name: the role the plan names
MEETING = ("Citizen Focus Board", dt.date(2014, 2, 13))
REPORTING_DATE = dt.date(2014, 3, 31)
REGISTER = "Satisfaction gap: strategic risks"
RISKS = [  # (ref, title, likelihood, impact, owner, mitigating actions)
    ("1", "BME victims are not kept informed, so the satisfaction gap widens", 4, 4, "Head of Contact Management",
     ["1.1.B", "1.2.A"]),
    ("2", "Training is not funded, so front-line practice does not change", 3, 4, "Head of Learning and Development",
     ["3.1.A", "3.2.A"]),
    ("3", "Too few BME victims are surveyed to show a real change", 3, 3, "Head of Performance Review",
     ["2.1.A", "5.2.A"]),
    ("4", "Community confidence falls after a critical incident", 2, 5, "Chief Inspector, Partnerships",
     ["4.1.A", "4.1.B"]),
]


def demo_plan_load(*, analyst, owner) -> tuple[object, bool]:
    """(the plan, whether it was loaded now): imported, met on, updated since, with its risk register."""
    from django.db import transaction

    from citizenfocus.plans.models import Plan

    existing = Plan.objects.filter(title=action_plan.TITLE).first()
    if existing is not None:
        return existing, False
    with transaction.atomic():  # all of it or none, so a second run can finish what a failed one began
        owner.first_name, owner.last_name = OWNER_ROLE
        owner.save(update_fields=["first_name", "last_name"])
        plan = _import(analyst)
        _meeting_and_changes(plan, analyst=analyst, owner=owner)
        _risk_register(plan, analyst=analyst)
    return plan, True


def _import(analyst):
    from citizenfocus.plans.services import plan_import, plan_import_preview

    with tempfile.TemporaryDirectory(prefix="citizenfocus-demo-") as tmp:
        path = Path(tmp) / "bme-satisfaction-action-plan.docx"
        action_plan.build(path)
        preview = plan_import_preview(path=path, user=analyst)
        return plan_import(plan_import=preview, user=analyst)


def _action(plan, ref: str):
    from citizenfocus.plans.models import Action

    return Action.objects.live().in_plan(plan).get(ref=ref)


def _meeting_and_changes(plan, *, analyst, owner) -> None:
    from citizenfocus.plans import services

    title, held_on = MEETING
    services.meeting_record(plan=plan, user=analyst, title=title, held_on=held_on)
    services.action_update(action=_action(plan, "1.1.B"), user=owner, status="completed",
                           text="The dip-sample now runs in all three divisions and is part of every supervisor's "
                                "monthly routine.", position_date=dt.date(2014, 3, 20),
                           completion_date=dt.date(2014, 3, 20))
    services.action_update(action=_action(plan, "1.2.A"), user=owner, status="work_underway",
                           text="The contact contract screen is live in Central and Southern; Northern goes live "
                                "in April.", position_date=dt.date(2014, 3, 24))
    focus = _action(plan, "2.1.B")
    services.action_edit(action=focus, user=analyst, ref=focus.ref, description=focus.description,
                         department=focus.department, manager_name=focus.manager_name,
                         target_date=dt.date(2014, 6, 30),
                         target_reason="The Independent Advisory Group can meet only after its April elections")
    services.plan_edit(plan=plan, user=analyst, reporting_date=REPORTING_DATE)


def _risk_register(plan, *, analyst) -> None:
    from citizenfocus.plans import services

    register = services.risk_register_create(title=REGISTER, user=analyst, plan=plan,
                                             owning_body="Citizen Focus Board")
    assessed, reviewed = dt.date(2013, 11, 14), MEETING[1]
    for ref, title, likelihood, impact, owner_name, refs in RISKS:
        risk = services.risk_create(register=register, user=analyst, ref=ref, title=title, likelihood=likelihood,
                                    impact=impact, owner_name=owner_name, assessed_on=assessed)
        for action_ref in refs:
            services.mitigation_add(risk=risk, action=_action(plan, action_ref), user=analyst)
        if ref == "3":  # the survey now boosts its BME sample: reviewed down at the meeting
            services.risk_review(risk=risk, user=analyst, likelihood=2, impact=3, status="open", reviewed_on=reviewed,
                                 note="The survey now boosts its sample of BME victims of vehicle crime.")
        else:
            services.risk_review(risk=risk, user=analyst, likelihood=likelihood, impact=impact, status="open",
                                 reviewed_on=reviewed, note="Reviewed at the Citizen Focus Board: unchanged.")
