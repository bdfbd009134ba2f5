"""Computed pages, memoised; and a warmer so the first reader after an import does not wait.

Building a survey's cube over a million stored responses takes seconds, and
so does reading the rows for key drivers. The warmer (started by
`citizenfocus serve`) checks every half minute for a new data version and
computes each page's default view in the background.
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


def warm_survey(survey_key: str) -> int:
    """Compute the cube and every page's default view; returns the pages computed."""
    cube = get_cube(survey_key)
    if cube is None:
        return 0
    filters = Filters(survey=survey_key, measure=cube.definition.overall_measure, period="",
                      crime_type=None, division=None, neighbourhood=None)
    for page_key in PAGES:
        page_result(page_key, cube, filters)
    return len(PAGES)


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
