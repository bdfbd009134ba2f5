"""The dashboard's cached aggregate: one group-by per survey and data version.

Every dashboard page is a slice of the same table of monthly sufficient
statistics (month × division × neighbourhood × crime type × age band × ethnic
group → n, Σw, Σwy, Σw², Σw²y for every measure), computed by the engine in one
GROUP BY. It is held in memory per survey and rebuilt when an import stores
new data (the version is the newest stored import batch), so pages answer in
milliseconds and never show figures from before the last import.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.db.models import Max

from citizenfocus.engine import SourceError, open_db_source, sums_by, with_derived_columns
from citizenfocus.engine.sums import STATISTICS, month_start
from citizenfocus.surveys.definition import SurveyDefinition
from citizenfocus.surveys.models import ImportBatch

logger = logging.getLogger(__name__)
DIMENSIONS = ("division", "neighbourhood", "crime_type", "age_band", "ethnic_group")

_lock = threading.Lock()
_cubes: dict[tuple, Cube] = {}


@dataclass(frozen=True)
class Cube:
    survey_key: str
    definition: SurveyDefinition
    version: int
    frame: pd.DataFrame  # one row per cell; month as a month number; measure__stat columns
    design_size: float  # every stored response of the survey: the design each page's figures are domains of

    @property
    def first_month(self) -> int:
        return int(self.frame["month"].min())

    @property
    def last_month(self) -> int:
        return int(self.frame["month"].max())

    def month_label(self, number: int) -> str:
        return month_start(number).strftime("%b %Y")

    def slice(self, *, crime_type: str | None = None, division: str | None = None,
              neighbourhood: str | None = None) -> pd.DataFrame:
        """The cells inside the filters (names, as stored)."""
        frame = self.frame
        for column, value in (("crime_type", crime_type), ("division", division), ("neighbourhood", neighbourhood)):
            if value:
                frame = frame[frame[column] == value]
        return frame


def data_version(survey_key: str) -> int:
    """The newest stored import of the survey: a new import makes a new version."""
    return ImportBatch.objects.filter(survey__key=survey_key, status="stored").aggregate(v=Max("id"))["v"] or 0


def records_version() -> tuple:
    """What analysts recorded beside the data (targets, change points, peer figures): part of a page's cache key."""
    from django.db.models import Count

    from .models import ChangePoint, PeerFigure, Target

    versions = tuple(
        tuple(model.objects.aggregate(n=Count("id"), last=Max(field)).values())
        for model, field in ((Target, "set_at"), (ChangePoint, "id"), (PeerFigure, "entered_at"))
    )
    return (*versions, ChangePoint.objects.filter(archived=True).count())


def get_cube(survey_key: str) -> Cube | None:
    """The cube for the survey's current data, built once per version; None when it has no responses."""
    version = data_version(survey_key)
    if version == 0:
        return None
    key = (survey_key, version)
    with _lock:
        cube = _cubes.get(key)
        if cube is None:
            cube = _build(survey_key, version)
            if cube is None:
                return None
            for old in [k for k in _cubes if k[0] == survey_key]:
                del _cubes[old]
            _cubes[key] = cube
    return cube


def clear() -> None:
    with _lock:
        _cubes.clear()


def _build(survey_key: str, version: int) -> Cube | None:
    try:
        source = open_db_source(survey_key)
    except SourceError:  # the engine's own connection cannot see it (yet): no figures to show
        logger.warning("survey %s is not readable by the engine", survey_key, exc_info=True)
        return None
    table = with_derived_columns(source.table, definition=source.definition)
    sums = sums_by(table, measures=source.measures, by=DIMENSIONS)
    columns = {"month": sums.month}
    columns.update({dim: pd.Categorical(sums.keys[dim]) for dim in DIMENSIONS})
    for measure in source.measures:
        for stat in STATISTICS:
            columns[f"{measure}__{stat}"] = sums.sums[measure][stat]
    frame = pd.DataFrame(columns)
    frame = frame[frame["month"] >= 0].reset_index(drop=True)
    return Cube(survey_key, source.definition, version, frame, float(sums.rows.sum()))


def measure_sums(frame: pd.DataFrame, measure: str, *, by: tuple[str, ...] = (),
                 months: tuple[int, int] | None = None) -> pd.DataFrame:
    """Σ of the five statistics of one measure over `months` (inclusive), grouped by `by`."""
    if months is not None:
        frame = frame[(frame["month"] >= months[0]) & (frame["month"] <= months[1])]
    columns = [f"{measure}__{s}" for s in STATISTICS]
    if by:
        out = frame.groupby(list(by), observed=True)[columns].sum()
    else:
        out = frame[columns].sum().to_frame().T
    out.columns = list(STATISTICS)
    return out


def monthly_sums(frame: pd.DataFrame, measure: str, *, first: int, last: int) -> pd.DataFrame:
    """One row per month first..last (months with no responses hold zeros)."""
    sums = measure_sums(frame, measure, by=("month",))
    return sums.reindex(np.arange(first, last + 1), fill_value=0.0)

