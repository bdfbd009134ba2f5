"""What every dashboard page returns: sentences, tables and charts, one structure for HTML, JSON and exports."""

from __future__ import annotations

from dataclasses import dataclass, field

from citizenfocus.areas.models import Division, Neighbourhood
from citizenfocus.performance.cube import Cube
from citizenfocus.surveys.definition import Measure


@dataclass
class Column:
    key: str
    label: str
    kind: str = "text"  # text | rate | diff | int | number | verdict


@dataclass
class Table:
    caption: str
    columns: list[Column]
    rows: list[dict]
    empty: str = "No data for these filters."  # what the page says in place of no rows

    def as_dict(self) -> dict:
        return {
            "caption": self.caption,
            "columns": [{"key": c.key, "label": c.label, "kind": c.kind} for c in self.columns],
            "rows": self.rows,
        }


@dataclass
class PageResult:
    title: str
    headline: list[str] = field(default_factory=list)
    tables: dict[str, Table] = field(default_factory=dict)
    charts: dict[str, dict] = field(default_factory=dict)
    chart_tables: dict[str, str] = field(default_factory=dict)  # chart → the table that is its data
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "title": self.title,
            "headline": self.headline,
            "tables": {k: t.as_dict() for k, t in self.tables.items()},
            "charts": {k: {"spec": s, "table": self.chart_tables.get(k)} for k, s in self.charts.items()},
            **self.extra,
        }


@dataclass(frozen=True)
class Filters:
    """The dashboard filters, resolved: names for the engine, objects for the page."""

    survey: str
    measure: Measure
    period: str
    crime_type: str | None
    division: Division | None
    neighbourhood: Neighbourhood | None

    def area_label(self) -> str:
        if self.neighbourhood:
            return f"{self.neighbourhood.name} neighbourhood"
        if self.division:
            return f"{self.division.name} division"
        return "the whole force"

    def slice(self, cube: Cube):
        return cube.slice(
            crime_type=self.crime_type,
            division=self.division.name if self.division else None,
            neighbourhood=self.neighbourhood.name if self.neighbourhood else None,
        )

    def as_dict(self) -> dict:
        return {
            "survey": self.survey,
            "measure": self.measure.key,
            "period": self.period,
            "crime_type": self.crime_type,
            "division": self.division.name if self.division else None,
            "neighbourhood": self.neighbourhood.name if self.neighbourhood else None,
        }

