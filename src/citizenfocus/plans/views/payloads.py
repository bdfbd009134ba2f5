"""The JSON twins' shapes, and the rows of the pages' downloadable tables.

Every view module imports from here; this module imports no view, so there is no circle.
"""

from __future__ import annotations

import datetime as dt

from citizenfocus.plans import selectors
from citizenfocus.plans.models import Action, Meeting, Plan


def _iso(value):
    return value.isoformat() if value else None


def plan_row(plan: Plan, summary: dict) -> dict:
    return {
        "id": plan.pk, "title": plan.title, "source": plan.get_source_display(), "kind": plan.kind,
        "owning_body": plan.owning_body, "status": plan.get_status_display(), "archived": plan.archived,
        "rag_as_at": _iso(summary["as_at"]), "reporting_date": _iso(plan.reporting_date),
        "actions": summary["actions"], "red": summary["rag"]["red"], "amber": summary["rag"]["amber"],
        "green": summary["rag"]["green"], "completed": summary["status"]["completed"],
        "start_date": _iso(plan.start_date), "end_date": _iso(plan.end_date),
    }


def meeting_row(meeting: Meeting) -> dict:
    return {"id": meeting.pk, "title": meeting.title, "held_on": _iso(meeting.held_on),
            "snapshot_at": meeting.snapshot_at.isoformat(timespec="seconds"), "archived": meeting.archived}


EVENT_COLUMNS = ("at", "who", "item", "ref", "field", "old", "new", "note")


def event_row(event) -> dict:
    return {"at": event.at.isoformat(timespec="seconds"), "who": event.who_name,
            "item": event.get_item_kind_display(), "item_id": event.item_id, "ref": event.item_ref,
            "field": event.field, "old": event.old_value, "new": event.new_value, "note": event.note,
            "change": selectors.describe_event(event)}


def standing_row(item) -> dict | None:
    """A recommendation's or response's own cells, when the plan gave it no action."""
    if not item.has_standing:
        return None
    return {"owner": item.owner, "position": item.position, "status": item.get_status_display() if item.status else "",
            "completion_date": _iso(item.completion_date), "completion_precision": item.completion_precision}


def plan_payload(plan: Plan, rows, *, since: Meeting | None, events, as_at: dt.date) -> dict:
    recommendations: list[dict] = []
    for row in rows:
        if row.rec_span:
            recommendations.append({"id": row.recommendation.pk, "ref": row.recommendation.ref,
                                    "text": row.recommendation.text, "own": standing_row(row.recommendation),
                                    "responses": []})
        if row.response is not None and row.response_span:
            recommendations[-1]["responses"].append({"id": row.response.pk, "ref": row.response.ref,
                                                     "text": row.response.text, "own": standing_row(row.response),
                                                     "actions": []})
        if row.action is not None:
            item = selectors.action_row(row.action, as_at=as_at)
            item.update(changed=sorted(row.changed), changes=row.changes)
            recommendations[-1]["responses"][-1]["actions"].append(item)
    return {
        "plan": plan_row(plan, selectors.plan_summary(plan, as_at=as_at)),
        "rag_as_at": as_at.isoformat(),
        "labels": plan.labels,
        "since": meeting_row(since) if since else None,
        "recommendations": recommendations,
        "changes_since": [event_row(e) for e in events],
    }


def action_payload(action: Action, *, as_at: dt.date, history, indicator: dict) -> dict:
    return {
        "action": selectors.action_row(action, as_at=as_at),
        "updates": [update_row(u) for u in action.updates.all()],
        "target_revisions": [revision_row(r) for r in action.target_revisions.all()],
        "history": [event_row(e) for e in history],
        "indicator": indicator,
    }


UPDATE_COLUMNS = ("position_date", "date_precision", "author", "text", "links", "evidence", "source", "created_at")


def update_row(update) -> dict:
    return {"position_date": _iso(update.position_date), "date_precision": update.date_precision,
            "author": update.author_name, "text": update.text, "links": "\n".join(update.link_list),
            "evidence": "; ".join(e.original_name for e in update.evidence.all()),
            "source": update.get_source_display(), "created_at": update.created_at.isoformat(timespec="seconds")}


REVISION_COLUMNS = ("changed_at", "changed_by", "old_date", "new_date", "reason")


def revision_row(revision) -> dict:
    return {"changed_at": revision.changed_at.isoformat(timespec="seconds"), "changed_by": revision.changed_by_name,
            "old_date": _iso(revision.old_date), "new_date": _iso(revision.new_date), "reason": revision.reason}
