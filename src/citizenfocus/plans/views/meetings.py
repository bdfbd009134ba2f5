"""Board meetings: record one (a dated snapshot), list them, and see what changed since."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from citizenfocus.accounts.permissions import role_required
from citizenfocus.plans import selectors, services
from citizenfocus.plans.forms import MeetingForm
from citizenfocus.plans.models import ChangeEvent, Meeting

from .common import Table, get_plan_for_user, page, submit, today
from .payloads import EVENT_COLUMNS, event_row, meeting_row

MEETING_COLUMNS = ("id", "title", "held_on", "snapshot_at", "archived")
SNAPSHOT_COLUMNS = ("ref", "status", "rag", "rag_reason", "target_date", "completion_date", "position_date",
                    "position")


def _meetings_page(request, plan, can_edit, *, form=None, status=200):
    meetings = list(plan.meetings.all())
    rows = [meeting_row(m) for m in meetings]
    table = Table("meetings", f"plan-{plan.pk}-meetings", MEETING_COLUMNS,
                  lambda: ([r[c] for c in MEETING_COLUMNS] for r in rows))
    context = {"plan": plan, "meetings": meetings, "can_edit": can_edit,
               "form": form or (MeetingForm(initial={"held_on": today()}) if can_edit else None)}
    return page(request, "plans/meetings.html", context, data=lambda: {"plan": plan.pk, "meetings": rows},
                tables=[table], status=status)


@role_required("view")
def meetings(request, pk: int):
    plan, can_edit = get_plan_for_user(request, pk)
    return _meetings_page(request, plan, can_edit)


@role_required("edit_plans")
@require_POST
def meeting_create(request, pk: int):
    plan, can_edit = get_plan_for_user(request, pk)
    return submit(request, MeetingForm(request.POST),
                  lambda data: services.meeting_record(plan=plan, user=request.user, **data),
                  done=lambda meeting: reverse("plans:meeting", args=[meeting.pk]), created=True,
                  again=lambda form: _meetings_page(request, plan, can_edit, form=form, status=400))


@role_required("view")
def meeting_detail(request, pk: int):
    """The plan as it stood at the meeting, and every change since."""
    meeting = get_object_or_404(Meeting.objects.select_related("plan"), pk=pk)
    events = list(ChangeEvent.objects.since(meeting))
    tables = [Table("snapshot", f"meeting-{meeting.pk}-snapshot", SNAPSHOT_COLUMNS,
                    lambda: ([r.get(c) for c in SNAPSHOT_COLUMNS] for r in meeting.snapshot)),
              Table("changes", f"meeting-{meeting.pk}-changes-since", EVENT_COLUMNS,
                    lambda: ([event_row(e)[c] for c in EVENT_COLUMNS] for e in events))]
    context = {"meeting": meeting, "plan": meeting.plan, "events": events, "describe": selectors.describe_event,
               "can_edit": get_plan_for_user(request, meeting.plan_id)[1]}
    return page(request, "plans/meeting.html", context, tables=tables,
                data=lambda: {"meeting": meeting_row(meeting), "snapshot": meeting.snapshot,
                              "changes_since": [event_row(e) for e in events]})


@role_required("edit_plans")
@require_POST
def meeting_archive(request, pk: int):
    meeting = get_object_or_404(Meeting, pk=pk)
    services.meeting_archive(meeting=meeting, user=request.user, archived=request.POST.get("archived", "1") == "1")
    return redirect(reverse("plans:meetings", args=[meeting.plan_id]))
