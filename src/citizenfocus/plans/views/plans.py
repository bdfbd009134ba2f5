"""The plan list, a plan's board table (with changes since a meeting), its history and exports."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from citizenfocus.accounts.permissions import role_required
from citizenfocus.core.formats import wants_json
from citizenfocus.plans import board, exporting, selectors, services
from citizenfocus.plans.forms import PlanForm, RecommendationForm
from citizenfocus.plans.models import Meeting, Plan

from .common import Table, form_errors_json, get_plan_for_user, page, today
from .payloads import plan_payload, plan_row

PLAN_COLUMNS = ("id", "title", "source", "owning_body", "status", "archived", "actions", "red", "amber", "green",
                "completed", "start_date", "end_date")


@role_required("view")
def index(request):
    show_archived = request.GET.get("archived") == "1"
    plans = Plan.objects.all() if show_archived else Plan.objects.filter(archived=False)
    day = today()
    rows = [plan_row(p, selectors.plan_summary(p, today=day)) for p in plans]
    table = Table("plans", "action-plans", PLAN_COLUMNS, lambda: ([r[c] for c in PLAN_COLUMNS] for r in rows))
    return page(request, "plans/index.html", {"rows": rows, "show_archived": show_archived},
                data=lambda: {"plans": rows}, tables=[table])


@role_required("edit_plans")
@require_http_methods(["GET", "POST"])
def plan_create(request):
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            if wants_json(request):
                return JsonResponse({"status": "created", "id": plan.pk}, status=201)
            return redirect("plans:plan", pk=plan.pk)
    if request.method == "POST" and wants_json(request):
        return JsonResponse(form_errors_json(form), status=400)
    return render(request, "plans/plan_form.html", {"form": form, "plan": None},
                  status=400 if form.errors else 200)


def _since(request, plan: Plan) -> Meeting | None:
    value = request.GET.get("since", "")
    if value.isdigit():
        return get_object_or_404(Meeting, pk=int(value), plan=plan)
    return None


@role_required("view")
def plan_detail(request, pk: int):
    plan, can_edit = get_plan_for_user(request, pk)
    since = _since(request, plan)
    day = today()
    only = request.GET.get("only", "")
    rows = selectors.filter_rows(selectors.board_rows(plan, today=day, since=since), only, user=request.user, today=day)
    cells = [board.cells(r) for r in rows]
    meetings = list(plan.meetings.filter(archived=False))
    events = list(selectors.events_since(plan, since)) if since else []
    titles = [board.headers(plan)[c] for c in selectors.COLUMNS]
    table = Table("plan", board.file_stem(plan, day), [*titles, "RAG"],
                  lambda: ([c[k] for k in selectors.COLUMNS] + [r.rag.label if r.rag else ""]
                           for r, c in zip(rows, cells, strict=True)))
    context = {
        "plan": plan, "can_edit": can_edit, "rows": list(zip(rows, cells, strict=True)), "since": since,
        "meetings": meetings, "only": only,
        "filters": selectors.FILTERS, "summary": selectors.plan_summary(plan, today=day), "events": events,
        "describe": selectors.describe_event, "labels": plan.labels, "headers": board.headers(plan),
        "recommendation_form": RecommendationForm() if can_edit else None,
        "registers": plan.risk_registers.filter(archived=False),
    }
    return page(request, "plans/plan.html", context, tables=[table],
                data=lambda: plan_payload(plan, rows, since=since, events=events, today=day))


@role_required("edit_plans")
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk: int):
    plan, _ = get_plan_for_user(request, pk)
    initial = {f: getattr(plan, f) for f in services.tree.PLAN_FIELDS}
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_edit(plan=plan, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            return JsonResponse({"status": "saved"}) if wants_json(request) else redirect("plans:plan", pk=plan.pk)
    if request.method == "POST" and wants_json(request):
        return JsonResponse(form_errors_json(form), status=400)
    return render(request, "plans/plan_form.html", {"form": form, "plan": plan}, status=400 if form.errors else 200)


@role_required("edit_plans")
@require_POST
def plan_archive(request, pk: int):
    plan, _ = get_plan_for_user(request, pk)
    services.plan_archive(plan=plan, user=request.user, archived=request.POST.get("archived", "1") == "1")
    return redirect("plans:plan", pk=plan.pk)


@role_required("view")
def plan_export(request, pk: int):
    """The board's Word table (or the same as XLSX / CSV), with changes since a meeting when chosen."""
    plan, _ = get_plan_for_user(request, pk)
    fmt = request.GET.get("format", "docx")
    if fmt not in exporting.CONTENT_TYPES:
        return HttpResponse("format must be docx, xlsx or csv", status=400, content_type="text/plain")
    day = today()
    body = exporting.plan_export(plan, fmt, today=day, since=_since(request, plan))
    response = HttpResponse(body, content_type=exporting.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{board.file_stem(plan, day)}.{fmt}"'
    return response


EVENT_COLUMNS = ("at", "who", "item", "ref", "field", "old", "new", "note")


def event_row(event) -> dict:
    return {"at": event.at.isoformat(timespec="seconds"), "who": event.who_name,
            "item": event.get_item_kind_display(), "item_id": event.item_id, "ref": event.item_ref,
            "field": event.field, "old": event.old_value, "new": event.new_value, "note": event.note,
            "change": selectors.describe_event(event)}


@role_required("view")
def plan_history(request, pk: int):
    plan, _ = get_plan_for_user(request, pk)
    events = plan.events.all()
    limit = None if request.GET.get("all") == "1" else 500
    shown = list(events[:limit] if limit else events)
    table = Table("history", f"plan-{plan.pk}-history", EVENT_COLUMNS,
                  lambda: ([event_row(e)[c] for c in EVENT_COLUMNS] for e in events.iterator()))
    return page(request, "plans/history.html", {"plan": plan, "events": shown, "total": events.count(),
                                                "limit": limit, "describe": selectors.describe_event},
                data=lambda: {"plan": plan.pk, "events": [event_row(e) for e in shown]}, tables=[table])
