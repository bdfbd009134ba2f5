"""One action's cells: owner, progress (text or colour), dates and the dated position text."""

from __future__ import annotations

import datetime as dt
import re

from .columns import FIELD_NAMES
from .legend import Legend
from .parsed import ParsedAction, ParsedUpdate, Problem
from .text import (
    NO_DATE_WORDS,
    STATUS_LABELS,
    find_dates,
    find_status,
    first_date,
    normalise,
    split_owner,
)

_MARKER = re.compile(r"^(?:update[sd]?|position(?:\s+as)?\s+at|as\s+at|progress(?:\s+as)?\s+at|position|progress)"
                     r"\s*[:\-\u2013\u2014]?\s*(?:on\s+|at\s+)?", re.IGNORECASE)
_TARGET = re.compile(r"\b(target|due|by|revised|deadline|expected)\b", re.IGNORECASE)
_ORIGINAL = re.compile(r"\b(originally|original(?:\s+target)?|was)\b", re.IGNORECASE)
_UPDATE_WORD = re.compile(r"\b(update[sd]?|as at|position)\b", re.IGNORECASE)


def _title(titles: dict[str, str], name: str) -> str:
    return titles.get(name) or FIELD_NAMES[name]


def split_position(text: str) -> tuple[str, list[ParsedUpdate]]:
    """(description, dated updates) from a position cell.

    A paragraph starting "Update Mar14", "Position at 12 Mar 2014:" or "March 2014:" starts a dated
    update that runs to the next one; text before the first is the action's description.
    """
    description: list[str] = []
    updates: list[ParsedUpdate] = []
    for line in text.split("\n"):
        found = _dated_start(line)
        if found is not None:
            date, rest = found
            updates.append(ParsedUpdate(date, rest))
        elif updates:
            updates[-1].text = f"{updates[-1].text}\n{line}".strip()
        else:
            description.append(line)
    return "\n".join(description).strip(), updates


def _dated_start(line: str) -> tuple[dt.date, str] | None:
    marker = _MARKER.match(line)
    rest = line[marker.end():] if marker else line
    found = first_date(rest)
    if found is None or found.start > 2:
        return None
    after = rest[found.end:]
    if not marker and not re.match(r"^\s*[:\-\u2013\u2014]", after):
        return None  # "March 2013 saw ..." is a sentence, not a dated update
    return found.date, after.lstrip(" :.-\u2013\u2014").strip()


def read_action_cells(action: ParsedAction, raw: dict, legend: Legend, problems: list[Problem],
                      titles: dict[str, str]) -> None:
    where = raw["where"]
    action.department, action.manager_name = split_owner(raw["owner"])
    position_date = _read_status(action, raw, legend, problems, titles)
    _read_dates(action, raw, problems, titles)
    description, updates = split_position(raw["position"])
    action.description = description
    for update in updates:
        if not update.text:
            update.text = description or STATUS_LABELS[action.status]
    if not updates and description:
        updates = [ParsedUpdate(position_date, description)]
    elif updates and position_date and updates[-1].position_date is None:
        updates[-1].position_date = position_date
    action.updates = updates
    if not raw["position"] and not raw["owner"]:
        problems.append(Problem(where, _title(titles, "position"), "", "the action's position: the cell is empty"))


def _read_status(action, raw, legend, problems, titles) -> dt.date | None:
    """Status from the progress text, else its colour, else the date cell; a dated "Update" is the position date."""
    text, where = raw["progress"], raw["where"]
    status = find_status(text) if text else None
    if status:
        action.status_read_from = "text"
    else:
        status, how = legend.status_for(raw["progress_fill"] or None)
        if status:
            action.status_read_from = how
        elif raw["date"] and find_status(raw["date"]) and not find_dates(raw["date"]):
            status = find_status(raw["date"])
            action.status_read_from = f"the {_title(titles, 'date')} cell"
    if status is None:
        expected = "a status: Not Started, Work Underway, Completed or Blocked"
        if raw["progress_fill"]:
            expected += f" (the shading #{raw['progress_fill']} is not in the legend)"
        problems.append(Problem(where, _title(titles, "progress"), text, expected + "; read as Not Started"))
        status = "not_started"
    action.status = status
    position_date = None
    for found in find_dates(text):
        before = text[:found.start]
        if status == "completed" and not _UPDATE_WORD.search(before):
            action.completion_date = action.completion_date or found.date
        elif _TARGET.search(before):
            action.target_date = found.date
        else:
            position_date = found.date
    if text and not find_dates(text) and re.search(r"\d", text) and not re.search(r"\b(19|20)\d\d\b", text) \
            and _UPDATE_WORD.search(text):
        problems.append(Problem(where, _title(titles, "progress"), text, "a date such as 'Mar14' or '31/03/2014'"))
    return position_date


def _read_dates(action, raw, problems, titles) -> None:
    text, where = raw["date"], raw["where"]
    if raw["date_value"]:
        value = dt.date.fromisoformat(raw["date_value"])
        if action.status == "completed":
            action.completion_date = value
        else:
            action.target_date = value
        action.original_target_date = action.original_target_date or action.target_date
        return
    unlabelled = []
    for line in re.split(r"\n|;|\((?=\s*original)", text):
        for found in find_dates(line):
            before = line[:found.start]
            if _ORIGINAL.search(before):
                action.original_target_date = found.date
            elif _TARGET.search(before):
                action.target_date = found.date
            else:
                unlabelled.append(found.date)
    target_column = "target" in normalise(_title(titles, "date")) and "completion" not in normalise(_title(titles, "date"))
    if unlabelled:
        if action.status == "completed" and not target_column:
            action.completion_date = unlabelled[0]
        elif action.target_date is None:
            action.target_date = unlabelled[0]
        elif action.original_target_date is None:  # "June 2014 (revised December 2014)"
            action.original_target_date = unlabelled[0]
    if action.status != "completed":
        action.completion_date = None
    if action.target_date and not action.original_target_date:
        action.original_target_date = action.target_date
    if text and not find_dates(text) and normalise(text) not in NO_DATE_WORDS and not find_status(text):
        problems.append(Problem(where, _title(titles, "date"), text,
                                "a date such as 31/03/2013, 31 March 2013, March 2013 or Mar13"))
