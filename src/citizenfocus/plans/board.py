"""The board's table, cell by cell: the same text on the page, in Word, Excel and CSV.

The cells are written so the importer reads them back unchanged (a round trip):
the position starts with the action's ref, then each dated update as its own
paragraph ("Update Mar 2014: ..."), dated as the plan dated it; the date cell gives
the completion date as precisely as the plan gave it ("Dec 2011"), then
"Target: <date> (originally <date>)". A recommendation or response without an action
shows its own department, position, status and completion date.
"""

from __future__ import annotations

import datetime as dt

from django.utils.text import slugify

from .importing.text import format_date
from .models import Meeting, Plan
from .selectors import COLUMNS, BoardRow, board_rows

CHANGED_FILL = "FFF2CC"


def headers(plan: Plan) -> dict[str, str]:
    labels = plan.labels
    return {"ref": "Ref", "level1": labels["level1"], "level2": labels["level2"], "owner": labels["owner"],
            "position": labels["position"], "progress": labels["progress"], "date": labels["date"]}


def standing_of(row: BoardRow):
    """The recommendation or response whose own cells the row shows, when the row has no action."""
    if row.action is not None:
        return None
    if row.response is not None:
        return row.response if row.response.has_standing else None
    return row.recommendation if row.recommendation.has_standing else None


def update_line(update) -> str:
    return f"Update {format_date(update.position_date, update.date_precision)}: {update.text.strip()}"


def position_text(row: BoardRow) -> str:
    action = row.action
    if action is None:
        standing = standing_of(row)
        return standing.position if standing is not None else ""
    lines = [f"{action.ref}. {action.description}".strip()]
    updates = sorted(action.updates.all(), key=lambda u: (u.position_date, u.created_at, u.pk))
    lines += [update_line(u) for u in updates if u.text.strip()]
    return "\n".join(lines)


def progress_text(row: BoardRow) -> str:
    if row.action is None:
        standing = standing_of(row)
        return standing.get_status_display() if standing is not None and standing.status else ""
    status = row.action.get_status_display()
    rag = row.rag
    return f"{status}\n({rag.label})" if rag.reason == status.lower() else f"{status}\n({rag.label}: {rag.reason})"


def date_text(row: BoardRow) -> str:
    action = row.action
    item = action if action is not None else standing_of(row)
    if item is None:
        return ""
    lines = []
    if item.status == "completed" and item.completion_date:
        lines.append(format_date(item.completion_date, item.completion_precision))
    if action is not None and action.target_date:
        target = f"Target: {format_date(action.target_date)}"
        original = action.original_target_date
        if original and original != action.target_date:
            target += f" (originally {format_date(original)})"
        lines.append(target)
    return "\n".join(lines)


def owner_text(row: BoardRow) -> str:
    if row.action is not None:
        return row.action.owner_text
    standing = standing_of(row)
    return standing.owner if standing is not None else ""


def cells(row: BoardRow) -> dict[str, str]:
    response = row.response
    return {
        "ref": row.recommendation.ref,
        "level1": row.recommendation.text,
        "level2": f"{response.ref} {response.text}".strip() if response else "",
        "owner": owner_text(row),
        "position": position_text(row),
        "progress": progress_text(row),
        "date": date_text(row),
    }


def short(text: str, words: int = 12) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("\u2026" if len(parts) > words else "")


def table(plan: Plan, *, as_at: dt.date | None = None,
          since: Meeting | None = None) -> tuple[list[str], list[BoardRow], list[dict]]:
    """(column titles, rows, each row's cells) for every format."""
    rows = board_rows(plan, as_at=as_at, since=since)
    titles = [headers(plan)[c] for c in COLUMNS]
    return titles, rows, [cells(r) for r in rows]


def changed_title(meeting: Meeting) -> str:
    return f"Changed since {meeting.title}, {format_date(meeting.held_on)}"


def file_stem(plan: Plan, today: dt.date) -> str:
    return f"{slugify(plan.title)[:60] or 'plan'}-{today:%Y-%m-%d}"
