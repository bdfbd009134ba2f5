"""Census populations as a page needs them: QuerySet methods over the stored counts."""

from __future__ import annotations

import re
from collections import defaultdict

from django.db.models import Sum

from .census import GROUPS, TOTAL, group_of
from .models import CensusCount, CensusTable

AGE_LABEL = re.compile(r"Aged (\d+) to (\d+) years|Aged (\d+) years and over|Aged (\d+) years and under")


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


def survey_age_band(census_age: str) -> str | None:
    """'Aged 16 to 24 years' → '16-24', 'Aged 75 years and over' → '75+'; under 16 → None (not surveyed)."""
    match = AGE_LABEL.search(census_age)
    if not match or match[4]:
        return None
    return f"{match[1]}-{match[2]}" if match[1] else f"{match[3]}+"


def age_sex(neighbourhood=None, *, adults_only: bool = True) -> dict[tuple[str, str], int]:
    """Residents by (survey age band, sex): those aged 16 and over, or everyone (band "All ages")."""
    rows = _counts(neighbourhood, CensusTable.AGE_SEX).values("category").annotate(n=Sum("count"))
    out: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        sex, _, age = row["category"].partition("; ")
        band = survey_age_band(age) if adults_only else "All ages"
        if band and sex in ("Female", "Male"):
            out[(band, sex)] += row["n"]
    return dict(out)
