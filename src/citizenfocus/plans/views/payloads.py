"""The JSON twins' shapes."""

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
        "actions": summary["actions"], "red": summary["rag"]["red"], "amber": summary["rag"]["amber"],
        "green": summary["rag"]["green"], "completed": summary["status"]["completed"],
        "start_date": _iso(plan.start_date), "end_date": _iso(plan.end_date),
    }


def meeting_row(meeting: Meeting) -> dict:
    return {"id": meeting.pk, "title": meeting.title, "held_on": _iso(meeting.held_on),
            "snapshot_at": meeting.snapshot_at.isoformat(timespec="seconds"), "archived": meeting.archived}


def plan_payload(plan: Plan, rows, *, since: Meeting | None, events, today: dt.date) -> dict:
    from .plans import event_row

    recommendations: list[dict] = []
    for row in rows:
        if row.rec_span:
            recommendations.append({"id": row.recommendation.pk, "ref": row.recommendation.ref,
                                    "text": row.recommendation.text, "responses": []})
        if row.response is not None and row.response_span:
            recommendations[-1]["responses"].append({"id": row.response.pk, "ref": row.response.ref,
                                                     "text": row.response.text, "actions": []})
        if row.action is not None:
            item = selectors.action_row(row.action, today=today)
            item.update(changed=sorted(row.changed), changes=row.changes)
            recommendations[-1]["responses"][-1]["actions"].append(item)
    return {
        "plan": plan_row(plan, selectors.plan_summary(plan, today=today)),
        "labels": plan.labels,
        "since": meeting_row(since) if since else None,
        "recommendations": recommendations,
        "changes_since": [event_row(e) for e in events],
    }


def action_payload(action: Action, *, today: dt.date, history, indicator: dict) -> dict:
    from .plans import event_row

    return {
        "action": selectors.action_row(action, today=today),
        "updates": [update_row(u) for u in action.updates.all()],
        "target_revisions": [revision_row(r) for r in action.target_revisions.all()],
        "history": [event_row(e) for e in history],
        "indicator": indicator,
    }


UPDATE_COLUMNS = ("position_date", "author", "text", "links", "evidence", "source", "created_at")


def update_row(update) -> dict:
    return {"position_date": _iso(update.position_date), "author": update.author_name, "text": update.text,
            "links": "\n".join(update.link_list), "evidence": "; ".join(e.original_name for e in update.evidence.all()),
            "source": update.get_source_display(), "created_at": update.created_at.isoformat(timespec="seconds")}


REVISION_COLUMNS = ("changed_at", "changed_by", "old_date", "new_date", "reason")


def revision_row(revision) -> dict:
    return {"changed_at": revision.changed_at.isoformat(timespec="seconds"), "changed_by": revision.changed_by_name,
            "old_date": _iso(revision.old_date), "new_date": _iso(revision.new_date), "reason": revision.reason}
