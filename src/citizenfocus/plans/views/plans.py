"""The plan list, a plan's board table (with changes since a meeting), its history and exports.

Every RAG on these pages is as at the plan's reporting date (Plan.as_at), and the page says which.
"""

from __future__ import annotations

from django.db.models import Max
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from citizenfocus.accounts.permissions import role_required
from citizenfocus.plans import board, exporting, selectors, services
from citizenfocus.plans.forms import PlanForm, RecommendationForm
from citizenfocus.plans.models import Action, ChangeEvent, Meeting, Plan, PositionUpdate

from .common import Table, archive_or_restore, get_plan_for_user, page, submit, today
from .payloads import EVENT_COLUMNS, event_row, plan_payload, plan_row

PLAN_COLUMNS = ("id", "title", "source", "owning_body", "status", "archived", "rag_as_at", "actions", "red",
                "amber", "green", "completed", "start_date", "end_date")


@role_required("view")
def index(request):
    show_archived = request.GET.get("archived") == "1"
    plans = Plan.objects.all() if show_archived else Plan.objects.live()
    day = today()
    rows = [plan_row(p, selectors.plan_summary(p, as_at=p.as_at(day))) for p in plans]
    table = Table("plans", "action-plans", PLAN_COLUMNS, lambda: ([r[c] for c in PLAN_COLUMNS] for r in rows))
    return page(request, "plans/index.html", {"rows": rows, "show_archived": show_archived, "today": day},
                data=lambda: {"plans": rows}, tables=[table])


def _plan_form_page(request, form, plan=None):
    return render(request, "plans/plan_form.html", {"form": form, "plan": plan}, status=400 if form.errors else 200)


@role_required("edit_plans")
@require_http_methods(["GET", "POST"])
def plan_create(request):
    form = PlanForm(request.POST or None)
    if request.method == "GET":
        return _plan_form_page(request, form)
    return submit(request, form, lambda data: services.plan_create(user=request.user, **data),
                  done=lambda plan: reverse("plans:plan", args=[plan.pk]), created=True,
                  again=lambda form: _plan_form_page(request, form))


def _since(request, plan: Plan) -> Meeting | None:
    value = request.GET.get("since", "")
    if value.isdigit():
        return get_object_or_404(Meeting, pk=int(value), plan=plan)
    return None


@role_required("view")
def plan_detail(request, pk: int):
    plan, can_edit = get_plan_for_user(request, pk)
    since = _since(request, plan)
    as_at = plan.as_at(today())
    only = request.GET.get("only", "")
    rows = selectors.filter_rows(selectors.board_rows(plan, as_at=as_at, since=since), only, user=request.user,
                                 as_at=as_at)
    cells = [board.cells(r) for r in rows]
    meetings = list(plan.meetings.filter(archived=False))
    events = list(ChangeEvent.objects.since(since)) if since else []
    titles = [board.headers(plan)[c] for c in selectors.COLUMNS]
    table = Table("plan", board.file_stem(plan, today()), [*titles, "RAG"],
                  lambda: ([c[k] for k in selectors.COLUMNS] + [r.rag.label if r.rag else ""]
                           for r, c in zip(rows, cells, strict=True)))
    latest = PositionUpdate.objects.filter(action__in=Action.objects.live().in_plan(plan)) \
        .aggregate(latest=Max("position_date"))["latest"]
    context = {
        "plan": plan, "can_edit": can_edit, "rows": list(zip(rows, cells, strict=True)), "since": since,
        "meetings": meetings, "only": only, "as_at": as_at, "as_at_is_today": as_at == today(),
        "later_positions": latest if plan.reporting_date and latest and latest > plan.reporting_date else None,
        "filters": selectors.FILTERS, "summary": selectors.plan_summary(plan, as_at=as_at), "events": events,
        "describe": selectors.describe_event, "labels": plan.labels, "headers": board.headers(plan),
        "recommendation_form": RecommendationForm() if can_edit else None,
        "registers": plan.risk_registers.filter(archived=False),
    }
    return page(request, "plans/plan.html", context, tables=[table],
                data=lambda: plan_payload(plan, rows, since=since, events=events, as_at=as_at))


@role_required("edit_plans")
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk: int):
    plan, _ = get_plan_for_user(request, pk)
    initial = {**{f: getattr(plan, f) for f in services.tree.PLAN_FIELDS}, "version": plan.version}
    form = PlanForm(request.POST or None, initial=initial, editing=True)
    if request.method == "GET":
        return _plan_form_page(request, form, plan)
    return submit(request, form, lambda data: services.plan_edit(plan=plan, user=request.user, **data),
                  done=reverse("plans:plan", args=[plan.pk]), again=lambda form: _plan_form_page(request, form, plan))


@role_required("edit_plans")
@require_POST
def plan_archive(request, pk: int):
    plan, _ = get_plan_for_user(request, pk)
    return archive_or_restore(request, lambda **choice: services.plan_archive(plan=plan, user=request.user, **choice),
                              reverse("plans:plan", args=[plan.pk]))


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
