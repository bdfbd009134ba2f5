"""Reading an action plan from a Word table, an Excel sheet or a CSV file.

    plan = plan_read(path)        # -> ParsedPlan: the tree, problems and notes
    plan.problems                 # every cell that could not be read

Nothing here touches the database: services.plan_import saves a ParsedPlan.
"""

from __future__ import annotations

import re
from pathlib import Path

from .columns import FIELD_NAMES, find_header
from .grid import SUFFIXES, UnreadableFile, read_document
from .legend import find_legend
from .parsed import (
    ParsedAction,
    ParsedPlan,
    ParsedRecommendation,
    ParsedResponse,
    ParsedUpdate,
    Problem,
)
from .rows import Assembler
from .text import first_date

__all__ = [
    "SUFFIXES", "ParsedAction", "ParsedPlan", "ParsedRecommendation", "ParsedResponse", "ParsedUpdate", "Problem",
    "UnreadableFile", "plan_read",
]


def plan_read(path: str | Path, *, file_name: str | None = None) -> ParsedPlan:
    """Understand the plan in a file; raises UnreadableFile when there is no plan table to read."""
    path = Path(path)
    name = file_name or path.name
    document = read_document(path)
    header = find_header(document.grids)
    if header is None:
        wanted = ", ".join(FIELD_NAMES.values())
        raise UnreadableFile(f"{name}: no table with a header row naming the plan's columns ({wanted}); "
                             "at least four of them are needed")
    legend = find_legend(document.grids, document.paragraphs)
    plan = ParsedPlan(
        title=_title(document.paragraphs or _above(header), name),
        as_at=_as_at(document.paragraphs or _above(header)),
        table=f"{header.grid.name}, header in row {header.row_index + 1}",
        columns={FIELD_NAMES[f]: header.titles[f] for f in FIELD_NAMES if f in header.titles},
        legend=legend.describe(),
    )
    missing = [FIELD_NAMES[f] for f in FIELD_NAMES if f not in header.columns]
    if missing:
        plan.notes.append(f"columns not found (left empty): {', '.join(missing)}")
    if legend.found:
        plan.notes.append(f"legend of progress colours found in {legend.found_in}: {'; '.join(legend.describe())}")
    Assembler(header, legend, plan).run()
    if not plan.recommendations:
        raise UnreadableFile(f"{name}: the plan's table ({plan.table}) has no rows under its header")
    return plan


_AS_AT = re.compile(r"\b(?:position|progress|updated?|status)\s+(?:as\s+)?(?:at|to|on)?\s*[:\-\u2013]?\s*(.{3,30})",
                    re.IGNORECASE)


def _as_at(lines: list[str]):
    """The date the document says its positions are at ("Position at March 2014", "Updated 12/03/2014")."""
    for line in lines[:6]:
        for match in _AS_AT.finditer(line):
            found = first_date(match.group(1))
            if found is not None and found.start <= 1:
                return found.date
    return None


def _above(header) -> list[str]:
    """Text above a sheet's header row: a spreadsheet's title lines."""
    lines = []
    for row in header.grid.rows[:header.row_index]:
        lines += [cell.text for cell in row if cell.text and not cell.spanned_left][:1]
    return lines


def _title(paragraphs: list[str], file_name: str) -> str:
    for line in paragraphs[:5]:
        if 3 <= len(line) <= 200 and not line.lower().startswith(("key", "legend")):
            return line.split("\n")[0]
    return Path(file_name).stem.replace("_", " ").replace("-", " ").strip()[:200]
