"""Stop and search records from police.uk's CSV files exactly as published (one per force per month).

Columns: Type, Date, Part of a policing operation, Policing operation, Latitude, Longitude, Gender,
Age range, Self-defined ethnicity, Officer-defined ethnicity, Legislation, Object of search, Outcome,
Outcome linked to object of search, Removal of more than just outer clothing. A force's fuller export
is read through a mapping file (its column, the police.uk column).

A file is the whole of its months: re-importing it changes nothing, a re-published month replaces the
rows that are no longer in it (counted as removed on the import's record).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from collections import Counter
from pathlib import Path

from django.db import transaction

from citizenfocus.surveys.importing.errors import ImportError_, ProblemLog

from .boundaries import NeighbourhoodLocator
from .files import EqualityImportRefused, read_csv, record_import, refuse_if
from .models import EqualityImport, StopSearch
from .police_uk import AGE_RANGES, COLUMNS, GENDERS, OFFICER_GROUPS, TYPES, self_group

BOOLEANS = {"True": True, "False": False, "": None, "true": True, "false": False}
BAD = object()  # a cell that is not what its column holds
ARREST = "Arrest"


def _when(value: str) -> dt.datetime | None:
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _float(value: str, low: float, high: float):
    if value == "":
        return None
    try:
        number = float(value)
    except ValueError:
        return BAD
    return number if low <= number <= high else BAD


def _checks(row: dict):
    """(column, parsed value, what was expected): BAD when the cell is not what its column holds."""
    yield "Type", row["Type"] if row["Type"] in TYPES else BAD, f"is not one of: {', '.join(TYPES)}"
    yield "Date", _when(row["Date"]) or BAD, "is not a date and time (2024-01-31T14:05:00+00:00)"
    for column in ("Part of a policing operation", "Outcome linked to object of search",
                   "Removal of more than just outer clothing"):
        yield column, BOOLEANS.get(row[column], BAD), "is not True, False or blank"
    yield "Latitude", _float(row["Latitude"], -90, 90), "is not a latitude (−90 to 90) or blank"
    yield "Longitude", _float(row["Longitude"], -180, 180), "is not a longitude (−180 to 180) or blank"
    yield "Gender", row["Gender"] if row["Gender"] in GENDERS else BAD, "is not Male, Female, Other or blank"
    yield ("Age range", row["Age range"] if row["Age range"] in AGE_RANGES else BAD,
           f"is not one of police.uk's age ranges ({', '.join(a for a in AGE_RANGES if a)}) or blank")
    group = self_group(row["Self-defined ethnicity"])
    yield ("Self-defined ethnicity", group if group is not None else BAD,
           'is not a police.uk self-defined ethnicity ("<group> - <category>", e.g. "White - Irish")')
    officer = row["Officer-defined ethnicity"]
    yield ("Officer-defined ethnicity", officer if officer in OFFICER_GROUPS else BAD,
           "is not White, Black, Asian, Mixed, Other or blank")


def _parse_row(row: dict, line: int, log: ProblemLog) -> dict | None:
    values = {}
    for column, value, expected in _checks(row):
        if value is BAD:
            log.add(line, column, row[column], expected)
        values[column] = value
    if any(v is BAD for v in values.values()):
        return None
    when = values["Date"]
    return {
        "occurred_at": when, "month": when.date().replace(day=1), "type": values["Type"],
        "part_of_operation": values["Part of a policing operation"], "operation": row["Policing operation"],
        "latitude": values["Latitude"], "longitude": values["Longitude"], "gender": values["Gender"],
        "age_range": values["Age range"], "self_defined_ethnicity": row["Self-defined ethnicity"],
        "officer_defined_ethnicity": values["Officer-defined ethnicity"], "legislation": row["Legislation"],
        "object_of_search": row["Object of search"], "outcome": row["Outcome"],
        "outcome_linked": values["Outcome linked to object of search"],
        "removal_of_clothing": values["Removal of more than just outer clothing"],
        "self_group": values["Self-defined ethnicity"], "officer_group": values["Officer-defined ethnicity"],
    }


def read_mapping(path: Path, allowed: tuple[str, ...] = COLUMNS) -> dict[str, str]:
    """A force export's mapping: a CSV of `their column,our column` rows (police.uk's columns by default)."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        pairs = [r for r in csv.reader(f) if r and any(c.strip() for c in r)]
    mapping = {}
    for line, pair in enumerate(pairs, start=1):
        if len(pair) != 2 or pair[1].strip() not in allowed:
            raise EqualityImportRefused([ImportError_(path.name, line, "", ",".join(pair),
                                                      f"is not 'their column,our column' (ours: {', '.join(allowed)})")])
        mapping[pair[0].strip()] = pair[1].strip()
    return mapping


def parse_stop_search(path: Path, *, mapping: dict[str, str] | None = None, name: str | None = None):
    """(records with their keys, sha256), or EqualityImportRefused naming every bad cell."""
    name = name or path.name
    header, rows, sha = read_csv(path, name)
    if mapping:
        header = [mapping.get(h, h) for h in header]
        rows = [{mapping.get(k, k): v for k, v in row.items()} for row in rows]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise EqualityImportRefused([ImportError_(name, 1, c, "", "is missing: police.uk's stop-and-search "
                                                  "columns are all needed (or a --mapping to them)") for c in missing])
    log, records, seen = ProblemLog(name), [], Counter()
    for line, row in enumerate(rows, start=2):
        parsed = _parse_row(row, line, log)
        if parsed:
            fingerprint = "\x1f".join(row[c] for c in COLUMNS)
            seen[fingerprint] += 1  # identical rows are distinct searches: their order tells them apart
            parsed["key"] = hashlib.sha256(f"{fingerprint}\x1e{seen[fingerprint]}".encode()).hexdigest()
            records.append(parsed)
    refuse_if(log)
    return records, sha


@transaction.atomic
def stop_search_import(*, paths: list[Path], mapping: dict[str, str] | None = None, user=None,
                       who_name: str = "") -> list[EqualityImport]:
    """Import many months at once: all files or none; each file's months are replaced by its rows."""
    parsed = []
    problems: list[ImportError_] = []
    for path in paths:
        try:
            parsed.append((path, *parse_stop_search(path, mapping=mapping)))
        except EqualityImportRefused as refused:
            problems.extend(refused.problems)
    if problems:
        raise EqualityImportRefused(problems)
    locator = NeighbourhoodLocator()
    return [_store_file(path, records, sha, locator, user, who_name) for path, records, sha in parsed]


def _store_file(path, records, sha, locator, user, who_name) -> EqualityImport:
    months = {r["month"] for r in records}
    keys = {r["key"] for r in records}
    existing = set(StopSearch.objects.filter(key__in=keys).values_list("key", flat=True))
    stale = StopSearch.objects.filter(month__in=months).exclude(key__in=keys)
    removed = stale.count()
    stale.delete()
    batch = record_import(kind=EqualityImport.Kind.STOP_SEARCH, name=path.name, sha256=sha, rows=len(records),
                          user=user, who_name=who_name, added=len(keys - existing), unchanged=len(existing),
                          removed=removed)
    StopSearch.objects.bulk_create([
        StopSearch(**r, batch=batch, neighbourhood_id=locator.neighbourhood_id(r["longitude"], r["latitude"]))
        for r in records if r["key"] not in existing
    ], batch_size=1000)
    return batch
