"""Census community profiles: the national statistics office's bulk CSV tables for small areas.

Layout (Census 2021 bulk files, e.g. TS021 ethnic group, one row per area):
`date, geography, geography code, Ethnic group: Total: All usual residents, Ethnic group: Asian, Asian British
or Asian Welsh, Ethnic group: Asian, Asian British or Asian Welsh: Bangladeshi, ...` — the total, the 5
high-level groups and the 19 categories. Age by sex: `Sex: Female; Age: Aged 16 to 24 years; measures:
Value` per sex and age band. A lookup file puts each area in a neighbourhood.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.db import transaction

from citizenfocus.areas.models import Neighbourhood
from citizenfocus.surveys.importing.errors import ProblemLog

from .ages import map_ages
from .files import EqualityImportRefused, read_csv, record_import, refuse_if
from .models import CensusArea, CensusCount, CensusTable, EqualityImport

ETHNIC_PREFIX = "Ethnic group: "
TOTAL = "Total: All usual residents"
AGE_SEX = re.compile(r"^Sex: (?P<sex>[^;]+); Age: (?P<age>[^;]+); measures: Value$")
# The five high-level groups, by the first word of their census name (2011 and 2021 wordings).
GROUPS = ("White", "Mixed", "Asian", "Black", "Other")
CODE_COLUMNS = ("geography code", "area_code")
NAME_COLUMNS = ("geography", "area_name")


def group_of(category: str) -> str | None:
    """'Asian, Asian British or Asian Welsh: Indian' → 'Asian'; the total → None."""
    first = re.split(r"[ ,/:]", category, maxsplit=1)[0]
    return first if first in GROUPS else None


def _layout(header: list[str], name: str) -> tuple[str, dict[str, str]]:
    """Which table the file holds, and column → category."""
    ethnic = {h: h[len(ETHNIC_PREFIX):] for h in header if h.startswith(ETHNIC_PREFIX)}
    age_sex = {h: f"{m['sex']}; {m['age']}" for h in header if (m := AGE_SEX.match(h))}
    problems = []
    if not any(c in header for c in CODE_COLUMNS):
        problems.append(f'has no "geography code" column (columns: {", ".join(header[:6])}…)')
    if bool(ethnic) == bool(age_sex):
        problems.append('needs either "Ethnic group: …" columns (table TS021) or "Sex: …; Age: …; measures: Value" '
                        "columns (age by sex), one table per file")
    if ethnic and TOTAL not in ethnic.values():
        problems.append(f'has no "{ETHNIC_PREFIX}{TOTAL}" column')
    if ethnic and {group_of(c) for c in ethnic.values() if ":" not in c} != set(GROUPS):
        problems.append(f"needs the five high-level ethnic groups ({', '.join(GROUPS)}) as columns")
    unreadable = map_ages(m["age"] for h in header if (m := AGE_SEX.match(h))).unreadable
    if unreadable:
        problems.append(f'has ages that are not read as ages: {", ".join(unreadable[:5])} (the census words them '
                        '"Aged 16 to 24 years", "Aged 7 years", "Aged under 1 year", "Aged 85 years and over")')
    if problems:
        from citizenfocus.surveys.importing.errors import ImportError_

        raise EqualityImportRefused([ImportError_(name, 1, "", "", p) for p in problems])
    return (CensusTable.ETHNIC_GROUP, ethnic) if ethnic else (CensusTable.AGE_SEX, age_sex)


def _counts(row: dict, columns: dict[str, str], line: int, log: ProblemLog) -> dict[str, int]:
    counts = {}
    for column, category in columns.items():
        value = row.get(column, "")
        if not value.isdigit():
            log.add(line, column, value, "is not a count of people (a whole number, 0 or more)")
            continue
        counts[category] = int(value)
    return counts


def _check_ethnic_sums(counts: dict[str, int], line: int, log: ProblemLog) -> None:
    """Each group is the sum of its categories, and the total the sum of the groups."""
    groups = {c: v for c, v in counts.items() if ":" not in c and c != TOTAL}
    for group, value in groups.items():
        parts = [v for c, v in counts.items() if c.startswith(group + ":")]
        if parts and sum(parts) != value:
            log.add(line, ETHNIC_PREFIX + group, value, f"is not the sum of its categories ({sum(parts)})")
    if TOTAL in counts and len(groups) == len(GROUPS) and sum(groups.values()) != counts[TOTAL]:
        log.add(line, ETHNIC_PREFIX + TOTAL, counts[TOTAL], f"is not the sum of the five groups ({sum(groups.values())})")


def parse_census(path: Path, name: str | None = None) -> tuple[str, dict[str, tuple[str, dict[str, int]]], str]:
    """(table, {area code: (area name, {category: count})}, sha256), or EqualityImportRefused naming every problem."""
    name = name or path.name
    header, rows, sha = read_csv(path, name)
    table, columns = _layout(header, name)
    code_col = next(c for c in CODE_COLUMNS if c in header)
    name_col = next((c for c in NAME_COLUMNS if c in header), code_col)
    log, areas = ProblemLog(name), {}
    for line, row in enumerate(rows, start=2):
        code = row[code_col]
        if not code:
            log.add(line, code_col, code, "is empty: every row needs its area's code")
            continue
        if code in areas:
            log.add(line, code_col, code, "appears twice in the file")
        counts = _counts(row, columns, line, log)
        if table == CensusTable.ETHNIC_GROUP and len(counts) == len(columns):
            _check_ethnic_sums(counts, line, log)
        areas[code] = (row[name_col] or code, counts)
    if not areas and not log:
        log.add(None, "", "", "has no rows of areas")
    refuse_if(log)
    return table, areas, sha


@transaction.atomic
def census_import(*, path: Path, user=None, who_name: str = "", name: str | None = None) -> EqualityImport:
    """Store one census table file; a re-import updates counts in place (nothing duplicated)."""
    name = name or path.name
    table, areas, sha = parse_census(path, name)
    added = changed = unchanged = 0
    for code, (area_name, counts) in areas.items():
        area, _ = CensusArea.objects.update_or_create(code=code, defaults={"name": area_name[:160]})
        stored = dict(CensusCount.objects.filter(area=area, table=table).values_list("category", "count"))
        for category, count in counts.items():
            if category not in stored:
                CensusCount.objects.create(area=area, table=table, category=category, count=count)
                added += 1
            elif stored[category] != count:
                CensusCount.objects.filter(area=area, table=table, category=category).update(count=count)
                changed += 1
            else:
                unchanged += 1
    return record_import(kind=EqualityImport.Kind.CENSUS, name=name, sha256=sha, rows=len(areas), user=user,
                         who_name=who_name, added=added, changed=changed, unchanged=unchanged)


# The area column, smallest areas first: a lookup of output areas also names their ward.
LOOKUP_AREA = tuple(re.compile(p, re.I) for p in (r"^(area_code|geography code)$", r"^OA\d\dCD$",
                                                  r"^LSOA\d\dCD$", r"^MSOA\d\dCD$", r"^WD\d\dCD$"))
LOOKUP_HOOD = ("neighbourhood_code", "neighbourhood")
LOOKUP_WARD = re.compile(r"^(ward_code|WD\d\dCD)$", re.I)


@transaction.atomic
def lookup_import(*, path: Path, user=None, who_name: str = "", name: str | None = None) -> EqualityImport:
    """Put census areas in the force's neighbourhoods from a lookup CSV (area code → neighbourhood code)."""
    name = name or path.name
    header, rows, sha = read_csv(path, name)
    area_col = next((h for pattern in LOOKUP_AREA for h in header if pattern.match(h)), None)
    hood_col = next((h for h in header if h.lower() in LOOKUP_HOOD), None)
    ward_col = next((h for h in header if LOOKUP_WARD.match(h)), None)
    log = ProblemLog(name)
    if not area_col or not hood_col:
        log.add(1, "", "", 'needs an area code column ("area_code", "geography code" or an ONS "…CD" column) and '
                           'a "neighbourhood_code" column')
        refuse_if(log)
    areas = {a.code: a for a in CensusArea.objects.all()}
    hoods = {h.code: h for h in Neighbourhood.objects.all()}
    changes = []
    for line, row in enumerate(rows, start=2):
        area, hood = areas.get(row[area_col]), hoods.get(row[hood_col])
        if area is None:
            log.add(line, area_col, row[area_col], "is not an imported census area (import the census tables first)")
        if hood is None:
            log.add(line, hood_col, row[hood_col], "is not the code of one of the force's neighbourhoods")
        if area and hood:
            changes.append((area, hood, row.get(ward_col, "") if ward_col else ""))
    refuse_if(log)
    changed = unchanged = 0
    for area, hood, ward in changes:
        if area.neighbourhood_id == hood.pk and area.ward_code == ward:
            unchanged += 1
            continue
        area.neighbourhood, area.ward_code = hood, ward
        area.save(update_fields=["neighbourhood", "ward_code"])
        changed += 1
    return record_import(kind=EqualityImport.Kind.LOOKUP, name=name, sha256=sha, rows=len(rows), user=user,
                         who_name=who_name, changed=changed, unchanged=unchanged)
