"""Reads across several models: the live tree in ref order, the board table's rows with what changed since a
meeting, a plan's counts, the due lists. Reads of one model are its QuerySet's methods (Action.objects.live()).

RAG is worked out as at a plan's reporting date (Plan.as_at), never against today for an old plan.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from .models import Action, ChangeEvent, Meeting, Plan, PlanResponse, PositionUpdate, Recommendation

COLUMNS = ("ref", "level1", "level2", "owner", "position", "progress", "date")

# Which board column a changed field shows in.
FIELD_COLUMNS = {
    ("recommendation", "ref"): {"ref", "level1"}, ("recommendation", "text"): {"level1"},
    ("recommendation", "created"): {"ref", "level1"},
    ("response", "ref"): {"level2"}, ("response", "text"): {"level2"}, ("response", "created"): {"level2"},
    ("action", "ref"): {"position"}, ("action", "description"): {"position"},
    ("action", "position"): {"position"}, ("action", "evidence"): {"position"},
    ("action", "department"): {"owner"}, ("action", "manager"): {"owner"}, ("action", "manager_name"): {"owner"},
    ("action", "status"): {"progress"}, ("action", "completion_date"): {"date"},
    ("action", "target_date"): {"date"}, ("action", "created"): {"owner", "position", "progress", "date"},
}


def _updates():
    return Prefetch("updates", queryset=PositionUpdate.objects.prefetch_related("evidence"))


def plan_tree(plan: Plan, *, archived: bool = False) -> list[Recommendation]:
    """The plan's recommendations, each with its responses and actions (and their updates), in ref order."""
    live = Q() if archived else Q(archived=False)
    actions = Action.objects.filter(live).select_related("manager").prefetch_related(_updates(), "indicator")
    responses = PlanResponse.objects.filter(live).prefetch_related(Prefetch("actions", queryset=actions))
    return list(plan.recommendations.filter(live).prefetch_related(Prefetch("responses", queryset=responses)))


def plan_actions(plan: Plan) -> list[Action]:
    return [a for rec in plan_tree(plan) for resp in rec.responses.all() for a in resp.actions.all()]


@dataclass
class BoardRow:
    """One row of the board's table: an action, or a recommendation or response that has none."""

    recommendation: Recommendation
    response: PlanResponse | None
    action: Action | None
    rec_span: int = 0  # rows the recommendation's cells span (0: merged with the row above)
    response_span: int = 0
    changed: set[str] = field(default_factory=set)
    changes: list[str] = field(default_factory=list)
    rag: object = None
    latest: PositionUpdate | None = None


def board_rows(plan: Plan, *, as_at: dt.date | None = None, since: Meeting | None = None) -> list[BoardRow]:
    """The board's table: one row per action (a recommendation or response without one has a row of its own),
    RAG as at the plan's reporting date."""
    rows: list[BoardRow] = []
    amber_days = plan.amber_days()
    today = as_at or plan.as_at()
    for rec in plan_tree(plan):
        rec_rows = []
        for response in rec.responses.all() or [None]:
            actions = list(response.actions.all()) if response else []
            response_rows = [BoardRow(rec, response, a) for a in actions] or [BoardRow(rec, response, None)]
            response_rows[0].response_span = len(response_rows)
            rec_rows += response_rows
        rec_rows[0].rec_span = len(rec_rows)
        rows += rec_rows
    for row in rows:
        if row.action:
            row.rag = row.action.rag(today=today, due_soon_days=amber_days)
            row.latest = row.action.latest_update()
    if since is not None:
        _mark_changes(rows, since)
    return rows


def _mark_changes(rows: list[BoardRow], meeting: Meeting) -> None:
    fields_by_item: dict[tuple[str, int], set[str]] = defaultdict(set)
    words: dict[tuple[str, int], list[str]] = defaultdict(list)
    for event in ChangeEvent.objects.since(meeting):
        key = (event.item_kind, event.item_id)
        fields_by_item[key] |= FIELD_COLUMNS.get((event.item_kind, event.field), set())
        words[key].append(describe_event(event))
    before = {row["action_id"]: row for row in meeting.snapshot}
    for row in rows:
        for kind, item in (("recommendation", row.recommendation), ("response", row.response),
                           ("action", row.action)):
            if item is None:
                continue
            key = (kind, item.pk)
            if kind == "recommendation" and row.rec_span == 0 or kind == "response" and row.response_span == 0:
                row.changed |= fields_by_item[key] - {"ref", "level1", "level2"}
            else:
                row.changed |= fields_by_item[key]
                row.changes += words[key] if kind != "action" else []
        if row.action is not None:
            row.changes += words[("action", row.action.pk)]
            was = before.get(row.action.pk)
            if was and was["rag"] != row.rag.label:
                row.changed.add("progress")
                row.changes.append(f"RAG: {was['rag']} \u2192 {row.rag.label} ({row.rag.reason})")


FIELD_WORDS = {"text": "text", "ref": "ref", "description": "description", "department": "department",
               "manager": "action manager", "manager_name": "action manager", "status": "status",
               "target_date": "target date", "completion_date": "completion date", "start_date": "start date",
               "archived": "archived", "indicator": "linked indicator"}


def describe_event(event: ChangeEvent) -> str:
    """A change in words: "status: Not Started → Work Underway", "new position: ..."."""
    if event.field == "created":
        return f"new {event.get_item_kind_display().lower()}"
    if event.field == "position":
        return f"new position ({event.note.replace('position at ', '')}): {_short(event.new_value)}"
    if event.field == "evidence":
        return f"evidence attached: {event.new_value}"
    if event.field == "mitigation":
        return f"mitigation added: {event.new_value}" if event.new_value else f"mitigation removed: {event.old_value}"
    name = FIELD_WORDS.get(event.field, event.field.replace("_", " "))
    return f"{name}: {_short(event.old_value) or '(none)'} \u2192 {_short(event.new_value) or '(none)'}"


def _short(text: str, length: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "\u2026"


def plan_summary(plan: Plan, *, as_at: dt.date | None = None) -> dict:
    """Counts by status and by RAG (as at the plan's reporting date) for the plan list and its page."""
    status = {s: 0 for s in Action.Status.values}
    rag = {"red": 0, "amber": 0, "green": 0}
    amber_days = plan.amber_days()
    day = as_at or plan.as_at()
    for action in Action.objects.live().in_plan(plan).only("status", "target_date"):
        status[action.status] += 1
        rag[action.rag(today=day, due_soon_days=amber_days).colour] += 1
    return {"actions": sum(status.values()), "status": status, "rag": rag, "as_at": day}


def due_lists(*, today: dt.date, days: int, user=None) -> dict[str, list[Action]]:
    """Actions not completed that are overdue, or due within N days, each as at its plan's reporting date
    (today for a plan without one); one owner's when a user is given."""
    actions = Action.objects.live().not_completed().filter(target_date__isnull=False) \
        .exclude(response__recommendation__plan__status=Plan.Status.CLOSED) \
        .select_related("response__recommendation__plan", "manager").order_by("target_date", "sort_key")
    if user is not None:
        actions = actions.managed_by(user)
    overdue, soon = [], []
    for action in actions:
        as_at = action.plan.as_at(today)
        if action.target_date < as_at:
            overdue.append(action)
        elif action.target_date <= as_at + dt.timedelta(days=days):
            soon.append(action)
    return {"overdue": overdue, "due_soon": soon}


def action_row(action: Action, *, as_at: dt.date | None = None) -> dict:
    """An action as a flat row: the due lists' and the JSON twins' shape, RAG as at its plan's reporting date."""
    plan = action.plan
    day = as_at or plan.as_at()
    rag = action.rag(today=day)
    latest = action.latest_update()
    return {
        "id": action.pk, "plan_id": plan.pk, "plan": plan.title, "ref": action.ref, "description": action.description,
        "department": action.department, "manager": action.manager_label, "status": action.get_status_display(),
        "rag": rag.label, "rag_reason": rag.reason, "rag_as_at": day.isoformat(),
        "target_date": _iso(action.target_date), "original_target_date": _iso(action.original_target_date),
        "completion_date": _iso(action.completion_date), "completion_precision": action.completion_precision,
        "start_date": _iso(action.start_date),
        "position_date": _iso(latest.position_date) if latest else None,
        "position": latest.text if latest else "",
    }


def _iso(value):
    return value.isoformat() if value else None


ACTION_COLUMNS = ("id", "plan", "ref", "description", "department", "manager", "status", "rag", "rag_reason",
                  "rag_as_at", "target_date", "original_target_date", "completion_date", "start_date",
                  "position_date", "position")


FILTERS = {"": "All", "red": "Red only", "amber": "Amber only", "green": "Green only", "overdue": "Overdue",
           "mine": "My actions", "changed": "Changed since the meeting"}


def filter_rows(rows: list[BoardRow], only: str, *, user, as_at: dt.date) -> list[BoardRow]:
    """Keep the actions matching a filter (and their recommendation and response), re-spanning the merged cells."""
    if not only:
        return rows
    tests = {
        "red": lambda r: r.rag is not None and r.rag.colour == "red",
        "amber": lambda r: r.rag is not None and r.rag.colour == "amber",
        "green": lambda r: r.rag is not None and r.rag.colour == "green",
        "overdue": lambda r: r.action is not None and r.action.is_overdue(as_at),
        "mine": lambda r: r.action is not None and r.action.is_owned_by(user),
        "changed": lambda r: bool(r.changed),
    }
    keep = [r for r in rows if tests.get(only, lambda r: True)(r)]
    for row in keep:
        row.rec_span = row.response_span = 0
    for index, row in enumerate(keep):
        before = keep[index - 1] if index else None
        if before is None or before.recommendation.pk != row.recommendation.pk:
            row.rec_span = sum(1 for r in keep[index:] if r.recommendation.pk == row.recommendation.pk)
        if before is None or row.rec_span or before.response != row.response:
            row.response_span = sum(1 for _ in _same_response(keep[index:], row))
    return keep


def _same_response(rows: list[BoardRow], first: BoardRow):
    for row in rows:
        if row.recommendation.pk != first.recommendation.pk or row.response != first.response:
            return
        yield row
