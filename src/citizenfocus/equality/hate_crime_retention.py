"""Hate crime records kept no longer than needed (docs/personal-data.md, "Hate crime records").

A record holds a crime reference (it leads back to the victim in the crime system) and may hold the victim's
religion: special category data (UK GDPR article 9; Data Protection Act 2018 part 3 for law enforcement).
Past its retention — by default 6 years after the crime was recorded — `citizenfocus purge` pseudonymises it:

- the crime reference becomes a keyed hash of itself (HMAC-SHA256 with the pseudonym key), so a later
  import of the same crime finds the record it already is and neither stores the reference again nor
  adds a second record;
- the victim's actual religion is removed: it is only ever counted, in the "victim's own religion" table,
  and a board compares the latest two financial years, long inside the retention;
- the religion the offender perceived stays, with the strands, outcome, repeat marker and neighbourhood:
  they define the crime and make the board's tables, and without the reference and the day they point to
  no one;
- the date is kept to its month (the first of the month): the monthly chart and the financial years
  need no more.

Each run is recorded (HateCrimePurge: who, when, cut-off, retention, how many); a dry run changes and
records nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from .models import HateCrime, HateCrimePurge

DEFAULT_YEARS = 6
PREFIX = "HC-"  # a pseudonymised reference; the crime system's references never start so


def retention_years() -> int:
    """Years after the crime date that a record keeps its reference: CITIZENFOCUS_HATE_CRIME_RETENTION_YEARS
    (or the setting HATE_CRIME_RETENTION_YEARS), 6 by default."""
    value = getattr(settings, "HATE_CRIME_RETENTION_YEARS", None) or os.environ.get(
        "CITIZENFOCUS_HATE_CRIME_RETENTION_YEARS") or DEFAULT_YEARS
    try:
        years = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"hate crime retention {value!r} is not a whole number of years") from None
    if years < 1:
        raise ValueError(f"hate crime retention {years} must be at least one year")
    return years


def _key() -> bytes:
    """The pseudonym key: CITIZENFOCUS_PSEUDONYM_KEY (or the setting PSEUDONYM_KEY), else derived from
    SECRET_KEY. Set its own key in production: a changed key no longer recognises pseudonymised crimes."""
    key = getattr(settings, "PSEUDONYM_KEY", None) or os.environ.get("CITIZENFOCUS_PSEUDONYM_KEY")
    if key:
        return key.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"citizenfocus hate crime pseudonym", hashlib.sha256).digest()


def pseudonym(crime_ref: str) -> str:
    """The crime reference as its keyed hash: the same reference always gives the same pseudonym."""
    return PREFIX + hmac.new(_key(), crime_ref.encode(), hashlib.sha256).hexdigest()[:32]


def cutoff(today: dt.date, years: int) -> dt.date:
    """The day `years` years before today (28 February for a 29 February)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def minimised(values: dict, on: dt.date) -> dict:
    """A record's values once past retention (the reference is replaced separately)."""
    return {**values, "actual_religion": "", "recorded_on": values["recorded_on"].replace(day=1),
            "pseudonymised_on": on}


@dataclass(frozen=True)
class HateCrimePurgeResult:
    pseudonymised: int
    cutoff: dt.date
    years: int


@transaction.atomic
def hate_crime_purge(*, today: dt.date, who_name: str, user=None, dry_run: bool = False,
                     years: int | None = None) -> HateCrimePurgeResult:
    """Pseudonymise every record recorded before the cut-off that still has its reference."""
    years = years or retention_years()
    before = cutoff(today, years)
    due = HateCrime.objects.filter(recorded_on__lt=before, pseudonymised_on=None)
    result = HateCrimePurgeResult(due.count(), before, years)
    if dry_run:
        return result
    for crime in due.select_for_update():
        values = minimised({"recorded_on": crime.recorded_on}, today)
        crime.crime_ref = pseudonym(crime.crime_ref)
        for field, value in values.items():
            setattr(crime, field, value)
        crime.save(update_fields=["crime_ref", *values])
    HateCrimePurge.objects.create(cutoff=before, years=years, count=result.pseudonymised, who=user,
                                  who_name=who_name)
    return result
