"""`citizenfocus purge`: responses past their survey's retention anonymised; refused files' values minimised.

Anonymise, not delete: the dashboard's figures for every past period are sums over
month × division × neighbourhood × crime type × age band × ethnic group (engine/
cube.py, persisted by engine/stored.py and refreshed here), so an anonymised response keeps exactly those, at that resolution, and the
figures stay what the board was shown. What identifies or describes a victim beyond
them goes: the response id (the survey contractor's reference), free text, consent to
re-contact, the day of the interview and of the incident (the month stays), the ward,
sex and disability. The ethnicity code stays: the white / BME grouping is configurable
and applied when figures are computed.

Each run leaves a PurgeRecord per survey and kind (who, when, cut-off, how many), also
when nothing was due, so that the purge itself is on record. Once a survey has been
purged, the database withholds any row from before the cut-off that an import offers
again (migration 0002's trigger): a re-import of an old file cannot bring the
identifiable rows back, nor count them twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, TruncMonth
from django.utils import timezone

from citizenfocus.engine.stored import refresh_changed
from citizenfocus.engine.sums import month_number

from .models import ImportBatch, PurgeRecord, Response, Survey
from .personal import minimised_problems, without_values

ANONYMOUS_ID_PREFIX = "~anon-"
NOT_STATED = "Not stated"


def months_before(day: dt.date, months: int) -> dt.date:
    """The first day of the month `months` months before `day`'s month."""
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def response_cutoff(survey: Survey, today: dt.date) -> dt.date:
    """Responses interviewed before this day are past the survey's retention."""
    return months_before(today, survey.definition.retention_months)


def refused_cutoff(survey: Survey, today: dt.date) -> dt.date:
    """Refused files refused before this day lose every value their problems quote."""
    return today - dt.timedelta(days=survey.definition.refused_values_days)


@dataclass
class PurgeResult:
    survey: str
    cutoff: dt.date
    anonymised: int
    refused_cutoff: dt.date
    refused_masked: int
    refused_removed: int
    dry_run: bool

    def as_dict(self) -> dict:
        return {"survey": self.survey, "cutoff": self.cutoff.isoformat(), "anonymised": self.anonymised,
                "refused_cutoff": self.refused_cutoff.isoformat(), "refused_masked": self.refused_masked,
                "refused_removed": self.refused_removed, "dry_run": self.dry_run}


def _due(survey: Survey, cutoff: dt.date):
    return Response.objects.filter(survey=survey, interview_date__lt=cutoff, anonymised_on__isnull=True)


def _anonymise(survey: Survey, cutoff: dt.date, today: dt.date) -> int:
    definition = survey.definition
    return _due(survey, cutoff).update(
        response_id=Concat(Value(ANONYMOUS_ID_PREFIX), Cast("pk", CharField())),
        interview_date=TruncMonth("interview_date"),
        incident_date=TruncMonth("incident_date"),
        ward=None,
        sex=NOT_STATED if NOT_STATED in definition.sexes else "",
        disability=NOT_STATED if NOT_STATED in definition.disabilities else "",
        comment="",
        recontact_consent=None,
        row_hash="",
        anonymised_on=today,
    )


def _minimise_refused(survey: Survey, cutoff: dt.date, *, dry_run: bool) -> tuple[int, int]:
    """(batches whose personal values were masked, batches whose every value was removed)."""
    masked = removed = 0
    definition = survey.definition
    batches = ImportBatch.objects.filter(survey=survey, status=ImportBatch.Status.REFUSED,
                                         values_removed_at__isnull=True).exclude(errors=[])
    for batch in batches.select_for_update().only("pk", "errors", "started_at"):
        if timezone.localdate(batch.started_at) < cutoff:
            removed += 1
            batch.errors, batch.values_removed_at = without_values(batch.errors), timezone.now()
            fields = ["errors", "values_removed_at"]
        else:
            minimised = minimised_problems(batch.errors, definition)
            if minimised == batch.errors:
                continue
            masked += 1
            batch.errors, fields = minimised, ["errors"]
        if not dry_run:
            batch.save(update_fields=fields)
    return masked, removed


@transaction.atomic
def survey_purge(*, survey: Survey, user=None, who_name: str = "", today: dt.date | None = None,
                 dry_run: bool = False) -> PurgeResult:
    """Anonymise the survey's responses past retention and minimise its refused files' values.

    dry_run: count what would change, change nothing and record nothing.
    """
    today = today or timezone.localdate()
    cutoff, old_refusals = response_cutoff(survey, today), refused_cutoff(survey, today)
    months = {month_number(d) for d in _due(survey, cutoff).dates("interview_date", "month")}
    anonymised = _due(survey, cutoff).count() if dry_run else _anonymise(survey, cutoff, today)
    if anonymised and not dry_run:
        refresh_changed(survey, months=months)  # the dashboard's persisted sums, in this transaction
    masked, removed = _minimise_refused(survey, old_refusals, dry_run=dry_run)
    if not dry_run:
        who = {"who": user if getattr(user, "is_authenticated", False) else None,
               "who_name": (who_name or (user.get_username() if user else ""))[:150] or "command line"}
        PurgeRecord.objects.bulk_create([
            PurgeRecord(survey=survey, kind=PurgeRecord.Kind.RESPONSES, cutoff=cutoff, count=anonymised, **who),
            PurgeRecord(survey=survey, kind=PurgeRecord.Kind.REFUSED_MASKED, cutoff=today, count=masked, **who),
            PurgeRecord(survey=survey, kind=PurgeRecord.Kind.REFUSED_REMOVED, cutoff=old_refusals, count=removed,
                        **who),
        ])
    return PurgeResult(survey=survey.key, cutoff=cutoff, anonymised=anonymised, refused_cutoff=old_refusals,
                       refused_masked=masked, refused_removed=removed, dry_run=dry_run)
