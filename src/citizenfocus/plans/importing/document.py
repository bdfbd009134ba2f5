"""What the text around the table says: the plan's title, whom it answers, and the date it is at.

- The title is the heading that names the plan ("... Action Plan Response to the ...
  Scrutiny Group"), not the department line above it.
- "Response to the Police Authority Scrutiny Group" names the owning body; "HMICFRS"
  or "HMIC" an inspection, "scrutiny" a scrutiny panel report.
- The reporting date (RAG is worked out as at it) is the date the document gives its
  positions ("Position as at 10 February 2012"), else the 56-day response an
  inspection's plan goes to, else the latest dated update or completion in the table.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from .grid import Line
from .parsed import ParsedPlan
from .text import first_date, format_date

_AS_AT = re.compile(r"\b(?:position|progress|updated?|status)\s+(?:as\s+)?(?:at|to|on)?\s*[:\-\u2013]?\s*|"
                    r"\bas\s+at\s+", re.IGNORECASE)
_FIFTY_SIX = re.compile(r"\b56[\s-]*day", re.IGNORECASE)
_PUBLISHED = re.compile(r"\b(?:published|report(?:ed)? dated|inspection report of)\s*(?:on\s+)?[:\-]?\s*",
                        re.IGNORECASE)
_RESPONSE_TO = re.compile(r"\bresponse\s+to\s+(?:the\s+)?([^.;:]+?)(?:'s\b[^.;:]*|\s+(?:review|report|"
                          r"recommendations|inspection)\b[^.;:]*)?(?:[.;:]|$)", re.IGNORECASE)
_PLAN_WORDS = re.compile(r"\b(action plan|plan|response to|recommendations|improvement)\b", re.IGNORECASE)
SOURCES = (
    ("hmic_inspection", re.compile(r"\b(HMICFRS|HMIC|inspectorate|PEEL)\b")),
    ("equality_scheme", re.compile(r"\b(equality scheme|race equality|equality objectives?)\b", re.IGNORECASE)),
    ("gold_group", re.compile(r"\bgold group\b", re.IGNORECASE)),
    ("scrutiny_panel", re.compile(r"\bscrutiny\b", re.IGNORECASE)),
)


def above_table(lines: list[Line], table_order: int) -> list[Line]:
    """The paragraphs before the plan's table (all of them when the table's place is not known)."""
    before = [line for line in lines if line.tables_before <= table_order]
    return before or lines


def title_of(lines: list[Line], file_name: str) -> str:
    """The heading that names the plan, else the first line mentioning a plan, else the first line."""
    usable = [line for line in lines[:8] if 3 <= len(line.text) <= 250
              and not line.text.lower().startswith(("key", "legend", "colour"))]
    for wanted in (lambda line: line.is_heading and _PLAN_WORDS.search(line.text),
                   lambda line: _PLAN_WORDS.search(line.text) and len(line.text) <= 200,
                   lambda line: line.is_heading, lambda line: True):
        found = next((line for line in usable if wanted(line)), None)
        if found is not None:
            return found.text.split("\n")[0][:200]
    return Path(file_name).stem.replace("_", " ").replace("-", " ").strip()[:200]


def read_around(plan: ParsedPlan, lines: list[Line]) -> None:
    """The owning body, source, publication date and the document's own as-at date."""
    text = "\n".join(line.text for line in lines[:12])
    for source, pattern in SOURCES:
        if pattern.search(text):
            plan.source_hint = source
            break
    if plan.source_hint == "hmic_inspection":  # the inspectorate, not the inspection's name
        plan.owning_body_hint = "HMICFRS" if "HMICFRS" in text else "HMIC"
    for line in lines[:8] if not plan.owning_body_hint else []:
        match = _RESPONSE_TO.search(line.text)
        if match and len(match.group(1)) <= 120:
            plan.owning_body_hint = match.group(1).strip(" .,:")
            break
    for line in lines[:12]:
        for match in _AS_AT.finditer(line.text):
            found = first_date(line.text[match.end():match.end() + 40])
            if found is not None and found.start <= 1 and plan.as_at is None:
                plan.as_at = found.date
                plan.reporting_date_from = f"the document: {line.text[match.start():match.end() + found.end]!r}"
        published = _PUBLISHED.search(line.text)
        if published:
            found = first_date(line.text[published.end():published.end() + 40])
            if found is not None and found.start <= 1:
                plan.start_date = found.date
    _fifty_six_days(plan, lines)


def _fifty_six_days(plan: ParsedPlan, lines: list[Line]) -> None:
    """An inspection's plan goes to its 56-day response: the date given with it, or 56 days after publication."""
    for line in lines[:12]:
        match = _FIFTY_SIX.search(line.text)
        if not match:
            continue
        found = first_date(line.text[match.end():])
        if found is not None:
            plan.response_due = found.date
        elif plan.start_date is not None:
            plan.response_due = plan.start_date + dt.timedelta(days=56)
        if plan.response_due:
            plan.notes.append(f"the 56-day response is due on {format_date(plan.response_due)} "
                              f"({line.text[:80]!r})")
        return


def settle_reporting_date(plan: ParsedPlan, dated: list[tuple[dt.date, str]]) -> None:
    """The date RAG is worked out at: the document's own, the 56-day response, else the latest dated entry."""
    if plan.as_at is not None:
        plan.reporting_date = plan.as_at
    elif plan.response_due is not None:
        plan.reporting_date = plan.response_due
        plan.reporting_date_from = "the 56-day response date"
    elif dated:
        latest, where = max(dated)
        plan.reporting_date = latest
        plan.reporting_date_from = f"the latest dated entry in the table ({where})"
