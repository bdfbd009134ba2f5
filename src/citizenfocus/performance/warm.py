"""Computed pages, memoised; and a warmer so the first reader after an import does not wait.

Building a survey's cube over a million stored responses takes seconds, and
so does reading the rows for key drivers. The warmer (started by
`citizenfocus serve`) checks every half minute for a new data version and
computes each page's default view in the background, then the further pages the
force's board pack reads (each headline measure's pages for the force, and the
overview and headline trends of each division for the pack's summary grid), so a
pack built after an import finds them computed as the dashboard does.
"""

from __future__ import annotations

import json
import logging
import threading
import time

from django.db import close_old_connections

from . import memo, shared, words
from .cube import Cube, get_cube, records_version
from .pages import PAGES
from .pages.base import Filters

logger = logging.getLogger(__name__)


def page_result(page_key: str, cube: Cube, filters: Filters):
    """(key, figures) of a page: computed once per filters, data version and analysts' records (in this
    process's memo, and in the cache every server process shares: performance/shared.py)."""
    key = json.dumps([page_key, cube.survey_key, cube.version, records_version(), filters.as_dict()],
                     sort_keys=True, default=str)
    builder = PAGES[page_key][0]
    return key, memo.results.get_or_make(key, lambda: shared.get_or_make(
        "page", key, cube.survey_key, lambda: _with_design(builder(cube, filters), cube)))


def _with_design(result, cube: Cube):
    """Every page says what design its figures are domains of (JSON `design`, a note on the page)."""
    result.extra["design"] = cube.design()
    result.extra["design_note"] = words.design_note(cube.design())
    return result


# The pages a headline measure's section of the force's board pack reads (reports.measures); key drivers are
# read for the overall measure only, one of the default views.
PACK_MEASURE_PAGES = ("trend", "gaps", "neighbourhoods", "peers")


def default_filters(cube: Cube, **chosen) -> Filters:
    """A page's default view (the 12 months to the latest month, the whole force), `chosen` changed."""
    values = {"survey": cube.survey_key, "measure": cube.definition.overall_measure, "period": "",
              "crime_type": None, "division": None, "neighbourhood": None, **chosen}
    return Filters(**values)


def pack_views(cube: Cube) -> list[tuple[str, Filters]]:
    """The views the force's board pack reads beyond the default ones, at the pages' default period: each
    headline measure's section pages; for the summary grid each (not archived) division's overview and its
    headline measures' trends; for the key findings the overall measure's trend by crime type. Bounded by
    the survey's definition and the divisions: no neighbourhood, no other period."""
    from citizenfocus.areas.models import Division

    definition = cube.definition
    headline = [m for m in definition.measures if m.headline]
    views = [(key, default_filters(cube, measure=m)) for m in headline for key in PACK_MEASURE_PAGES]
    if definition.has_crime_type:
        views += [("trend", default_filters(cube, crime_type=kind.key)) for kind in definition.crime_types]
    for division in Division.objects.filter(archived=False).order_by("name"):
        views.append(("overview", default_filters(cube, division=division)))
        views += [("trend", default_filters(cube, measure=m, division=division)) for m in headline]
    return views


def warm_survey(survey_key: str, *, pack: bool = True) -> int:
    """Compute the cube and every page's default view, then (unless `pack` is False) the further views the
    force's board pack reads; returns the views asked for (those already computed are not computed again)."""
    cube = get_cube(survey_key)
    if cube is None:
        return 0
    filters = default_filters(cube)
    for page_key in PAGES:
        page_result(page_key, cube, filters)
    if not pack:
        return len(PAGES)
    views = pack_views(cube)
    for page_key, view in views:
        page_result(page_key, cube, view)
    return len(PAGES) + len(views)


def warm_all() -> None:
    from citizenfocus.surveys.models import Survey

    for key in Survey.objects.values_list("key", flat=True):
        started = time.perf_counter()
        if warm_survey(key):
            logger.info("warmed %s in %.1f s", key, time.perf_counter() - started)


def start_warmer(interval: float = 30.0) -> threading.Thread:
    """A daemon thread that keeps every survey's default views computed."""

    def loop():
        while True:
            try:
                warm_all()
            except Exception:  # a failed warm-up must never stop the server; pages compute on demand
                logger.exception("dashboard warm-up failed")
            finally:
                close_old_connections()
            time.sleep(interval)

    thread = threading.Thread(target=loop, name="dashboard-warmer", daemon=True)
    thread.start()
    return thread
