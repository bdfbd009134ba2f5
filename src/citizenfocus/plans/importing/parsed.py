"""What the importer understood: the plan's tree, every cell it could not read, how each row was read.

Kept as JSON with the upload, so the plan saved is exactly the plan previewed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from dataclasses import asdict, dataclass, field


@dataclass
class Problem:
    where: str  # "table 1, row 14"
    column: str
    value: str
    expected: str  # what was expected, and what is saved while it stays unread
    field: str = ""  # "status", "date" or "ref": what the person can correct in the preview

    def __str__(self) -> str:
        return f"{self.where}, {self.column}: {self.value!r}: {self.expected}"


@dataclass
class ParsedUpdate:
    position_date: dt.date | None
    text: str
    precision: str = "day"  # "month" for "Update Mar14", "year" for "2014 update"
    year: int | None = None  # a year-only update before its day is settled


@dataclass
class ParsedStanding:
    """A recommendation's or response's own row when it has no action ("N/A", "Completed")."""

    owner: str = ""
    position: str = ""
    status: str = ""
    status_read_from: str = ""
    completion_date: dt.date | None = None
    completion_precision: str = "day"


@dataclass
class ParsedAction:
    ref: str
    where: str
    description: str = ""
    department: str = ""
    manager_name: str = ""
    status: str = "unknown"
    status_read_from: str = ""
    target_date: dt.date | None = None
    original_target_date: dt.date | None = None
    completion_date: dt.date | None = None
    completion_precision: str = "day"
    updates: list[ParsedUpdate] = field(default_factory=list)


@dataclass
class ParsedResponse:
    ref: str
    where: str
    text: str = ""
    standing: ParsedStanding | None = None
    actions: list[ParsedAction] = field(default_factory=list)


@dataclass
class ParsedRecommendation:
    ref: str
    where: str
    text: str = ""
    standing: ParsedStanding | None = None
    responses: list[ParsedResponse] = field(default_factory=list)


@dataclass
class RowReading:
    """One row of the table and what it became: shown in the preview, where the person can correct it."""

    number: int  # the row's number in its table (1 = the first row)
    where: str
    became: str  # "action 1.1.A", "continues action 1.1.A", "response 2.1 (no action)", "skipped: ..."
    kind: str  # "item", "continuation" or "skipped"
    auto_continuation: bool = False  # how the row reads without the person's choice
    item: str = ""  # the ref of what the row started or continues
    status_cell: str = ""  # the text (or shading) the status was read from
    status_read: str = ""
    date_cell: str = ""
    date_read: str = ""


@dataclass
class ParsedPlan:
    title: str = ""
    as_at: dt.date | None = None  # "Position at March 2014" in the document
    reporting_date: dt.date | None = None  # RAG is worked out as at this date
    reporting_date_from: str = ""  # where it came from, in words
    start_date: dt.date | None = None  # an inspection report's publication date
    response_due: dt.date | None = None  # an inspection's 56-day response date
    source_hint: str = ""  # Plan.Source read from the document ("HMICFRS ..." -> hmic_inspection)
    owning_body_hint: str = ""  # "Response to the Police Authority Scrutiny Group"
    table: str = ""
    header: list[str] = field(default_factory=list)  # the header row's cells, by column
    columns: dict[str, str] = field(default_factory=dict)  # our field's name -> their header
    column_indexes: dict[str, int] = field(default_factory=dict)  # our field -> their column
    legend: list[str] = field(default_factory=list)
    recommendations: list[ParsedRecommendation] = field(default_factory=list)
    rows: list[RowReading] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def actions(self):
        for rec in self.recommendations:
            for response in rec.responses:
                yield from response.actions

    def items(self):
        """Every recommendation, response and action, in order."""
        for rec in self.recommendations:
            yield rec
            for response in rec.responses:
                yield response
                yield from response.actions

    @property
    def counts(self) -> dict[str, int]:
        return {
            "recommendations": len(self.recommendations),
            "responses": sum(len(r.responses) for r in self.recommendations),
            "actions": sum(1 for _ in self.actions()),
            "problems": len(self.problems),
        }

    def as_dict(self) -> dict:
        return _jsonable(asdict(self))

    @classmethod
    def from_dict(cls, data: dict) -> ParsedPlan:
        return _load(cls, data)


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _load(cls, data: dict):
    """A dataclass back from its JSON: dates, nested items and lists by the field's type; unknown keys ignored."""
    hints = typing.get_type_hints(cls)
    values = {}
    for f in dataclasses.fields(cls):
        if f.name in data:
            values[f.name] = _value(hints[f.name], data[f.name])
    return cls(**values)


def _value(hint, raw):
    if raw is None:
        return None
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return _value(args[0], raw)
    if origin is list:
        return [_value(args[0], item) for item in raw]
    if hint is dt.date:
        return dt.date.fromisoformat(raw)
    if dataclasses.is_dataclass(hint):
        return _load(hint, raw)
    return raw
