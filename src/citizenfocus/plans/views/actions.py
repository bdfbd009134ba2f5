"""An action's page, owners' updates, analysts' edits, evidence files, "my actions" and the due lists."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from citizenfocus.accounts.permissions import role_required
from citizenfocus.plans import indicators, rag, selectors, services
from citizenfocus.plans.access import can_read_plan
from citizenfocus.plans.forms import (
    ActionCreateForm,
    ActionForm,
    ActionUpdateForm,
    IndicatorForm,
    VersionForm,
)
from citizenfocus.plans.models import Action, ChangeEvent, Evidence, PlanResponse

from .common import (
    Table,
    archive_or_restore,
    get_action_for_user,
    page,
    require_update,
    say_stale,
    submit,
    today,
)
from .payloads import (
    EVENT_COLUMNS,
    REVISION_COLUMNS,
    UPDATE_COLUMNS,
    action_payload,
    event_row,
    revision_row,
    update_row,
)
from .tree import response_page


def _edit_initial(action) -> dict:
    return {"ref": action.ref, "description": action.description, "department": action.department,
            "manager": action.manager_id, "manager_name": action.manager_name, "start_date": action.start_date,
            "target_date": action.target_date, "version": action.version}


def _indicator_initial(action) -> dict:
    link = getattr(action, "indicator", None)
    if link is None or link.archived:
        return {"version": action.version}
    area = f"neighbourhood:{link.neighbourhood_id}" if link.neighbourhood_id else (
        f"division:{link.division_id}" if link.division_id else "force")
    return {"measure": f"{link.survey_key}.{link.measure_key}", "group": link.group, "area": area,
            "version": action.version}


def update_form_for(action, **kwargs) -> ActionUpdateForm:
    """An owner's update form, opened on the action's status and version."""
    return ActionUpdateForm(initial={"status": action.status, "version": action.version}, **kwargs)


def _action_page(request, action, can_update: bool, can_edit: bool, *, update_form=None, edit_form=None,
                 indicator_form=None, status: int = 200):
    day = today()
    as_at = action.plan.as_at(day)
    history = list(ChangeEvent.objects.for_item("action", action.pk))
    comparison = indicators.before_and_after(action, today=day)
    updates = list(action.updates.prefetch_related("evidence"))
    revisions = list(action.target_revisions.all())
    tables = [
        Table("updates", f"action-{action.pk}-positions", UPDATE_COLUMNS,
              lambda: ([update_row(u)[c] for c in UPDATE_COLUMNS] for u in updates)),
        Table("revisions", f"action-{action.pk}-target-dates", REVISION_COLUMNS,
              lambda: ([revision_row(r)[c] for c in REVISION_COLUMNS] for r in revisions)),
        Table("history", f"action-{action.pk}-history", EVENT_COLUMNS,
              lambda: ([event_row(e)[c] for c in EVENT_COLUMNS] for e in history)),
    ]
    context = {
        "action": action, "plan": action.plan, "labels": action.plan.labels, "can_update": can_update,
        "can_edit": can_edit, "rag": action.rag(today=as_at), "as_at": as_at, "as_at_is_today": as_at == day,
        "updates": updates, "revisions": revisions,
        "history": history, "describe": selectors.describe_event, "comparison": comparison,
        "mitigates": action.mitigates.filter(archived=False).select_related("risk__register"),
        "update_form": update_form or (update_form_for(action) if can_update else None),
        "edit_form": edit_form or (ActionForm(initial=_edit_initial(action), editing=True) if can_edit else None),
        "indicator_form": indicator_form or (IndicatorForm(initial=_indicator_initial(action)) if can_edit else None),
    }
    return page(request, "plans/action.html", context, tables=tables, status=status,
                data=lambda: action_payload(action, as_at=as_at, history=history, indicator=comparison))


@role_required("view")
def action_detail(request, pk: int):
    action, can_update, can_edit = get_action_for_user(request, pk)
    return _action_page(request, action, can_update, can_edit)


def _next_url(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


@role_required("update_actions")
@require_POST
def action_update(request, pk: int):
    """An owner's update: position, status, links and evidence files."""
    action, can_update, can_edit = get_action_for_user(request, pk)
    require_update(request, action)
    return submit(
        request, ActionUpdateForm(request.POST, request.FILES),
        lambda data: services.action_update(action=action, user=request.user, status=data["status"], text=data["text"],
                                            position_date=data["position_date"], links=data["links"],
                                            files=data["evidence"], completion_date=data["completion_date"],
                                            version=data["version"]),
        done=_next_url(request, action_url(action)),
        message=lambda _: f"{action.ref} updated: {action.get_status_display()}.",
        json=lambda _: {"status": "saved", "action": selectors.action_row(action)},
        again=lambda form: _action_page(request, action, can_update, can_edit, update_form=form, status=400))


def action_url(action) -> str:
    return reverse("plans:action", args=[action.pk])


@role_required("edit_plans")
@require_POST
def action_edit(request, pk: int):
    action, can_update, can_edit = get_action_for_user(request, pk)
    return submit(request, ActionForm(request.POST, editing=True),
                  lambda data: services.action_edit(action=action, user=request.user, **data), done=action_url(action),
                  again=lambda form: _action_page(request, action, can_update, can_edit, edit_form=form, status=400))


@role_required("edit_plans")
@require_POST
def action_create(request, pk: int):
    response = get_object_or_404(PlanResponse.objects.select_related("recommendation__plan"), pk=pk)
    return submit(request, ActionCreateForm(request.POST),
                  lambda data: services.action_create(response=response, user=request.user, **data),
                  done=action_url, created=True,
                  again=lambda form: response_page(request, response, action_form=form, status=400))


@role_required("edit_plans")
@require_POST
def action_archive(request, pk: int):
    action, _, _ = get_action_for_user(request, pk)
    return archive_or_restore(request, lambda **choice: services.action_archive(
        action=action, user=request.user, **choice), action_url(action))


@role_required("edit_plans")
@require_POST
def action_indicator(request, pk: int):
    action, can_update, can_edit = get_action_for_user(request, pk)
    form = IndicatorForm(request.POST)
    return submit(request, form,
                  lambda data: services.action_indicator_set(action=action, user=request.user, version=data["version"],
                                                             **form.link_values()),
                  done=action_url(action),
                  again=lambda form: _action_page(request, action, can_update, can_edit, indicator_form=form,
                                                  status=400))


@role_required("edit_plans")
@require_POST
def action_indicator_clear(request, pk: int):
    action, _, _ = get_action_for_user(request, pk)
    try:
        services.action_indicator_clear(action=action, user=request.user, version=VersionForm.posted(request))
    except services.StaleItem as exc:
        say_stale(request, exc)
    return redirect(action_url(action))


@role_required("view")
def evidence_file(request, pk: int):
    """An evidence file, only to a signed-in user who may read its plan; never from a public URL."""
    evidence = get_object_or_404(Evidence.objects.select_related("update__action__response__recommendation__plan"),
                                 pk=pk)
    if not can_read_plan(request.user, evidence.update.action.plan):
        raise Http404("no such evidence file")  # as for a wrong id: ids are sequential, so say nothing more
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("the file is missing from storage") from exc
    response = FileResponse(handle, as_attachment=True, filename=evidence.original_name,
                            content_type=evidence.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


@role_required("update_actions")
def my_actions(request):
    """The signed-in owner's actions, each with a short update form: built for a phone."""
    day = today()
    actions = list(Action.objects.live().managed_by(request.user).in_plan_order())
    urgency = {"red": 0, "amber": 1, "green": 2}
    rags = {a.pk: a.rag(today=a.plan.as_at(day)) for a in actions}
    actions.sort(key=lambda a: (a.status == a.Status.COMPLETED, urgency[rags[a.pk].colour], a.target_date or day.max))
    items = [(a, rags[a.pk], a.latest_update(), a.plan.as_at(day),
              update_form_for(a, auto_id=f"id_a{a.pk}_%s")) for a in actions]
    rows = [selectors.action_row(a, as_at=a.plan.as_at(day)) for a in actions]
    table = Table("actions", "my-actions", selectors.ACTION_COLUMNS,
                  lambda: ([r[c] for c in selectors.ACTION_COLUMNS] for r in rows))
    return page(request, "plans/mine.html", {"items": items}, data=lambda: {"actions": rows}, tables=[table])


@role_required("view")
def due(request):
    """Overdue actions, and actions due within N days, across every live plan."""
    day = today()
    days_text = request.GET.get("days", "")
    days = int(days_text) if days_text.isdigit() and int(days_text) <= 366 else rag.due_soon_days()
    mine = request.GET.get("mine") == "1"
    lists = selectors.due_lists(today=day, days=days, user=request.user if mine else None)
    rows = {name: [selectors.action_row(a, as_at=a.plan.as_at(day)) for a in actions]
            for name, actions in lists.items()}
    tables = [Table(name, f"{name.replace('_', '-')}-actions", selectors.ACTION_COLUMNS,
                    lambda name=name: ([r[c] for c in selectors.ACTION_COLUMNS] for r in rows[name]))
              for name in ("overdue", "due_soon")]
    return page(request, "plans/due.html", {"lists": lists, "days": days, "mine": mine, "today": day,
                                            "rags": {a.pk: a.rag(today=a.plan.as_at(day)) for v in lists.values()
                                                     for a in v}},
                data=lambda: {"today": day.isoformat(), "days": days, **rows}, tables=tables)
