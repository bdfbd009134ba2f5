"""Recommendation and response pages: their text and ref, their own status when they have no action, their
children, their history."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from citizenfocus.accounts.permissions import role_required
from citizenfocus.plans import selectors, services
from citizenfocus.plans.access import can_edit_plans
from citizenfocus.plans.forms import ActionCreateForm, RecommendationForm, ResponseForm
from citizenfocus.plans.models import ChangeEvent, PlanResponse, Recommendation

from .common import Table, archive_or_restore, get_plan_for_user, page, submit, today
from .payloads import EVENT_COLUMNS, event_row, standing_row

CHILD_COLUMNS = ("ref", "text", "archived")


def _item_page(request, *, kind: str, item, plan, children, child_kind: str, forms: dict, status: int = 200):
    history = list(ChangeEvent.objects.for_item(kind, item.pk))
    rows = [{"id": c.pk, "ref": c.ref, "text": getattr(c, "text", None) or getattr(c, "description", ""),
             "archived": c.archived} for c in children]
    tables = [Table("children", f"{kind}-{item.pk}-{child_kind}s", CHILD_COLUMNS,
                    lambda: ([r[c] for c in CHILD_COLUMNS] for r in rows)),
              Table("history", f"{kind}-{item.pk}-history", EVENT_COLUMNS,
                    lambda: ([event_row(e)[c] for c in EVENT_COLUMNS] for e in history))]
    context = {"kind": kind, "item": item, "plan": plan, "labels": plan.labels, "children": children,
               "child_kind": child_kind, "history": history, "describe": selectors.describe_event,
               "can_edit": can_edit_plans(request.user), "today": today(), "as_at": plan.as_at(today()), **forms}
    data = {kind: {"id": item.pk, "ref": item.ref, "text": item.text, "archived": item.archived, "plan": plan.pk,
                   "own": standing_row(item)},
            f"{child_kind}s": rows, "history": [event_row(e) for e in history]}
    return page(request, "plans/item.html", context, data=lambda: data, tables=tables, status=status)


def _edit_initial(item) -> dict:
    return {"ref": item.ref, "text": item.text, "status": item.status, "completion_date": item.completion_date,
            "owner": item.owner, "position": item.position, "version": item.version}


def recommendation_page(request, rec, *, edit_form=None, child_form=None, status=200):
    can_edit = can_edit_plans(request.user)
    forms = {
        "edit_form": edit_form or (RecommendationForm(initial=_edit_initial(rec), editing=True) if can_edit else None),
        "child_form": child_form or (ResponseForm() if can_edit else None),
        "edit_url": reverse("plans:recommendation_edit", args=[rec.pk]),
        "archive_url": reverse("plans:recommendation_archive", args=[rec.pk]),
        "child_url": reverse("plans:response_create", args=[rec.pk]),
        "child_route": "plans:response",
    }
    return _item_page(request, kind="recommendation", item=rec, plan=rec.plan, children=list(rec.responses.all()),
                      child_kind="response", forms=forms, status=status)


def response_page(request, response, *, edit_form=None, action_form=None, status=200):
    can_edit = can_edit_plans(request.user)
    forms = {
        "edit_form": edit_form or (ResponseForm(initial=_edit_initial(response), editing=True) if can_edit else None),
        "child_form": action_form or (ActionCreateForm() if can_edit else None),
        "edit_url": reverse("plans:response_edit", args=[response.pk]),
        "archive_url": reverse("plans:response_archive", args=[response.pk]),
        "child_url": reverse("plans:action_create", args=[response.pk]),
        "child_route": "plans:action", "parent": response.recommendation,
    }
    return _item_page(request, kind="response", item=response, plan=response.plan,
                      children=list(response.actions.select_related("response__recommendation__plan")),
                      child_kind="action", forms=forms, status=status)


def _rec(pk):
    return get_object_or_404(Recommendation.objects.select_related("plan"), pk=pk)


def _response(pk):
    return get_object_or_404(PlanResponse.objects.select_related("recommendation__plan"), pk=pk)


@role_required("view")
def recommendation_detail(request, pk: int):
    return recommendation_page(request, _rec(pk))


@role_required("view")
def response_detail(request, pk: int):
    return response_page(request, _response(pk))


def _not_added(request, plan, form):
    """The add form sits on the plan page: its errors are said there, by the form."""
    for error in [e for errors in form.errors.values() for e in errors]:
        messages.error(request, f"The {plan.labels['level1'].lower()} was not added: {error}")
    return redirect(reverse("plans:plan", args=[plan.pk]) + "#add-recommendation")


@role_required("edit_plans")
@require_POST
def recommendation_create(request, pk: int):
    plan, _ = get_plan_for_user(request, pk)
    return submit(request, RecommendationForm(request.POST),
                  lambda data: services.recommendation_create(plan=plan, user=request.user, **data),
                  done=lambda rec: reverse("plans:recommendation", args=[rec.pk]), created=True,
                  again=lambda form: _not_added(request, plan, form))


@role_required("edit_plans")
@require_POST
def recommendation_edit(request, pk: int):
    rec = _rec(pk)
    return submit(request, RecommendationForm(request.POST, editing=True),
                  lambda data: services.recommendation_edit(recommendation=rec, user=request.user, **data),
                  done=reverse("plans:recommendation", args=[rec.pk]),
                  again=lambda form: recommendation_page(request, rec, edit_form=form, status=400))


@role_required("edit_plans")
@require_POST
def recommendation_archive(request, pk: int):
    rec = _rec(pk)
    return archive_or_restore(request, lambda **choice: services.recommendation_archive(
        recommendation=rec, user=request.user, **choice), reverse("plans:recommendation", args=[rec.pk]))


@role_required("edit_plans")
@require_POST
def response_create(request, pk: int):
    rec = _rec(pk)
    return submit(request, ResponseForm(request.POST),
                  lambda data: services.response_create(recommendation=rec, user=request.user, **data),
                  done=lambda response: reverse("plans:response", args=[response.pk]), created=True,
                  again=lambda form: recommendation_page(request, rec, child_form=form, status=400))


@role_required("edit_plans")
@require_POST
def response_edit(request, pk: int):
    response = _response(pk)
    return submit(request, ResponseForm(request.POST, editing=True),
                  lambda data: services.response_edit(response=response, user=request.user, **data),
                  done=reverse("plans:response", args=[response.pk]),
                  again=lambda form: response_page(request, response, edit_form=form, status=400))


@role_required("edit_plans")
@require_POST
def response_archive(request, pk: int):
    response = _response(pk)
    return archive_or_restore(request, lambda **choice: services.response_archive(
        response=response, user=request.user, **choice), reverse("plans:response", args=[response.pk]))
