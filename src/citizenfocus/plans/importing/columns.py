"""Finding the plan's table and its header row, and which column is which."""

from __future__ import annotations

from dataclasses import dataclass

from .grid import Cell, Grid
from .text import normalise

FIELDS = ("ref", "level1", "level2", "owner", "position", "action", "progress", "date")

FIELD_NAMES = {
    "ref": "Ref", "level1": "Recommendation", "level2": "Force response", "owner": "Department and action manager",
    "position": "Current position", "action": "Action", "progress": "Progress", "date": "Completion date",
}

ALIASES = {
    "ref": ["ref", "refs", "reference", "ref no", "no", "number", "item", "objective ref", "rec no", "rec"],
    "level1": ["recommendation", "recommendations", "objective", "objectives", "area for improvement",
               "areas for improvement", "finding", "findings", "scrutiny recommendation", "equality objective"],
    "level2": ["force response", "response", "responses", "commitment", "commitments", "management response",
               "outcome", "outcomes", "agreed response", "proposed response"],
    "owner": ["department and action manager", "department action manager", "department", "action manager",
              "lead", "leads", "owner", "action owner", "responsible officer", "lead officer", "responsibility",
              "department and lead", "lead department"],
    "position": ["current position", "position", "progress update", "update", "updates", "activity",
                 "activity and progress", "progress to date", "current position update", "latest update",
                 "update on progress"],
    # An action column beside a position column holds the action's description; alone, it is the position.
    "action": ["action", "actions", "action taken", "actions taken", "agreed action", "proposed action",
               "planned action", "action to be taken"],
    "progress": ["progress", "status", "rag", "rag status", "progress colour coded", "colour coded progress",
                 "progress status", "progress rag", "colour coded status"],
    "date": ["completion date", "target date", "date", "due date", "target completion date", "completion",
             "completion target date", "target", "deadline", "timescale", "timescales", "date completed",
             "target or completion date"],
}


@dataclass
class Header:
    grid: Grid
    row_index: int
    columns: dict[str, int]  # field -> column index
    titles: dict[str, str]  # field -> the header text as written

    def matches(self, row: list[Cell]) -> bool:
        """A repeated header row (Word repeats it on every page of a long table)."""
        hits = sum(1 for f, c in self.columns.items() if c < len(row) and normalise(row[c].text) == normalise(self.titles[f]))
        return hits >= max(3, len(self.columns) - 1)


def _match_row(row: list[Cell]) -> tuple[dict[str, int], dict[str, str]]:
    columns: dict[str, int] = {}
    titles: dict[str, str] = {}
    names = [normalise(cell.text) if not cell.spanned_left else "" for cell in row]
    # Exact names first, then names containing an alias (longest alias first).
    for index, name in enumerate(names):
        for field_name in FIELDS:
            if field_name not in columns and name in ALIASES[field_name]:
                columns[field_name], titles[field_name] = index, row[index].text
                break
    by_length = sorted(((alias, f) for f in FIELDS for alias in ALIASES[f] if len(alias) >= 5),
                       key=lambda pair: len(pair[0]), reverse=True)
    for index, name in enumerate(names):
        if not name or index in columns.values() or len(name) > 80:
            continue
        for alias, field_name in by_length:
            if field_name not in columns and f" {alias} " in f" {name} ":
                columns[field_name], titles[field_name] = index, row[index].text
                break
    return columns, titles


def _position_from_action(columns: dict[str, int], titles: dict[str, str]) -> None:
    """With no position column, the action column is the position (the action and its progress)."""
    if "action" in columns and "position" not in columns:
        columns["position"], titles["position"] = columns.pop("action"), titles.pop("action")


def find_header(grids: list[Grid], overrides: dict[str, int | None] | None = None) -> Header | None:
    """The first row, in any table, naming at least four of the plan's columns; `overrides` are the person's
    choice of which column holds which field (None: the field is not in the table)."""
    header = _find_header(grids)
    if header is None or not overrides:
        return header
    width = len(header.grid.rows[header.row_index])
    for name, index in overrides.items():
        if name not in FIELD_NAMES:
            continue
        header.columns.pop(name, None)
        header.titles.pop(name, None)
        if index is not None and 0 <= int(index) < width:
            header.columns[name] = int(index)
            header.titles[name] = header.grid.rows[header.row_index][int(index)].text or f"column {int(index) + 1}"
    return header


def _find_header(grids: list[Grid]) -> Header | None:
    best = None
    for grid in grids:
        for index, row in enumerate(grid.rows[:40]):
            columns, titles = _match_row(row)
            _position_from_action(columns, titles)
            if len(columns) >= 4 and ("level1" in columns or "position" in columns):
                candidate = Header(grid, index, columns, titles)
                if best is None or len(columns) > len(best.columns):
                    best = candidate
                if len(columns) == len(FIELDS):
                    return best
        if best is not None:
            return best
    return best
