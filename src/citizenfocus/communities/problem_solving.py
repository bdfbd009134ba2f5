"""A local priority's problem-solving plan in the action plans: its actions through the plans app's services.

The first action added to a priority creates its plan (owned by the neighbourhood team), with what people
raised as the recommendation and the team's response (the R of SARA) as the response; each action is then an
ordinary plan action, with its status, target date, RAG and owners' updates in the action plan pages.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from citizenfocus.plans.models import Action, Plan, PlanResponse
from citizenfocus.plans.services import (
    action_create,
    plan_create,
    recommendation_create,
    response_create,
)

from .models import LocalPriority


def plan_with_response(*, user, title: str, source: str, owning_body: str, recommendation: str, response: str,
                       description: str = "") -> Plan:
    """A new plan with one recommendation and its response, ready for actions (all through the plans' services)."""
    plan = plan_create(title=title, user=user, source=source, owning_body=owning_body, description=description)
    made = recommendation_create(plan=plan, user=user, text=recommendation)
    response_create(recommendation=made, user=user, text=response)
    return plan


def first_response(plan: Plan) -> PlanResponse:
    return PlanResponse.objects.filter(recommendation__plan=plan).order_by("pk").first()


def _plan_response(priority: LocalPriority, user) -> PlanResponse:
    if priority.plan is None:
        hood = priority.neighbourhood.name
        priority.plan = plan_with_response(
            user=user, title=f"Problem-solving plan: {priority.title} ({hood})", source=Plan.Source.INTERNAL,
            owning_body=f"{hood} neighbourhood team", recommendation=f"You said: {priority.you_said}",
            response=priority.response or "The neighbourhood team's response to the priority",
            description="\n".join(filter(None, [priority.scanning, priority.analysis])))
        priority.save(update_fields=["plan"])
    return first_response(priority.plan)


@transaction.atomic
def priority_action_add(*, priority: LocalPriority, user, description: str, target_date: dt.date | None = None,
                        manager_name: str = "") -> Action:
    """Add an action to the priority's problem-solving plan (created with the first action)."""
    return action_create(response=_plan_response(priority, user), user=user, description=description,
                         target_date=target_date, manager_name=manager_name)


def priority_actions(priority: LocalPriority) -> list[dict]:
    """The priority's plan's actions as rows."""
    return plan_actions(priority.plan)


def plan_actions(plan: Plan | None) -> list[dict]:
    """A plan's actions as rows: reference, description, status, target date and RAG in words."""
    if plan is None:
        return []
    rows = []
    for action in Action.objects.filter(response__recommendation__plan=plan, archived=False) \
            .select_related("response__recommendation__plan").order_by("sort_key"):
        rag = action.rag()
        rows.append({"ref": action.ref, "description": action.description, "status": action.get_status_display(),
                     "target_date": action.target_date.isoformat() if action.target_date else "",
                     "manager": action.manager_name, "rag": f"{rag.label}: {rag.reason}"})
    return rows
