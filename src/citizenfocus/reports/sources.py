"""Where the pack's figures come from: the dashboard pages' results (memoised with the pages), so the
pack and the dashboard never disagree."""

from __future__ import annotations

from dataclasses import dataclass

from citizenfocus.areas.models import Division
from citizenfocus.performance.cube import Cube
from citizenfocus.performance.pages.base import Filters, PageResult
from citizenfocus.performance.warm import page_result
from citizenfocus.stats.periods import month_date


@dataclass
class PageSource:
    cube: Cube
    period: str  # 'rolling12:2014-03'
    division: Division | None = None

    @property
    def definition(self):
        return self.cube.definition

    @property
    def page_period(self) -> str:
        """The period as the pages are asked for it: the 12 months to the latest month are the pages' default
        (""), so the pack reads the results the dashboard's warmer already computed instead of computing
        them again under another key (the key-drivers page alone is most of a pack's pages)."""
        latest = f"rolling12:{month_date(self.cube.last_month):%Y-%m}"
        return "" if self.period == latest else self.period

    def filters(self, measure, *, division: Division | None | bool = True, crime_type: str | None = None) -> Filters:
        chosen = self.division if division is True else (division or None)
        return Filters(survey=self.cube.survey_key, measure=measure, period=self.page_period, crime_type=crime_type,
                       division=chosen, neighbourhood=None)

    def page(self, key: str, measure, **area) -> PageResult:
        return page_result(key, self.cube, self.filters(measure, **area))[1]
