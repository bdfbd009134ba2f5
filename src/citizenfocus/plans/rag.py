"""Red / amber / green for an action, derived from its status and dates.

The rules (docs/plans.md):

- Completed: green ("completed"), however late: a completed action is never red.
- Not known (a status the import could not read): amber ("status not known"), until someone sets it.
- Blocked: red.
- Past its target date and not completed: red ("overdue by N days").
- Due within N days (default 28) and in an amber status (default: Not Started): amber.
- No target date and not started: amber ("no target date").
- Otherwise green ("on track").

N and the amber statuses come from the settings CITIZENFOCUS_PLANS_DUE_SOON_DAYS and
CITIZENFOCUS_PLANS_AMBER_STATUSES (or the environment variables of the same names);
a plan can set its own N.

`today` is the date RAG is worked out as at: the plan's reporting date (Plan.as_at), so
an old plan is judged as at its own date, never against today.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .config import setting

DEFAULT_DUE_SOON_DAYS = 28
DEFAULT_AMBER_STATUSES = ("not_started",)

# Shading for the Word table and the web page: each with black text at 4.5:1 or more.
FILLS = {"red": "F4A6A6", "amber": "FFD580", "green": "A8D5A2"}
LABELS = {"red": "Red", "amber": "Amber", "green": "Green"}


@dataclass(frozen=True)
class Rag:
    colour: str  # red | amber | green
    reason: str

    @property
    def label(self) -> str:
        return LABELS[self.colour]

    @property
    def fill(self) -> str:
        return FILLS[self.colour]

    def __str__(self) -> str:
        return f"{self.label}: {self.reason}"

    def as_dict(self) -> dict:
        return {"colour": self.colour, "label": self.label, "reason": self.reason}


def due_soon_days() -> int:
    return int(setting("CITIZENFOCUS_PLANS_DUE_SOON_DAYS", DEFAULT_DUE_SOON_DAYS))


def amber_statuses() -> tuple[str, ...]:
    value = setting("CITIZENFOCUS_PLANS_AMBER_STATUSES", DEFAULT_AMBER_STATUSES)
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    return tuple(value)


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def rag_for(*, status: str, target_date: dt.date | None, today: dt.date, due_soon_days: int,
            amber: tuple[str, ...] | None = None) -> Rag:
    """The RAG of one action on `today`."""
    amber = amber if amber is not None else amber_statuses()
    if status == "completed":
        return Rag("green", "completed")
    if status == "unknown":
        return Rag("amber", "status not known: set it")
    if status == "blocked":
        return Rag("red", "blocked")
    if target_date is not None and target_date < today:
        return Rag("red", f"overdue by {_days((today - target_date).days)}")
    if target_date is not None and status in amber and (target_date - today).days <= due_soon_days:
        left = (target_date - today).days
        when = "today" if left == 0 else f"in {_days(left)}"
        return Rag("amber", f"due {when} and not started" if status == "not_started" else f"due {when}")
    if target_date is None and status == "not_started":
        return Rag("amber", "not started and no target date")
    return Rag("green", "on track")
