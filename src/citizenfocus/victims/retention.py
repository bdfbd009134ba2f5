"""Retention of named-victim data, run by `citizenfocus purge` with the survey purge."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat

from citizenfocus.stats.periods import month_date, month_number

from .callback_models import CallBack, CallBackChange
from .models import VictimEvent, VictimPurge, VictimRecord, VictimRecordAccess
from .rules import Rules

ANONYMOUS_PREFIX = "ANON-"


@dataclass(frozen=True)
class VictimsPurgeResult:
    cases: int
    access_log: int
    callback_notes: int
    case_cutoff: date
    log_cutoff: date


def _months_before(today: date, months: int) -> date:
    return month_date(month_number(today.year, today.month) - months)


@transaction.atomic
def victims_purge(*, rules: Rules, today: date, who_name: str, dry_run: bool = False) -> VictimsPurgeResult:
    """Anonymise cases closed before the cut-off, delete old access log rows, clear orphaned call-back notes."""
    case_cutoff = _months_before(today, rules.closed_case_months)
    log_cutoff = _months_before(today, rules.access_log_months)
    cases = VictimRecord.objects.filter(closed_on__lt=case_cutoff).exclude(crime_reference__startswith=ANONYMOUS_PREFIX)
    log = VictimRecordAccess.objects.filter(at__date__lt=log_cutoff)
    notes = CallBack.objects.filter(response__anonymised_on__isnull=False).exclude(note="")
    result = VictimsPurgeResult(cases.count(), log.count(), notes.count(), case_cutoff, log_cutoff)
    if dry_run:
        return result
    VictimEvent.objects.filter(record__in=cases).update(detail="")
    # The pk keeps the reference unique; dates, groups and events stay, so every compliance figure stays.
    cases.update(crime_reference=Concat(Value(ANONYMOUS_PREFIX), F("pk")), victim_id="", communication_needs="",
                 row_hash="")
    log.delete()
    CallBackChange.objects.filter(callback__in=notes).update(note="")
    notes.update(note="")
    for kind, count, cutoff in (("cases", result.cases, case_cutoff), ("access_log", result.access_log, log_cutoff),
                                ("callback_notes", result.callback_notes, today)):
        VictimPurge.objects.create(kind=kind, cutoff=cutoff, count=count, who_name=who_name)
    return result
