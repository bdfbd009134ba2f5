"""Reading an action plan from a Word table, an Excel sheet or a CSV file.

    plan = plan_read(path)        # -> ParsedPlan: the tree, each row's reading, problems and notes
    plan.problems                 # every cell that could not be read (each blocks only itself)
    plan_read(path, corrections=Corrections(...))   # read again with what the person fixed

Nothing here touches the database: services.plan_import saves a ParsedPlan.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .columns import FIELD_NAMES, find_header
from .corrections import Corrections
from .document import above_table, read_around, settle_reporting_date, title_of
from .grid import SUFFIXES, Line, UnreadableFile, read_document
from .legend import find_legend
from .parsed import (
    ParsedAction,
    ParsedPlan,
    ParsedRecommendation,
    ParsedResponse,
    ParsedStanding,
    ParsedUpdate,
    Problem,
    RowReading,
)
from .positions import settle_years
from .rows import Assembler

__all__ = [
    "SUFFIXES", "Corrections", "ParsedAction", "ParsedPlan", "ParsedRecommendation", "ParsedResponse",
    "ParsedStanding", "ParsedUpdate", "Problem", "RowReading", "UnreadableFile", "plan_read",
]


def plan_read(path: str | Path, *, file_name: str | None = None, corrections: Corrections | None = None,
              today: dt.date | None = None) -> ParsedPlan:
    """Understand the plan in a file; raises UnreadableFile when there is no plan table to read."""
    path = Path(path)
    name = file_name or path.name
    corrections = corrections or Corrections()
    document = read_document(path)
    header = find_header(document.grids, corrections.columns)
    if header is None:
        wanted = ", ".join(FIELD_NAMES.values())
        raise UnreadableFile(f"{name}: no table with a header row naming the plan's columns ({wanted}); "
                             "at least four of them are needed")
    lines = above_table(document.lines, header.grid.order) if document.lines else _above(header)
    legend = find_legend(document.grids, document.paragraphs)
    row = header.grid.rows[header.row_index]
    plan = ParsedPlan(
        title=title_of(lines, name), table=f"{header.grid.name}, header in row {header.row_index + 1}",
        header=[cell.text if not cell.spanned_left else "" for cell in row],
        columns={FIELD_NAMES[f]: header.titles[f] for f in FIELD_NAMES if f in header.titles},
        column_indexes=dict(header.columns), legend=legend.describe(),
    )
    read_around(plan, lines)
    missing = [FIELD_NAMES[f] for f in FIELD_NAMES if f not in header.columns and f != "action"]
    if missing:
        plan.notes.append(f"columns not found (left empty): {', '.join(missing)}")
    if legend.found:
        plan.notes.append(f"legend of progress colours found in {legend.found_in}: {'; '.join(legend.describe())}")
    assembler = Assembler(header, legend, plan, corrections)
    assembler.run()
    if not plan.recommendations:
        raise UnreadableFile(f"{name}: the plan's table ({plan.table}) has no rows under its header")
    if corrections.reporting_date:
        plan.reporting_date = dt.date.fromisoformat(corrections.reporting_date)
        plan.reporting_date_from = "set in the preview"
    _settle_dates(plan, today or dt.date.today())
    assembler.describe()
    return plan


def _settle_dates(plan: ParsedPlan, today: dt.date) -> None:
    """The reporting date, then the day of each "2014 update" and of progress written with no date at all."""
    dated = []
    for action in plan.actions():
        dated += [(u.position_date, action.where) for u in action.updates if u.position_date]
        if action.completion_date:
            dated.append((action.completion_date, action.where))
    for item in plan.items():
        standing = getattr(item, "standing", None)
        if standing is not None and standing.completion_date:
            dated.append((standing.completion_date, item.where))
    if plan.reporting_date is None:
        settle_reporting_date(plan, dated)
    updates = [u for a in plan.actions() for u in a.updates]
    settle_years(updates, known=[d for d, _ in dated], as_at=plan.reporting_date, today=today)
    if plan.reporting_date is None and any(u.position_date for u in updates):
        plan.reporting_date = max(u.position_date for u in updates if u.position_date)
        plan.reporting_date_from = "the latest dated update in the table"
    for update in updates:
        if update.position_date is None and plan.reporting_date is not None:
            update.position_date = plan.reporting_date


def _above(header) -> list[Line]:
    """Text above a sheet's header row: a spreadsheet's title lines."""
    lines = []
    for row in header.grid.rows[:header.row_index]:
        lines += [Line(cell.text) for cell in row if cell.text and not cell.spanned_left][:1]
    return lines
