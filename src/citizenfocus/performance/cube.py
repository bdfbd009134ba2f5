"""The dashboard's cached aggregate: one group-by per survey and data version.

Every dashboard page is a slice of the same table of monthly sufficient
statistics (month × division × neighbourhood × crime type × age band × ethnic
group → n, Σw, Σwy, Σw², Σw²y for every measure), computed by the engine in one
GROUP BY. It is held in memory per survey and rebuilt when an import stores
new data (the version: the newest stored import, erasure and purge), so pages answer in
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
    version: tuple[int, int, int]  # data_version
    frame: pd.DataFrame  # one row per cell; month as a month number; measure__stat columns
    design_size: float  # every stored response of the survey: the design each page's figures are domains of
    stratum_sizes: pd.Series | None = None  # stratum value → every stored response in it (definition.strata)

    @property
    def strata(self) -> str | None:
        return self.definition.strata

    @property
    def single_unit_strata(self) -> int:
        """Strata of the design with one response: they add nothing to any variance."""
        return 0 if self.stratum_sizes is None else int((self.stratum_sizes == 1).sum())

    def design(self) -> dict:
        """What a page says about the design its figures are domains of (the JSON twin's `design`)."""
        return {"responses": int(self.design_size), "strata": self.strata,
                "strata_count": None if self.stratum_sizes is None else len(self.stratum_sizes),
                "single_unit_strata": self.single_unit_strata}

    def sums(self, frame: pd.DataFrame, measure: str, *, by: tuple[str, ...] = (),
             months: tuple[int, int] | None = None) -> pd.DataFrame:
        """measure_sums with this survey's strata: columns (statistic, stratum) when it has strata."""
        return measure_sums(frame, measure, by=by, months=months,
                            strata=None if self.strata is None else (self.strata, list(self.stratum_sizes.index)))

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
    """The cube for the survey's current data, built once per version; None when it has no responses.

    `shares`: the cube of every question's answer-code shares (its distribution), built only when a
    distribution is asked for, so the rates' cube does not carry a column per code."""
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
    try:
        source = open_db_source(survey_key, shares=shares)
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
    sizes = None
    if source.definition.strata:
        sizes = pd.Series(sums.rows).groupby(pd.Series(sums.keys[source.definition.strata])).sum()
    frame = frame[frame["month"] >= 0].reset_index(drop=True)
    return Cube(survey_key, source.definition, version, frame, float(sums.rows.sum()), sizes)


def measure_sums(frame: pd.DataFrame, measure: str, *, by: tuple[str, ...] = (),
                 months: tuple[int, int] | None = None, strata: tuple[str, list] | None = None) -> pd.DataFrame:
    """Σ of the five statistics of one measure over `months` (inclusive), grouped by `by`.

    `strata` (column, every value): the columns become (statistic, stratum), a stratum
    with no rows holding zeros, so figures.estimates sees each stratum's sums.
    """
    if months is not None:
        frame = frame[(frame["month"] >= months[0]) & (frame["month"] <= months[1])]
    columns = [f"{measure}__{s}" for s in STATISTICS]
    keys = list(by)
    if strata:
        # its own key, so a breakdown by the stratum column itself (crime type by crime type) still works
        frame = frame.assign(stratum__=frame[strata[0]])
        keys.append("stratum__")
    if keys:
        out = frame.groupby(keys, observed=True)[columns].sum()
    else:
        out = frame[columns].sum().to_frame().T
    out.columns = list(STATISTICS)
    if not strata:
        return out
    wide = out.unstack("stratum__", fill_value=0.0) if by else out.unstack().to_frame().T
    wide = wide.reindex(columns=pd.MultiIndex.from_product([list(STATISTICS), strata[1]]), fill_value=0.0)
    if not by:
        wide.index = [0]
    return wide


def monthly_sums(frame: pd.DataFrame, measure: str, *, first: int, last: int,
                 strata: tuple[str, list] | None = None) -> pd.DataFrame:
    """One row per month first..last (months with no responses hold zeros)."""
    sums = measure_sums(frame, measure, by=("month",), strata=strata)
    return sums.reindex(np.arange(first, last + 1), fill_value=0.0)

