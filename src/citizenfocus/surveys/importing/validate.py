"""Checking a row of a file, and turning it into the values stored.

The check by column (columnar.py) reads each column's distinct values with the same
cell readers (column_readers), and hands the RowChecker only the rows that fail there
(or that it cannot read by column): the RowChecker words each problem with its row,
column and value. Each column's reader is cached by raw value.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from ..definition import SurveyDefinition
from .areas import AreaIndex
from .columns import ColumnPlan
from .errors import ProblemLog, printable
from .readers import Row, UncomputedFormula
from .values import (
    Bad,
    age_reader,
    answer_reader,
    as_text,
    choice_reader,
    crime_type_reader,
    date_reader,
    disability_reader,
    ethnicity_reader,
    is_blank,
    read_consent,
    read_weight,
)

# The values stored for one response, in this order (model field names); a checked row is these
# followed by one answer code (None: not answered) per question of the survey, in definition order.
ROW_FIELDS = (
    "response_id", "interview_date", "incident_date", "crime_type", "division", "neighbourhood", "ward",
    "ethnicity", "age_band", "sex", "disability", "weight", "recontact_consent", "comment",
)
SLOT = {name: i for i, name in enumerate(ROW_FIELDS)}
MAX_ID_LENGTH = 64
CACHE_LIMIT = 50_000  # distinct values remembered per column (weights may all differ)
NUL_IN_TEXT = ("holds a NUL character (shown as \\x00), which cannot be stored: remove it from the cell "
               "(it usually comes from a damaged export)")
UNCOMPUTED_FORMULA = ("is a formula whose result was never saved in the workbook, so its value is unknown: "
                      "open the workbook in Excel and save it (or paste the values) before importing")

Progress = Callable[[int, int | None], None]


def row_slots(definition: SurveyDefinition) -> dict[str, int]:
    """Our column → its place in a checked row: the response's fields, then the survey's questions."""
    return SLOT | {key: len(ROW_FIELDS) + i for i, key in enumerate(definition.item_keys)}


def column_readers(definition: SurveyDefinition, today: date) -> dict[str, Callable[[object], object]]:
    """Our column → the reader of one of its cells, for the columns read cell by cell."""
    readers: dict[str, Callable[[object], object]] = {
        "interview_date": date_reader(today=today, what="interview date", required=True),
        "incident_date": date_reader(today=today, what="incident date"),
        "ethnicity": ethnicity_reader(definition.ethnicity_labels),
        "age_band": age_reader(definition.age_bands),
        "sex": choice_reader(definition.sexes, what="sex"),
        "disability": disability_reader(definition.disabilities),
        "weight": read_weight,
        "recontact_consent": read_consent,
    }
    if definition.has_crime_type:
        readers["crime_type"] = crime_type_reader(definition)
    for item in definition.items:
        readers[item.key] = answer_reader(item.scale)
    return readers


def _read(read: Callable[[object], object], raw: object) -> object:
    try:
        return read(raw)
    except Bad as bad:
        return bad


class RowChecker:
    """Reads rows into stored values, logging each problem with its row, column and value."""

    def __init__(self, *, definition: SurveyDefinition, plan: ColumnPlan, areas: AreaIndex,
                 today: date, log: ProblemLog, header: Sequence[object], short_rows_allowed: bool = True,
                 formulas: bool = False):
        self.log, self.areas, self.plan = log, areas, plan
        self.header = [printable(str(h or "").strip()) for h in header]
        self.header_width = len(header)
        # Trailing columns with no header name may be missing from a row without loss.
        self.required_width = 0 if short_rows_allowed else max(
            (i + 1 for i, name in enumerate(self.header) if name), default=0)
        self.formula_cells = sorted((p, plan.headers[c]) for c, p in plan.positions.items()) if formulas else ()
        self.seen: dict[str, int] | None = {}
        slots = row_slots(definition)
        self.template: list[object] = [None] * len(slots)
        self.template[SLOT["crime_type"]] = self.template[SLOT["comment"]] = ""
        self.cells = []
        for column, read in column_readers(definition, today).items():
            if column in plan:
                self.cells.append((slots[column], plan.positions[column], plan.headers[column], read, {}))
            else:
                default = _read(read, None)
                self.template[slots[column]] = "" if isinstance(default, Bad) else default
        self.cells.sort(key=lambda cell: cell[1])
        self.id_position = plan.positions.get("response_id")
        self.area_positions = tuple(plan.positions.get(c) for c in ("division", "neighbourhood", "ward"))
        self.comment_position = plan.positions.get("comment")

    def stop_tracking_duplicates(self) -> None:
        self.seen = None  # the second pass needs no memory of ids

    def check(self, number: int, row: Row) -> tuple | None:
        """The stored values of one row, or None after logging its problems."""
        width = len(row)
        out = self.template.copy()
        problems = self.log.count
        if width < self.required_width:
            self._check_short(number, width)
        if self.formula_cells:
            row = self._without_uncomputed_formulas(number, row, width)
        for slot, position, header, read, cache in self.cells:
            raw = row[position] if position < width else None
            try:
                value = cache[raw]
            except KeyError:
                value = _read(read, raw)
                if len(cache) < CACHE_LIMIT:
                    cache[raw] = value
            except TypeError:  # an unhashable cell (a list in a Parquet file)
                value = _read(read, raw)
            if value.__class__ is Bad:
                self.log.add(number, header, raw, value.args[0])
            else:
                out[slot] = value
        self._check_id(number, row, width, out)
        self._check_areas(number, row, width, out)
        self._check_dates(number, row, width, out)
        if width > self.header_width:
            self._check_width(number, row)
        if self.comment_position is not None and self.comment_position < width:
            raw = row[self.comment_position]
            out[SLOT["comment"]] = "" if is_blank(raw) else as_text(raw)
            if "\x00" in out[SLOT["comment"]]:
                self.log.add(number, self.plan.headers["comment"], raw, NUL_IN_TEXT)
        return tuple(out) if self.log.count == problems else None

    def _check_short(self, number: int, width: int) -> None:
        self.log.add(number, self.header[width] or f"column {width + 1}", "",
                     f"is missing from this row: the row has {width} values but the header has "
                     f"{self.required_width} columns (the row was cut short, or lost a delimiter)")

    def _without_uncomputed_formulas(self, number: int, row: Row, width: int) -> Row:
        """A formula with no saved result is an unknown value: refused where it would be read."""
        found = False
        for position, header in self.formula_cells:
            if position < width and row[position].__class__ is UncomputedFormula:
                found = True
                self.log.add(number, header, row[position], UNCOMPUTED_FORMULA)
        if not found:
            return row
        return [None if v.__class__ is UncomputedFormula else v for v in row]

    def _cell(self, row: Row, width: int, position: int | None) -> object:
        return row[position] if position is not None and position < width else None

    def _check_id(self, number: int, row: Row, width: int, out: list) -> None:
        raw = self._cell(row, width, self.id_position)
        text = raw.strip() if raw.__class__ is str else None
        if text and len(text) <= MAX_ID_LENGTH and self.seen is None and "\x00" not in text:
            out[0] = text  # the second pass: a checked id
            return
        header = self.plan.headers["response_id"]
        if is_blank(raw):
            self.log.add(number, header, "", "the response id is blank: every response needs one")
            return
        text = as_text(raw)
        if "\x00" in text:
            self.log.add(number, header, raw, NUL_IN_TEXT)
            return
        if len(text) > MAX_ID_LENGTH:
            self.log.add(number, header, raw, f"is too long for a response id (at most {MAX_ID_LENGTH} characters)")
            return
        if self.seen is not None:
            first = self.seen.setdefault(text, number)
            if first != number:
                self.log.add(number, header, raw, f"is also the response id on row {first}: "
                             "each response must appear once in a file")
        out[0] = text

    def _check_areas(self, number: int, row: Row, width: int, out: list) -> None:
        if self.areas.empty:
            return  # refused once for the whole file, not once a row
        division, neighbourhood, ward = self.area_positions
        placed = self.areas.place(
            row[division] if division is not None and division < width else None,
            row[neighbourhood] if neighbourhood is not None and neighbourhood < width else None,
            row[ward] if ward is not None and ward < width else None,
        )
        if isinstance(placed, list):
            for column, raw, expected in placed:
                self.log.add(number, self.plan.headers.get(column, column), raw, expected)
            return
        out[SLOT["division"]], out[SLOT["neighbourhood"]], out[SLOT["ward"]] = placed

    def _check_dates(self, number: int, row: Row, width: int, out: list) -> None:
        interview, incident = out[SLOT["interview_date"]], out[SLOT["incident_date"]]
        if incident is not None and interview is not None and incident > interview:
            raw = self._cell(row, width, self.plan.positions["incident_date"])
            self.log.add(number, self.plan.headers["incident_date"], raw,
                         f"is after the interview date ({interview:%d/%m/%Y}): the incident must come first")

    def _check_width(self, number: int, row: Row) -> None:
        extra = [v for v in row[self.header_width:] if not is_blank(v)]
        if extra:
            self.log.add(number, "", extra[0], f"is in a column with no header: the row has {len(row)} "
                         f"values but the header has {self.header_width} columns")
