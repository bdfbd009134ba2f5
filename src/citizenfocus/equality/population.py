"""Census populations as a page needs them: QuerySet methods over the stored counts."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Sum

from .ages import (
    POLICE_UK_AGE_RANGES,
    TOTAL_LABELS,
    AgeMapping,
    age_span,
    map_ages,
    survey_age_band,
)
from .census import GROUPS, TOTAL, group_of
from .models import CensusCount, CensusTable

SEXES = ("Female", "Male")


def _counts(neighbourhood=None, table: str = CensusTable.ETHNIC_GROUP):
    found = CensusCount.objects.filter(table=table)
    if neighbourhood is not None:
        found = found.filter(area__neighbourhood=neighbourhood)
    return found


def ethnic_groups(neighbourhood=None) -> dict[str, int]:
    """Residents in the five high-level groups (the whole force when no neighbourhood)."""
    rows = _counts(neighbourhood).exclude(category__contains=":").values("category").annotate(n=Sum("count"))
    out = dict.fromkeys(GROUPS, 0)
    for row in rows:
        group = group_of(row["category"])
        if group:
            out[group] += row["n"]
    return out


def ethnic_categories(neighbourhood=None) -> dict[str, int]:
    """Residents in each of the 19 categories, keyed 'Group: category' as published."""
    rows = (_counts(neighbourhood).filter(category__contains=":").exclude(category=TOTAL)
            .values("category").annotate(n=Sum("count")).order_by("category"))
    return {row["category"]: row["n"] for row in rows}


def groups_by_neighbourhood() -> dict[int, dict[str, int]]:
    """neighbourhood id → residents per high-level group."""
    rows = (CensusCount.objects.filter(table=CensusTable.ETHNIC_GROUP).exclude(category__contains=":")
            .exclude(area__neighbourhood=None).values("area__neighbourhood", "category").annotate(n=Sum("count")))
    out: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(GROUPS, 0))
    for row in rows:
        group = group_of(row["category"])
        if group:
            out[row["area__neighbourhood"]][group] += row["n"]
    return dict(out)


def age_sex(neighbourhood=None, *, adults_only: bool = True) -> dict[tuple[str, str], int]:
    """Residents by (survey age band, sex): those aged 16 and over, or everyone (band "All ages")."""
    rows = _counts(neighbourhood, CensusTable.AGE_SEX).values("category").annotate(n=Sum("count"))
    out: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        sex, _, age = row["category"].partition("; ")
        band = survey_age_band(age) if adults_only else ("All ages" if age_span(age) else None)
        if band and sex in ("Female", "Male"):
            out[(band, sex)] += row["n"]
    return dict(out)


def _by_sex_and_age(neighbourhood=None) -> dict[tuple[str, str], int]:
    """(sex, census age label) → residents, Female and Male only (a table's "All persons" would count twice)."""
    rows = _counts(neighbourhood, CensusTable.AGE_SEX).values("category").annotate(n=Sum("count"))
    out: dict[tuple[str, str], int] = {}
    for row in rows:
        sex, _, age = row["category"].partition("; ")
        if sex in SEXES and age.strip() not in TOTAL_LABELS:
            out[(sex, age)] = row["n"]
    return out


def residents_by_police_age_range(neighbourhood=None) -> tuple[dict[str, int | None], AgeMapping]:
    """Residents in each of police.uk's age ranges, with the mapping used. A range that a census band
    straddles, or that no band covers, has None: its population is not known exactly."""
    counts = _by_sex_and_age(neighbourhood)
    mapping = map_ages([age for _, age in counts], POLICE_UK_AGE_RANGES)
    out: dict[str, int | None] = dict.fromkeys(POLICE_UK_AGE_RANGES, 0)
    covered = set(mapping.ranges.values())
    for (_, age), n in counts.items():
        if age in mapping.ranges:
            out[mapping.ranges[age]] += n
    for name in out:
        if name in mapping.blocked or name not in covered:
            out[name] = None
    return out, mapping


def residents_by_sex(neighbourhood=None) -> dict[str, int]:
    """Residents of every age by sex, from the age-by-sex table."""
    out = dict.fromkeys(SEXES, 0)
    for (sex, _), n in _by_sex_and_age(neighbourhood).items():
        out[sex] += n
    return out
