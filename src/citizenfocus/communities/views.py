"""Engagement pages: short views over communities/pages.py; every page has its JSON twin and table exports."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from citizenfocus.accounts.models import Profile
from citizenfocus.accounts.permissions import role_required
from citizenfocus.areas.models import Neighbourhood
from citizenfocus.core.formats import export_format, table_response, wants_json, wants_publication
from citizenfocus.performance import charts
from citizenfocus.performance.publication import publish_table

from . import pages, problem_solving, services, tension
from .access import sees_kin_contacts
from .forms import (
    KinMemberForm,
    PerceptionForm,
    PriorityActionForm,
    PriorityForm,
    TensionReturnForm,
    WeDidForm,
)
from .models import KinMember, LocalPriority
from .selectors import latest_month

CHART_TYPES = {"png": "image/png", "svg": "image/svg+xml"}


def respond(request, result, *, name: str, context: dict | None = None):
    """One PageResult as HTML, its JSON twin, a table as CSV/XLSX (publication=1: disclosure-controlled, as the
    dashboard's), or a chart as PNG/SVG."""
    if request.GET.get("chart"):
        spec, fmt = result.charts.get(request.GET["chart"]), request.GET.get("format")
        if spec is None or fmt not in CHART_TYPES:
            raise Http404("no such chart or format (png or svg)")
        return HttpResponse(charts.render(spec, fmt), content_type=CHART_TYPES[fmt])
    if fmt := export_format(request):
        table = result.tables.get(request.GET.get("table") or next(iter(result.tables), ""))
        if table is None:
            raise Http404("no such table on this page")
        if wants_publication(request):
            table = publish_table(table)
        return table_response(fmt, f"{name}-{request.GET.get('table', '')}".rstrip("-"), [c.label for c in table.columns],
                              ([row.get(c.key) for c in table.columns] for row in table.rows))
    if wants_json(request):
        return JsonResponse(result.as_dict())
    query = request.GET.copy()
    for param in ("format", "table", "chart"):
        query.pop(param, None)
    return render(request, "communities/page.html", {"result": result, "query": query.urlencode(), **(context or {})})


def _month(request, hood) -> dt.date:
    """The month asked for (YYYY-MM); by default the latest month with perceptions, else this month."""
    if not request.GET.get("month"):
        return latest_month(neighbourhood=hood) or dt.date.today().replace(day=1)
    try:
        return dt.date.fromisoformat(request.GET["month"] + "-01")
    except ValueError:
        raise Http404("month must be given as YYYY-MM") from None


@role_required("engage")
@require_GET
def home(request):
    hoods = list(Neighbourhood.objects.filter(archived=False).select_related("division"))
    home_id = Profile.objects.filter(user=request.user).values_list("neighbourhood_id", flat=True).first()
    hoods.sort(key=lambda h: (h.pk != home_id, h.division.name, h.name))
    if wants_json(request):
        return JsonResponse({"neighbourhoods": [{"code": h.code, "name": h.name, "division": h.division.name}
                                                for h in hoods]})
    return render(request, "communities/home.html", {"neighbourhoods": hoods, "home_id": home_id})


@role_required("engage")
@require_GET
def priorities(request, code: str):
    hood = get_object_or_404(Neighbourhood, code=code)
    month = _month(request, hood)
    form = PerceptionForm(neighbourhood=hood, initial={"month": month})
    return respond(request, pages.priorities_page(neighbourhood=hood, month=month), name=f"priorities-{code}",
                   context={"hood": hood, "perception_form": form,
                            "priority_form": PriorityForm() if sees_kin_contacts(request.user, hood) else None,
                            "priority_links": LocalPriority.objects.filter(neighbourhood=hood)})


def form_problems(form) -> str:
    """A refused form's problems on one line, field by field, for the message above the page."""
    return "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())


@role_required("record_engagement")
@require_POST
def priority_add(request, code: str):
    """The neighbourhood's team sets a local priority (raised by a panel, a partnership meeting or a survey)."""
    hood = get_object_or_404(Neighbourhood, code=code)
    if not sees_kin_contacts(request.user, hood):
        raise Http404("no such neighbourhood in your team's area")
    form = PriorityForm(request.POST)
    if form.is_valid():
        found = services.priority_create(neighbourhood=hood, user=request.user, **form.cleaned_data)
        messages.success(request, f"Priority set: {found.title}.")
        return redirect("communities:priority", pk=found.pk)
    messages.error(request, "Not set: " + form_problems(form))
    return redirect("communities:priorities", code=code)


@role_required("engage")
@require_GET
def priority(request, pk: int):
    found = get_object_or_404(LocalPriority.objects.select_related("neighbourhood"), pk=pk)
    return respond(request, pages.priority_page(priority=found), name=f"priority-{pk}",
                   context={"hood": found.neighbourhood, "priority": found, "action_form": PriorityActionForm(),
                            "we_did_form": WeDidForm()})


@role_required("record_engagement")
@require_POST
def priority_action_add(request, pk: int):
    """An action on the priority's problem-solving plan, through the action plans' own service."""
    found = get_object_or_404(LocalPriority, pk=pk)
    form = PriorityActionForm(request.POST)
    if form.is_valid():
        action = problem_solving.priority_action_add(priority=found, user=request.user, **form.cleaned_data)
        messages.success(request, f"Action {action.ref} added to the problem-solving plan.")
    else:
        messages.error(request, "Not added: " + form_problems(form))
    return redirect("communities:priority", pk=pk)


@role_required("record_engagement")
@require_POST
def perception_add(request, code: str):
    hood = get_object_or_404(Neighbourhood, code=code)
    form = PerceptionForm(request.POST, neighbourhood=hood)
    if form.is_valid():
        services.perception_record(user=request.user, **form.cleaned_data)
        messages.success(request, "Perception recorded.")
    else:
        messages.error(request, "Not recorded: " + form_problems(form))
    return redirect("communities:priorities", code=code)


@role_required("kin_register")
@require_GET
def kin(request, code: str):
    hood = get_object_or_404(Neighbourhood, code=code)
    what = f"register {export_format(request) or ('json' if wants_json(request) else 'page')}"
    identified, rows = services.kin_register_read(user=request.user, neighbourhood=hood, what=what)
    leaving = KinMember.objects.asking_to_leave().filter(neighbourhood=hood) if identified else []
    return respond(request, pages.kin_page(neighbourhood=hood, identified=identified, rows=rows),
                   name=f"kin-{code}", context={"hood": hood, "leaving": leaving,
                                                "kin_form": KinMemberForm() if identified else None})


@role_required("record_engagement")
@require_POST
def kin_add(request, code: str):
    """The team adds a member to its own network; nobody else may (the names are theirs to hold)."""
    hood = get_object_or_404(Neighbourhood, code=code)
    if not sees_kin_contacts(request.user, hood):
        raise Http404("no such network in your neighbourhood")
    form = KinMemberForm(request.POST)
    if form.is_valid():
        member = services.kin_member_add(neighbourhood=hood, user=request.user, **form.cleaned_data)
        messages.success(request, f"{member.pseudonym} added to the network.")
    else:
        messages.error(request, "Not added: " + form_problems(form))
    return redirect("communities:kin", code=code)


@role_required("record_engagement")
@require_POST
def we_did_add(request, pk: int):
    found = get_object_or_404(LocalPriority, pk=pk)
    form = WeDidForm(request.POST)
    if form.is_valid():
        services.we_did_record(priority=found, user=request.user, **form.cleaned_data)
        messages.success(request, "Recorded: it is published with the next release.")
    else:
        messages.error(request, "Not recorded: " + form_problems(form))
    return redirect("communities:priority", pk=pk)


@role_required("record_engagement")
@require_POST
def kin_leave(request, pk: int):
    """The team removes a member who asked to leave; only the neighbourhood's team or an administrator may."""
    member = get_object_or_404(KinMember, pk=pk)
    if not sees_kin_contacts(request.user, member.neighbourhood):
        raise Http404("no such member in your neighbourhood")
    services.kin_member_leave(member=member, user=request.user)
    messages.success(request, f"{member.pseudonym} has left the network; their details are erased after "
                              f"{services.KIN_RETENTION_DAYS} days.")
    return redirect("communities:kin", code=member.neighbourhood.code)


@role_required("engage")
@require_GET
def tension_summary(request):
    week = None
    if request.GET.get("week"):
        try:
            week = dt.date.fromisoformat(request.GET["week"])
        except ValueError:
            raise Http404("week must be given as YYYY-MM-DD") from None
    return respond(request, pages.tension_page(week=week or tension.latest_week()), name="tension")


@role_required("record_engagement")
def tension_new(request):
    form = TensionReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ret, rose = services.tension_submit(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Return stored for {ret.area_name}." +
                             (" The level rose: the division's team and administrators have been e-mailed." if rose
                              else ""))
            return redirect(f"{reverse('communities:tension')}?week={ret.week.isoformat()}")
    return render(request, "communities/tension_form.html", {"form": form}, status=400 if form.errors else 200)
