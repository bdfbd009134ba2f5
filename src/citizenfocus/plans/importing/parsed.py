"""What the importer understood: the plan's tree, every cell it could not read, and notes.

Kept as JSON with the upload, so the plan saved is exactly the plan previewed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field, fields


@dataclass
class Problem:
    where: str  # "table 1, row 14"
    column: str
    value: str
    expected: str

    def __str__(self) -> str:
        return f"{self.where}, {self.column}: {self.value!r}: {self.expected}"


@dataclass
class ParsedUpdate:
    position_date: dt.date | None
    text: str


@dataclass
class ParsedAction:
    ref: str
    where: str
    description: str = ""
    department: str = ""
    manager_name: str = ""
    status: str = "not_started"
    status_read_from: str = ""
    target_date: dt.date | None = None
    original_target_date: dt.date | None = None
    completion_date: dt.date | None = None
    updates: list[ParsedUpdate] = field(default_factory=list)


@dataclass
class ParsedResponse:
    ref: str
    where: str
    text: str = ""
    actions: list[ParsedAction] = field(default_factory=list)


@dataclass
class ParsedRecommendation:
    ref: str
    where: str
    text: str = ""
    responses: list[ParsedResponse] = field(default_factory=list)


@dataclass
class ParsedPlan:
    title: str = ""
    as_at: dt.date | None = None  # "Position at March 2014" above the table: the date of undated positions
    table: str = ""
    columns: dict[str, str] = field(default_factory=dict)  # our field -> their header
    legend: list[str] = field(default_factory=list)
    recommendations: list[ParsedRecommendation] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def actions(self):
        for rec in self.recommendations:
            for response in rec.responses:
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
        def action(d):
            d = {**d, "updates": [ParsedUpdate(_date(u["position_date"]), u["text"]) for u in d["updates"]]}
            for name in ("target_date", "original_target_date", "completion_date"):
                d[name] = _date(d[name])
            return ParsedAction(**_known(ParsedAction, d))

        def response(d):
            return ParsedResponse(**{**_known(ParsedResponse, d), "actions": [action(a) for a in d["actions"]]})

        def rec(d):
            return ParsedRecommendation(**{**_known(ParsedRecommendation, d),
                                           "responses": [response(r) for r in d["responses"]]})

        return cls(
            title=data.get("title", ""), as_at=_date(data.get("as_at")), table=data.get("table", ""), columns=data.get("columns", {}),
            legend=data.get("legend", []), recommendations=[rec(r) for r in data.get("recommendations", [])],
            problems=[Problem(**p) for p in data.get("problems", [])], notes=data.get("notes", []),
        )


def _known(cls, data: dict) -> dict:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in data.items() if k in names}


def _date(value):
    return dt.date.fromisoformat(value) if value else None


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
