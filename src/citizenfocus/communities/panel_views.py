"""IAG and scrutiny panel pages: the list, one panel (make-up, meetings, advice and responses) and its forms."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from citizenfocus.accounts.models import user_can
from citizenfocus.accounts.permissions import role_required
from citizenfocus.areas.models import Neighbourhood
from citizenfocus.performance.pages.base import Column, PageResult, Table

from . import panel_services
from .forms import FindingForm, PanelMeetingForm, PanelMemberForm, PanelResponseForm
from .panels import Panel, PanelMeeting
from .views import form_problems, respond

MAKEUP_COLUMNS = [Column("group", "Ethnic group (self-declared)"), Column("members", "Members", "int"),
                  Column("share", "Share of those declaring", "rate"),
                  Column("population_share", "Share of the area's population", "rate"),
                  Column("difference", "Difference (points)", "diff"), Column("verdict", "Against the area", "verdict")]
MEETING_COLUMNS = [Column("held_on", "Held on"), Column("attended", "Members attending", "int"),
                   Column("advice", "Advice given"), Column("force_response", "The force's response"),
                   Column("responded_on", "Responded on")]


# The census's five high-level groups under the names a panel member declares.
CENSUS_GROUPS = {"White": "White", "Mixed": "Mixed or multiple ethnic groups", "Asian": "Asian or Asian British",
                 "Black": "Black, Black British, Caribbean or African", "Other": "Other ethnic group"}


def area_population(panel: Panel) -> dict[str, float] | None:
    """The panel's area's residents by high-level ethnic group, as shares, from the census profiles loaded for
    its division's neighbourhoods (the whole force for a force-wide panel); None when none is loaded."""
    from citizenfocus.equality.population import groups_by_neighbourhood

    by_neighbourhood = groups_by_neighbourhood()
    if panel.division_id is not None:
        wanted = set(Neighbourhood.objects.filter(division_id=panel.division_id).values_list("pk", flat=True))
        by_neighbourhood = {pk: groups for pk, groups in by_neighbourhood.items() if pk in wanted}
    totals = Counter()
    for groups in by_neighbourhood.values():
        totals.update(groups)
    residents = sum(totals.values())
    if not residents:
        return None
    return {CENSUS_GROUPS[group]: count / residents for group, count in totals.items()}


def panel_page(panel: Panel) -> PageResult:
    makeup = panel_services.panel_makeup(panel, area_population(panel))
    meetings = [{"held_on": m.held_on.isoformat(), "attended": m.attended.count(), "advice": m.advice,
                 "force_response": m.force_response, "responded_on": m.responded_on.isoformat() if m.responded_on
                 else "awaiting the force's response", "pk": m.pk} for m in panel.meetings.all()]
    headline = [f"{panel.get_kind_display()}; {makeup['declared']} current members declared an ethnic group, "
                f"{makeup['not_declared']} did not."]
    if makeup["note"]:
        headline.append(f"Make-up against the area: {makeup['note']}.")
    return PageResult(title=panel.name, headline=headline, tables={
        "makeup": Table("Self-declared make-up of the current members", MAKEUP_COLUMNS, makeup["rows"]),
        "meetings": Table("Meetings, advice and the force's response", MEETING_COLUMNS, meetings)},
        extra={"plan": panel.plan_id})


@role_required("engage")
@require_GET
def panels(request):
    rows = [{"name": p.name, "kind": p.get_kind_display(), "area": p.division.name if p.division else "the force",
             "members": p.members.filter(left_on__isnull=True).count(), "pk": p.pk}
            for p in Panel.objects.select_related("division")]
    result = PageResult(title="Independent advisory groups and scrutiny panels", tables={"panels": Table(
        "Panels", [Column("name", "Panel"), Column("kind", "Kind"), Column("area", "Area"),
                   Column("members", "Current members", "int")], rows)})
    return respond(request, result, name="panels",
                   context={"links": [(reverse("communities:panel", args=[r["pk"]]), r["name"]) for r in rows]})


@role_required("engage")
@require_GET
def panel_detail(request, pk: int):
    panel = get_object_or_404(Panel, pk=pk)
    editable = user_can(request.user, "record_engagement")
    return respond(request, panel_page(panel), name=f"panel-{pk}", context={"panel": panel, "panel_forms": {
        "member": PanelMemberForm(), "meeting": PanelMeetingForm(panel=panel), "finding": FindingForm(),
        "responses": [(m, PanelResponseForm(prefix=f"m{m.pk}")) for m in panel.meetings.filter(responded_on__isnull=True)],
    } if editable else None})


def _done(request, form, pk: int, success: str, work):
    if form.is_valid():
        work(form.cleaned_data)
        messages.success(request, success)
    else:
        messages.error(request, "Not recorded: " + form_problems(form))
    return redirect("communities:panel", pk=pk)


@role_required("record_engagement")
@require_POST
def panel_member_add(request, pk: int):
    panel = get_object_or_404(Panel, pk=pk)
    return _done(request, PanelMemberForm(request.POST), pk, "Member added.",
                 lambda d: panel_services.panel_member_add(panel=panel, user=request.user, **d))


@role_required("record_engagement")
@require_POST
def panel_meeting_add(request, pk: int):
    panel = get_object_or_404(Panel, pk=pk)
    return _done(request, PanelMeetingForm(request.POST, panel=panel), pk, "Meeting recorded.",
                 lambda d: panel_services.panel_meeting_record(panel=panel, user=request.user, **d))


@role_required("record_engagement")
@require_POST
def panel_response(request, pk: int):
    meeting = get_object_or_404(PanelMeeting, pk=pk)
    return _done(request, PanelResponseForm(request.POST, prefix=f"m{meeting.pk}"), meeting.panel_id, "The force's response recorded.",
                 lambda d: panel_services.panel_response_record(meeting=meeting, user=request.user, **d))


@role_required("record_engagement")
@require_POST
def panel_finding(request, pk: int):
    panel = get_object_or_404(Panel, pk=pk)
    return _done(request, FindingForm(request.POST), pk, "Finding added to the panel's plan as a recommendation.",
                 lambda d: panel_services.panel_finding_recommend(panel=panel, user=request.user, **d))
