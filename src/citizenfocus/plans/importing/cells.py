"""One item's cells: owner, status (words, colour, or written with the date), dates and the dated position.

Forces put the status where they can: in the Progress column as words, as the
Progress cell's shading, or (when the colour was lost) in the Completion date
column with the date: "Completed - Dec 2011", "Completed – March 2013",
"Update Mar14 On-going". Whatever cannot be read is a Problem that blocks only
its own cell: the status is saved as "Not known", the date left empty.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .columns import FIELD_NAMES
from .legend import Legend
from .owners import split_owner
from .parsed import ParsedAction, ParsedStanding, ParsedUpdate, Problem
from .positions import split_position
from .text import (
    NO_DATE_WORDS,
    STATUS_LABELS,
    FoundDate,
    colour_word,
    find_dates,
    find_status,
    format_date,
    normalise,
)

_UPDATE_WORD = re.compile(r"\b(update[sd]?|as at|position(?: as)? at|progress at)\s*$", re.IGNORECASE)
_TARGET = re.compile(r"\b(target|due|by|revised|deadline|expected|planned)\b", re.IGNORECASE)
_ORIGINAL = re.compile(r"\b(originally|original(?:\s+target)?|was)\b", re.IGNORECASE)
_DONE = re.compile(r"\b(completed?|closed|done|achieved|implemented|discharged|finished)\b\W*$", re.IGNORECASE)
NOT_KNOWN = "unknown"


@dataclass
class Raw:
    """An item's cells, joined across its continuation rows."""

    where: str
    number: int
    owner: str = ""
    position: str = ""
    action: str = ""
    progress: str = ""
    progress_fill: str = ""
    date: str = ""
    date_value: dt.date | None = None
    continued: list[str] = field(default_factory=list)  # the rows joined to it


@dataclass
class Dates:
    """What the date words said: each found date sorted by what the words around it call it."""

    completion: FoundDate | None = None
    target: dt.date | None = None
    original: dt.date | None = None
    unlabelled: list[FoundDate] = field(default_factory=list)
    updates: list[ParsedUpdate] = field(default_factory=list)  # "Update Mar14 On-going": a dated position


def _title(titles: dict[str, str], name: str) -> str:
    return titles.get(name) or FIELD_NAMES[name]


def read_dates(text: str) -> Dates:
    """Sort every date in a cell: "Completed - Dec 2011", "Target: 31 Dec 2014 (originally 30 Jun 2014)",
    "June 2014 (revised December 2014)", "Update Mar14 On-going"."""
    dates = Dates()
    for clause in re.split(r"\n|;|\((?=\s*(?:original|revised))", text):
        found_all = find_dates(clause)
        for index, found in enumerate(found_all):
            before = clause[found_all[index - 1].end if index else 0:found.start]
            if _UPDATE_WORD.search(before):
                after = clause[found.end:found_all[index + 1].start if index + 1 < len(found_all) else len(clause)]
                dates.updates.append(ParsedUpdate(found.date, after.strip(" :.-\u2013\u2014"),
                                                  precision=found.precision))
            elif _ORIGINAL.search(before):
                dates.original = found.date
            elif _TARGET.search(before):
                dates.target = found.date
            elif _DONE.search(before):
                dates.completion = dates.completion or found
            else:
                dates.unlabelled.append(found)
    return dates


def _status(raw: Raw, legend: Legend, titles: dict[str, str]) -> tuple[str | None, str]:
    """(status, where it was read from): the Progress words, else their colour, else the date cell's words."""
    progress = _title(titles, "progress")
    if raw.progress and find_status(raw.progress):
        return find_status(raw.progress), "text"
    status, how = legend.status_for(raw.progress_fill or None)
    if status:
        return status, how
    if raw.progress and colour_word(raw.progress):
        status, how = legend.status_for_family(colour_word(raw.progress))
        if status:
            return status, f"the word {raw.progress!r} in {progress}: {how}"
    if raw.date and find_status(raw.date):
        return find_status(raw.date), f"the words in {_title(titles, 'date')}"
    return None, ""


def _status_problem(raw: Raw, titles: dict[str, str]) -> Problem:
    expected = (f"a status (Not Started, Work Underway, Completed or Blocked) in {_title(titles, 'progress')}, "
                f"as its shading, or with the date in {_title(titles, 'date')}")
    if raw.progress_fill:
        expected += f" (the shading #{raw.progress_fill} is not in the legend)"
    return Problem(raw.where, _title(titles, "progress"), raw.progress,
                   expected + "; saved as Not known until it is corrected", field="status")


def _date_problem(raw: Raw, titles: dict[str, str]) -> Problem | None:
    text = raw.date
    if not text or find_dates(text) or raw.date_value or normalise(text) in NO_DATE_WORDS:
        return None
    if find_status(text) and not re.search(r"\d", text):  # "Completed", "On-going", "Completed -": no date given
        return None
    return Problem(raw.where, _title(titles, "date"), text,
                   "a date such as 31/03/2013, 31 March 2013, March 2013 or Mar13; left empty", field="date")


def dates_of(raw: Raw) -> Dates:
    """The dates in the date cell, and in the progress cell ("Completed - Dec 2011" written there)."""
    dates = read_dates(raw.date)
    progress = read_dates(raw.progress)
    dates.updates += progress.updates
    dates.completion = dates.completion or progress.completion
    dates.target = dates.target or progress.target
    return dates


def set_dates(item, status: str, dates: Dates, raw: Raw, titles: dict[str, str]) -> None:
    """Completion, target and original target dates for an action (a standing takes only the completion)."""
    column = normalise(_title(titles, "date"))
    target_column = "target" in column and "completion" not in column
    completion = dates.completion
    unlabelled = list(dates.unlabelled)
    if raw.date_value is not None:
        unlabelled.insert(0, FoundDate(raw.date_value, raw.date_value.isoformat(), 0, 0, False))
    if status == "completed" and completion is None and unlabelled and not target_column:
        completion = unlabelled.pop(0)
    if status == "completed" and completion is not None and not target_column:
        # "Completed - Dec 2011" in Progress and "Dec 2011" under Completion date: the same date, said twice.
        unlabelled = [f for f in unlabelled if f.date != completion.date]
    item.completion_date, item.completion_precision = None, "day"
    if status == "completed" and completion is not None:
        item.completion_date, item.completion_precision = completion.date, completion.precision
    if not isinstance(item, ParsedAction):
        return
    target, original = dates.target, dates.original
    for found in unlabelled:
        if target is None:
            target = found.date
        elif original is None:  # "June 2014 (revised December 2014)": the first was the original
            original = found.date
    item.target_date = target
    item.original_target_date = original or target


def _updates(updates: list[ParsedUpdate], from_status: list[ParsedUpdate], status: str) -> list[ParsedUpdate]:
    """The position's dated updates, and the update the status cell dates ("Update Mar14 On-going")."""
    dated = {(u.position_date, u.precision) for u in updates}
    for update in from_status:
        if (update.position_date, update.precision) not in dated:
            update.text = update.text or STATUS_LABELS.get(status, "")
            updates.append(update)
    return [u for u in updates if u.text or u.position_date]


def read_action_cells(action: ParsedAction, raw: Raw, legend: Legend, problems: list[Problem],
                      titles: dict[str, str]) -> None:
    action.department, action.manager_name = split_owner(raw.owner)
    status, action.status_read_from = _status(raw, legend, titles)
    if status in (None, NOT_KNOWN):  # unread, or written "Not known": either way for the person to settle
        problems.append(_status_problem(raw, titles))
    action.status = status or NOT_KNOWN
    dates = dates_of(raw)
    set_dates(action, action.status, dates, raw, titles)
    problem = _date_problem(raw, titles)
    if problem:
        problems.append(problem)
    description, updates = split_position(raw.position)
    if raw.action:  # a separate Action column holds the description; the position column, the progress
        if description:  # progress with no date of its own: dated as at the plan's date (plan_read)
            updates.insert(0, ParsedUpdate(None, description))
        description = raw.action
    action.description = description
    action.updates = _updates(updates, dates.updates, action.status)


def read_standing(raw: Raw, legend: Legend, problems: list[Problem], titles: dict[str, str]) -> ParsedStanding:
    """A recommendation's or response's own row (no action): its owner cell, position, status and completion."""
    standing = ParsedStanding(owner=raw.owner, position="\n".join(p for p in (raw.action, raw.position) if p))
    status, standing.status_read_from = _status(raw, legend, titles)
    if status is None and (raw.progress or raw.progress_fill):
        problems.append(_status_problem(raw, titles))
    standing.status = status or ""
    set_dates(standing, standing.status, dates_of(raw), raw, titles)
    problem = _date_problem(raw, titles)
    if problem:
        problems.append(problem)
    elif standing.completion_date is None and (find_dates(raw.date) or raw.date_value):
        # A target on an item without an action has no field of its own: kept, as written, in its position.
        written = raw.date or format_date(raw.date_value)
        standing.position = "\n".join(p for p in (standing.position, f"{_title(titles, 'date')}: {written}") if p)
    return standing
