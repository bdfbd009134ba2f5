"""A position cell as forces write it: the action, then dated updates inside the same text.

    "All officers have received the training.
     Position at May 2012: refresher planned. 2014 update: delivered to every division."

The dated updates are "Update Mar14", "Update 12/03/2014:", "Position at May 2012",
"As at 31 March 2014", "March 2014 update:", "2014 update:" and "March 2014:" at the
start of a paragraph; each may also start a sentence inside a paragraph. Each runs
to the next; the text before the first is the action's description. A year alone
("2014 update") is only a date next to the word update: its day is settled later,
from the rest of the plan (services read `ParsedUpdate.year`).
"""

from __future__ import annotations

import datetime as dt
import re

from .parsed import ParsedUpdate
from .text import FoundDate, first_date, year_at

_BEFORE = re.compile(r"(?:update[sd]?|position(?:\s+as)?\s+at|as\s+at|progress(?:\s+as)?\s+at|position|progress)"
                     r"\s*[:\-\u2013\u2014]?\s*(?:on\s+|at\s+)?", re.IGNORECASE)
_AFTER = re.compile(r"\s+(?:update[sd]?|position|progress)\b\s*[:\-\u2013\u2014]?", re.IGNORECASE)
_PUNCTUATION = re.compile(r"^\s*[:\-\u2013\u2014]\s*")
# Where a dated update may start: a line's start, or a sentence's start inside the line.
_STARTS = re.compile(r"(?:^|(?<=[.!?;)])\s+)(?=\S)", re.MULTILINE)


def _date_at(text: str) -> tuple[FoundDate | None, int | None, int]:
    """(a date, or a year, at the very start of the text; where it ends)."""
    found = first_date(text[:40])
    if found is not None and found.start == 0:
        return found, None, found.end
    year = year_at(text)
    return None, year, 4 if year else 0


def marker_at(text: str, start: int, *, line_start: bool) -> tuple[ParsedUpdate, int] | None:
    """A dated update beginning at `start`: the update (without its text yet) and where its text begins."""
    rest = text[start:]
    before = _BEFORE.match(rest)
    if before:
        found, year, end = _date_at(rest[before.end():])
        if found or year:
            end += before.end()
            after = _PUNCTUATION.match(rest[end:])
            return _update(found, year), start + end + (after.end() if after else 0)
        return None
    found, year, end = _date_at(rest)
    if not (found or year):
        return None
    after = _AFTER.match(rest[end:])
    if after:  # "March 2014 update:", "2014 update:"
        return _update(found, year), start + end + after.end()
    punctuation = _PUNCTUATION.match(rest[end:])
    if found and line_start and punctuation:  # "March 2014: ..." opens a paragraph; "March 2013 saw" does not
        return _update(found, None), start + end + punctuation.end()
    return None


def _update(found: FoundDate | None, year: int | None) -> ParsedUpdate:
    if found is not None:
        return ParsedUpdate(found.date, "", precision=found.precision)
    return ParsedUpdate(None, "", precision="year", year=year)


def split_position(text: str) -> tuple[str, list[ParsedUpdate]]:
    """(description, dated updates in the order written) from a position cell."""
    found: list[tuple[int, int, ParsedUpdate]] = []
    for match in _STARTS.finditer(text):
        start = match.end()
        if found and start < found[-1][1]:
            continue
        line_start = start == 0 or text[start - 1] == "\n"
        hit = marker_at(text, start, line_start=line_start)
        if hit is not None:
            update, text_start = hit
            found.append((start, text_start, update))
    if not found:
        return text.strip(), []
    description = text[:found[0][0]].strip()
    updates = []
    for index, (_, text_start, update) in enumerate(found):
        end = found[index + 1][0] if index + 1 < len(found) else len(text)
        update.text = text[text_start:end].strip()
        updates.append(update)
    return description, updates


def settle_years(updates: list[ParsedUpdate], *, known: list[dt.date], as_at: dt.date | None,
                 today: dt.date) -> None:
    """Give "2014 update" a day: the plan's as-at date in that year, else its latest dated entry in that year,
    else the end of the year (never after today)."""
    for update in updates:
        if update.position_date is not None or update.year is None:
            continue
        if as_at is not None and as_at.year == update.year:
            update.position_date = as_at
            continue
        same_year = [d for d in known if d.year == update.year]
        update.position_date = max(same_year) if same_year else min(dt.date(update.year, 12, 31), today)
