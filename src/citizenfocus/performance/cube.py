"""The dashboard's cube: a per-process memo of the engine cube, by survey and data version.

Every dashboard page is a slice of the survey's standard engine cube (engine/cube.py `Cube`:
month × division × neighbourhood × crime type × age band × ethnic group → n, Σw, Σwy, Σw², Σw²y
for every measure). The cube is read from the sums persisted in the database (engine/stored.py
`load_cube`), which every import, erasure and purge keeps up to date in its own transaction, so
the first page after an import reads thousands of cells, not the responses, and every server
process reads the same cells. This module only memoises it per version (the newest stored import,
erasure and purge), so pages answer in milliseconds and never show figures from before the last
import. A distribution page's answer-code shares are a second cube, built from the responses when
first asked for.
"""

from __future__ import annotations

import logging
import threading

from django.db.models import Max

from citizenfocus.engine import SourceError, open_db_source
from citizenfocus.engine.cube import STANDARD_DIMENSIONS, Cube
from citizenfocus.engine.stored import load_cube
from citizenfocus.surveys.models import ImportBatch

logger = logging.getLogger(__name__)
DIMENSIONS = STANDARD_DIMENSIONS

_lock = threading.Lock()
_cubes: dict[tuple, Cube] = {}

__all__ = ["DIMENSIONS", "Cube", "clear", "data_version", "get_cube", "records_version"]


def data_version(survey_key: str) -> tuple[int, int, int]:
    """(newest stored import, newest erasure, newest purge) of the survey: each makes a new version.

    An erasure or a purge changes stored responses without an import, so a page never
    shows figures that still count an erased respondent. (0, ...) means no responses yet.
    """
    from citizenfocus.surveys.models import Erasure, PurgeRecord

    latest = [model.objects.filter(survey__key=survey_key, **where).aggregate(v=Max("id"))["v"] or 0
              for model, where in ((ImportBatch, {"status": "stored"}), (Erasure, {}), (PurgeRecord, {}))]
    return tuple(latest)


def records_version() -> tuple:
    """What analysts recorded beside the data (targets, change points, peer figures): part of a page's cache key."""
    from django.db.models import Count

    from .models import ChangePoint, PeerFigure, Target

    versions = tuple(
        tuple(model.objects.aggregate(n=Count("id"), last=Max(field)).values())
        for model, field in ((Target, "set_at"), (ChangePoint, "id"), (PeerFigure, "entered_at"))
    )
    return (*versions, ChangePoint.objects.filter(archived=True).count())


def get_cube(survey_key: str, *, shares: bool = False) -> Cube | None:
    """The survey's engine cube for its current data, read once per version; None when it has no responses.

    `shares`: the cube of every question's answer-code shares (its distribution), built from the
    responses only when a distribution is asked for, so the rates' cube does not carry a column per code."""
    version = data_version(survey_key)
    if version[0] == 0:
        return None
    key = (survey_key, shares, version)
    with _lock:
        cube = _cubes.get(key)
        if cube is None:
            cube = _build(survey_key, version, shares=shares)
            if cube is None:
                return None
            for old in [k for k in _cubes if k[:2] == (survey_key, shares)]:
                del _cubes[old]
            _cubes[key] = cube
    return cube


def clear() -> None:
    with _lock:
        _cubes.clear()


def _build(survey_key: str, version: tuple[int, int, int], *, shares: bool = False) -> Cube | None:
    if not shares:
        return load_cube(survey_key, version=version)
    try:
        source = open_db_source(survey_key, shares=True)
    except SourceError:  # the engine's own connection cannot see it (yet): no figures to show
        logger.warning("survey %s is not readable by the engine", survey_key, exc_info=True)
        return None
    cube = Cube.from_source(source, dimensions=STANDARD_DIMENSIONS, strata=source.definition.strata)
    return Cube(cube.data, key=cube.key, definition=source.definition, survey_key=survey_key, version=version)
