"""Where the pack's figures come from: the dashboard pages' results (memoised with the pages), so the
pack and the dashboard never disagree."""

from __future__ import annotations

from dataclasses import dataclass

from citizenfocus.areas.models import Division
from citizenfocus.performance.cube import Cube
from citizenfocus.performance.pages.base import Filters, PageResult
from citizenfocus.performance.warm import page_result


@dataclass
class PageSource:
    cube: Cube
    period: str  # 'rolling12:2014-03'
    division: Division | None = None

    @property
    def definition(self):
        return self.cube.definition

    def filters(self, measure, *, division: Division | None | bool = True, crime_type: str | None = None) -> Filters:
        chosen = self.division if division is True else (division or None)
        return Filters(survey=self.cube.survey_key, measure=measure, period=self.period, crime_type=crime_type,
                       division=chosen, neighbourhood=None)

    def page(self, key: str, measure, **area) -> PageResult:
        return page_result(key, self.cube, self.filters(measure, **area))[1]
