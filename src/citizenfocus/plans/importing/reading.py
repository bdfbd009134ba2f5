"""After an item's cells are read: the person's corrections from the preview, and the row's reading in words."""

from __future__ import annotations

from dataclasses import replace

from .cells import Raw, dates_of, set_dates
from .corrections import Corrections
from .parsed import ParsedAction, ParsedPlan, RowReading
from .text import STATUS_LABELS, format_date


def apply_corrections(item, raw: Raw, corrections: Corrections, plan: ParsedPlan, titles: dict[str, str]) -> None:
    """A status or date the person gave for the item's row replaces what its cells said; the problem goes."""
    key = str(raw.number)
    status, date = corrections.status.get(key), corrections.dates.get(key)
    if not status and date is None:
        return
    target = item if isinstance(item, ParsedAction) else item.standing
    fixed = set()
    if status:
        target.status, target.status_read_from = status, "corrected in the preview"
        fixed.add("status")
    cells = raw
    if date is not None:
        cells = replace(raw, date=date, date_value=None, progress="")  # the person's date, not the cell's
        fixed.add("date")
    set_dates(target, target.status, dates_of(cells), cells, titles)
    plan.problems = [p for p in plan.problems if not (p.where == raw.where and p.field in fixed)]
    plan.notes.append(f"{raw.where}: {', '.join(sorted(fixed))} corrected in the preview")


def _dates_in_words(item) -> str:
    parts = []
    if item.completion_date:
        parts.append(f"completed {format_date(item.completion_date, item.completion_precision)}")
    if isinstance(item, ParsedAction):
        if item.target_date:
            target = f"target {format_date(item.target_date)}"
            if item.original_target_date and item.original_target_date != item.target_date:
                target += f" (originally {format_date(item.original_target_date)})"
            parts.append(target)
        dated = [format_date(u.position_date, u.precision) if u.position_date else str(u.year or "undated")
                 for u in item.updates]
        if dated:
            parts.append(f"position{'s' if len(dated) > 1 else ''} dated {', '.join(dated)}")
    return "; ".join(parts)


def describe_reading(item, raw: Raw, rows: list[RowReading], titles: dict[str, str]) -> None:
    """Fill in the row's status and date cells as written, and what they were read as."""
    reading = next((r for r in rows if r.number == raw.number), None)
    if reading is None:
        return
    target = item if isinstance(item, ParsedAction) else item.standing
    reading.status_cell = raw.progress or (f"shading #{raw.progress_fill}" if raw.progress_fill else "")
    reading.date_cell = raw.date or (format_date(raw.date_value) if raw.date_value else "")
    how = f" (from {target.status_read_from})" if target.status_read_from not in ("", "text") else ""
    reading.status_read = (STATUS_LABELS.get(target.status, "Not known") + how) if target.status else "no status"
    reading.date_read = _dates_in_words(target)
