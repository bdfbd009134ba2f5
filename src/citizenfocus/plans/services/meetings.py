"""Board meetings: a dated snapshot of the plan, the line "changes since" is drawn from."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from citizenfocus.plans.models import Meeting, Plan

from .audit import apply_changes, record


def snapshot_rows(plan: Plan, as_at: dt.date) -> list[dict]:
    """Each live action as it stands, RAG as at the plan's date: the record of what the board saw."""
    from citizenfocus.plans.selectors import plan_actions

    rows = []
    for action in plan_actions(plan):
        latest = action.latest_update()
        rag = action.rag(today=as_at)
        rows.append({
            "action_id": action.pk, "ref": action.ref, "status": action.get_status_display(), "rag": rag.label,
            "rag_reason": rag.reason, "rag_as_at": as_at.isoformat(),
            "target_date": action.target_date.isoformat() if action.target_date else None,
            "completion_date": action.completion_date.isoformat() if action.completion_date else None,
            "position_date": latest.position_date.isoformat() if latest else None,
            "position": latest.text if latest else "",
        })
    return rows


@transaction.atomic
def meeting_record(*, plan: Plan, user, title: str, held_on: dt.date) -> Meeting:
    """Record a board meeting now: its snapshot is the plan as it stands at this moment."""
    if not title.strip():
        raise ValidationError({"title": "Name the meeting, such as 'Strategic policing and crime board'."})
    if held_on > timezone.localdate() + dt.timedelta(days=366):
        raise ValidationError({"held_on": "The meeting date is more than a year away."})
    now = timezone.now()
    meeting = Meeting.objects.create(plan=plan, title=title.strip(), held_on=held_on, snapshot_at=now,
                                     snapshot=snapshot_rows(plan, plan.as_at(timezone.localdate())),
                                     recorded_by=user if user and user.pk else None)
    record(item=meeting, kind="meeting", field="created", new=str(meeting), who=user, plan=plan, at=now)
    return meeting


@transaction.atomic
def meeting_archive(*, meeting: Meeting, user, archived: bool = True) -> None:
    """Archive (or restore) a meeting. Meetings are never edited, so there is no version to compare; the row is
    still locked, so two clicks at once record one change, and only `archived` is written (never the snapshot)."""
    meeting.refresh_from_db(from_queryset=Meeting.objects.select_for_update())
    if apply_changes(meeting, {"archived": archived}, kind="meeting", who=user, plan=meeting.plan):
        meeting.save(update_fields=["archived"])
