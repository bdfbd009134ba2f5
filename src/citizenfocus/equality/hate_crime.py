"""Hate crime records from the crime system: a CSV with one row per crime, read through a mapping when the
force's column names differ.

Columns: crime_reference, recorded_date (YYYY-MM-DD or DD/MM/YYYY), neighbourhood (a code, may be blank),
strands (one or more of race, religion, disability, sexual orientation, transgender identity, separated
by ; or |), actual_religion and perceived_religion (the board report's list, Unknown, or blank),
religion_involved (Y/N), outcome, repeat_victim (Y/N). Re-import updates by crime reference; a crime past its
retention is found by its pseudonym and not stored again (hate_crime_retention.py).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from django.db import transaction

from citizenfocus.areas.models import Neighbourhood
from citizenfocus.surveys.importing.errors import ImportError_, ProblemLog

from .files import EqualityImportRefused, read_csv, record_import, refuse_if
from .models import RELIGIONS, STRANDS, EqualityImport, HateCrime

COLUMNS = ("crime_reference", "recorded_date", "neighbourhood", "strands", "actual_religion", "perceived_religion",
           "religion_involved", "outcome", "repeat_victim")
STRAND_WORDS = {"race": "race", "racial": "race", "religion": "religion", "religious": "religion", "faith": "religion",
                "disability": "disability", "sexual orientation": "sexual_orientation",
                "sexual_orientation": "sexual_orientation", "transgender": "transgender",
                "transgender identity": "transgender", "transgender_identity": "transgender"}
YES_NO = {"y": True, "yes": True, "true": True, "1": True, "n": False, "no": False, "false": False, "0": False}
_RELIGION_BY_WORD = {r.lower(): r for r in RELIGIONS} | {"bahai": "Bahá'í", "baha'i": "Bahá'í", "": ""}


def _date(value: str) -> dt.date | None:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def _strands(value: str) -> list[str] | None:
    parts = [p.strip().lower() for p in re.split(r"[;|]", value) if p.strip()]
    found = [STRAND_WORDS.get(p) for p in parts]
    return sorted(set(found)) if parts and None not in found else None


def _checks(row: dict, hoods: dict):
    yield "recorded_date", _date(row["recorded_date"]), "is not a date (YYYY-MM-DD or DD/MM/YYYY)"
    yield "strands", _strands(row["strands"]), ("is not one or more of race, religion, disability, sexual "
                                                 "orientation, transgender identity (separated by ;)")
    for column in ("actual_religion", "perceived_religion"):
        yield column, _RELIGION_BY_WORD.get(row[column].lower()), f"is not one of {', '.join(RELIGIONS)}, or blank"
    for column in ("religion_involved", "repeat_victim"):
        yield column, YES_NO.get(row[column].lower()), "is not Y or N"
    code = row["neighbourhood"]
    yield "neighbourhood", hoods.get(code) if code else "", "is not the code of one of the force's neighbourhoods"


def parse_hate_crime(path: Path, *, mapping: dict[str, str] | None = None, name: str | None = None):
    """{crime reference: values}, sha256; or EqualityImportRefused naming every bad cell."""
    name = name or path.name
    header, rows, sha = read_csv(path, name)
    if mapping:
        header = [mapping.get(h, h) for h in header]
        rows = [{mapping.get(k, k): v for k, v in row.items()} for row in rows]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise EqualityImportRefused([ImportError_(name, 1, c, "", "is missing (or give a --mapping to it)")
                                     for c in missing])
    hoods = {h.code: h for h in Neighbourhood.objects.all()}
    log, records, seen = ProblemLog(name), {}, set()
    for line, row in enumerate(rows, start=2):
        ref = row["crime_reference"]
        values = {}
        for column, value, expected in _checks(row, hoods):
            if value is None:
                log.add(line, column, row[column], expected)
            values[column] = value
        if not ref:
            log.add(line, "crime_reference", ref, "is empty: every crime needs its reference")
        elif ref in seen:
            log.add(line, "crime_reference", ref, "appears twice in the file")
        seen.add(ref)
        if ref and None not in values.values():
            records[ref] = {
                "recorded_on": values["recorded_date"], "neighbourhood": values["neighbourhood"] or None,
                **{s: s in values["strands"] for s in STRANDS}, "actual_religion": values["actual_religion"],
                "perceived_religion": values["perceived_religion"], "religion_involved": values["religion_involved"],
                "outcome": row["outcome"][:120], "repeat_victim": values["repeat_victim"]}
    refuse_if(log)
    return records, sha


@transaction.atomic
def hate_crime_import(*, paths: list[Path], mapping: dict[str, str] | None = None, user=None,
                      who_name: str = "") -> list[EqualityImport]:
    """All files or none; a crime already stored is updated when its values changed."""
    parsed, problems = [], []
    for path in paths:
        try:
            parsed.append((path, *parse_hate_crime(path, mapping=mapping)))
        except EqualityImportRefused as refused:
            problems.extend(refused.problems)
    if problems:
        raise EqualityImportRefused(problems)
    return [_store(path, records, sha, user, who_name) for path, records, sha in parsed]


def _store(path, records, sha, user, who_name) -> EqualityImport:
    """New crimes added, changed ones updated; a crime already pseudonymised (past its retention) is found by
    its keyed hash and left as it is: its reference is not stored again and no second record is added.
    (A new crime already past its retention is pseudonymised by the next `citizenfocus purge`.)"""
    from .hate_crime_retention import pseudonym

    hashed = {ref: pseudonym(ref) for ref in records}
    kept = set(HateCrime.objects.filter(crime_ref__in=list(hashed.values())).values_list("crime_ref", flat=True))
    past = [ref for ref in records if hashed[ref] in kept]
    records = {ref: values for ref, values in records.items() if hashed[ref] not in kept}
    stored = {c.crime_ref: c for c in HateCrime.objects.filter(crime_ref__in=list(records))}
    fields = list(next(iter(records.values()), {}))
    changed = [ref for ref, values in records.items() if ref in stored and any(
        getattr(stored[ref], f) != v for f, v in values.items())]
    batch = record_import(kind=EqualityImport.Kind.HATE_CRIME, name=path.name, sha256=sha,
                          rows=len(records) + len(past), user=user, who_name=who_name,
                          added=len(records) - len(stored), changed=len(changed),
                          unchanged=len(stored) - len(changed) + len(past))
    HateCrime.objects.bulk_create([HateCrime(crime_ref=ref, batch=batch, **values)
                                   for ref, values in records.items() if ref not in stored])
    for ref in changed:
        for field, value in records[ref].items():
            setattr(stored[ref], field, value)
        stored[ref].batch = batch
        stored[ref].save(update_fields=[*fields, "batch"])
    return batch


@transaction.atomic
def recorded_crime_set(*, year: str, total: int, who_name: str):
    """All recorded crime in a financial year (a new row: the history of corrections is kept)."""
    from .models import RecordedCrimeTotal

    if not re.fullmatch(r"\d{4}/\d{2}", year) or int(year[5:]) != (int(year[:4]) + 1) % 100:
        raise ValueError(f"{year!r} is not a financial year such as 2013/14")
    if total < 1:
        raise ValueError("the total recorded crime must be a positive count")
    return RecordedCrimeTotal.objects.create(year=year, total=total, who_name=who_name)
