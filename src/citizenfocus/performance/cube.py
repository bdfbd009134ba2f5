"""The dashboard's cube: a per-process memo of the engine cube, by survey and data version.

Every dashboard page is a slice of the survey's standard engine cube (engine/cube.py `Cube`:
month × division × neighbourhood × crime type × age band × ethnic group → n, Σw, Σwy, Σw², Σw²y
for every measure). The cube is read from the sums persisted in the database (engine/stored.py
`load_cube`), which every import, erasure and purge keeps up to date in its own transaction, so
the first page after an import reads thousands of cells, not the responses, and every server
process reads the same rows. This module only memoises it per version (the newest stored import,
erasure and purge), so pages answer in milliseconds and never show figures from before the last
import. A distribution page's answer-code shares are a second cube over the same cells, persisted
beside the measures' sums in the same rows (engine/stored.py `load_cube(shares=True)`).
"""

from __future__ import annotations

import threading

from django.db.models import Max, OuterRef, Subquery

from citizenfocus.engine.cube import STANDARD_DIMENSIONS, Cube
from citizenfocus.engine.stored import load_cube
from citizenfocus.surveys.models import ImportBatch

DIMENSIONS = STANDARD_DIMENSIONS

_lock = threading.Lock()
_cubes: dict[tuple, Cube] = {}

__all__ = ["DIMENSIONS", "Cube", "clear", "data_version", "get_cube", "records_version"]


def data_version(survey_key: str) -> tuple[int, int, int]:
    """(newest stored import, newest erasure, newest purge) of the survey: each makes a new version.

    An erasure or a purge changes stored responses without an import, so a page never
    shows figures that still count an erased respondent. (0, ...) means no responses yet.
    One query (three indexed MAX subqueries): every dashboard request asks it.
    """
    from citizenfocus.surveys.models import Erasure, PurgeRecord, Survey

    newest = {
        name: Subquery(model.objects.filter(survey=OuterRef("pk"), **where).order_by().values("survey")
                       .annotate(v=Max("id")).values("v")[:1])
        for name, model, where in (("imported", ImportBatch, {"status": "stored"}), ("erased", Erasure, {}),
                                   ("purged", PurgeRecord, {}))
    }
    found = Survey.objects.filter(key=survey_key).annotate(**newest).values_list(*newest).first()
    return tuple(v or 0 for v in found) if found else (0, 0, 0)


def records_version() -> tuple:
    """What analysts recorded beside the data (targets, change points, peer figures): part of a page's cache key.
    One query (scalar subqueries): every dashboard request asks it."""
    from django.db import connection

    from .models import ChangePoint, PeerFigure, Target

    def table(model) -> str:
        return connection.ops.quote_name(model._meta.db_table)

    parts = [f"(SELECT COUNT(*) FROM {table(model)})" + f", (SELECT MAX({connection.ops.quote_name(field)}) "
             f"FROM {table(model)})"
             for model, field in ((Target, "set_at"), (ChangePoint, "id"), (PeerFigure, "entered_at"))]
    archived = ChangePoint._meta.get_field("archived").column
    parts.append(f"(SELECT COUNT(*) FROM {table(ChangePoint)} WHERE {connection.ops.quote_name(archived)} = %s)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), [True])  # noqa: S608 - table and column names only
        values = cursor.fetchone()
    return (*(tuple(values[i:i + 2]) for i in (0, 2, 4)), values[6])


def get_cube(survey_key: str, *, shares: bool = False) -> Cube | None:
    """The survey's engine cube for its current data, read once per version; None when it has no responses.

    `shares`: the cube of every question's answer-code shares (its distribution), read from its own
    persisted column only when a distribution is asked for, so the rates' cube does not carry a column per code."""
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
    return load_cube(survey_key, version=version, shares=shares)
