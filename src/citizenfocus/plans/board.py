"""The board's table, cell by cell: the same text on the page, in Word, Excel and CSV.

The cells are written so the importer reads them back unchanged (a round trip):
the position starts with the action's ref and ends "Position at <date>: <text>";
the date cell gives the completion date, then "Target: <date> (originally <date>)".
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


def position_text(row: BoardRow) -> str:
    action = row.action
    if action is None:
        return ""
    lines = [f"{action.ref}. {action.description}".strip()]
    latest = row.latest
    if latest is not None:
        text = latest.text.strip()
        lines.append(f"Position at {format_date(latest.position_date)}"
                     + (":" if text and text != action.description.strip() else "."))
        if text and text != action.description.strip():
            lines[-1] += f" {text}"
    return "\n".join(lines)


def progress_text(row: BoardRow) -> str:
    if row.action is None:
        return ""
    return f"{row.action.get_status_display()}\n({row.rag.label}: {row.rag.reason})"


def date_text(row: BoardRow) -> str:
    action = row.action
    if action is None:
        return ""
    lines = []
    if action.status == action.Status.COMPLETED and action.completion_date:
        lines.append(format_date(action.completion_date))
    if action.target_date:
        target = f"Target: {format_date(action.target_date)}"
        original = action.original_target_date
        if original and original != action.target_date:
            target += f" (originally {format_date(original)})"
        lines.append(target)
    return "\n".join(lines)


def cells(row: BoardRow) -> dict[str, str]:
    response = row.response
    return {
        "ref": row.recommendation.ref,
        "level1": row.recommendation.text,
        "level2": f"{response.ref} {response.text}".strip() if response else "",
        "owner": row.action.owner_text if row.action else "",
        "position": position_text(row),
        "progress": progress_text(row),
        "date": date_text(row),
    }


def table(plan: Plan, *, today: dt.date, since: Meeting | None = None) -> tuple[list[str], list[BoardRow], list[dict]]:
    """(column titles, rows, each row's cells) for every format."""
    rows = board_rows(plan, today=today, since=since)
    titles = [headers(plan)[c] for c in COLUMNS]
    return titles, rows, [cells(r) for r in rows]


def changed_title(meeting: Meeting) -> str:
    return f"Changed since {meeting.title}, {format_date(meeting.held_on)}"


def file_stem(plan: Plan, today: dt.date) -> str:
    return f"{slugify(plan.title)[:60] or 'plan'}-{today:%Y-%m-%d}"
