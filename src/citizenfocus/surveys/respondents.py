"""One respondent's data: everything stored about them (subject access), and their erasure.

Erasure deletes the stored response (every figure that counted it changes by one
response) and keeps an Erasure row: the survey, the response id, who, when and why —
the id only so that the database can refuse to store that respondent again when an old
file is re-imported (migration 0002's trigger withholds the row and counts it on the
batch). Refused files' problems that quote the id lose every value of that row.
"""

from __future__ import annotations

from django.db import transaction

from citizenfocus.engine.stored import refresh_changed
from citizenfocus.engine.sums import month_number

from .models import Erasure, ImportBatch, Response, ResponseAccess, Survey
from .personal import without_values


class RespondentError(ValueError):
    """The respondent cannot be erased as asked; the message says why."""


def _response_dict(r: Response) -> dict:
    row = {
        "response_id": r.response_id,
        "interview_date": r.interview_date.isoformat(),
        "incident_date": r.incident_date.isoformat() if r.incident_date else None,
        "crime_type": r.crime_type,
        "division": r.division.name,
        "neighbourhood": r.neighbourhood.name if r.neighbourhood else None,
        "ward": r.ward.name if r.ward else None,
        "ethnicity": r.ethnicity,
        "age_band": r.age_band,
        "sex": r.sex,
        "disability": r.disability,
        "answers": r.codes(),
        "weight": r.weight,
        "recontact_consent": r.recontact_consent,
        "comment": r.comment,
    }
    row["stored_by_import"] = {
        "batch": r.batch_id, "file_name": r.batch.file_name, "imported_by": r.batch.imported_by_name,
        "at": r.batch.started_at.isoformat(timespec="seconds"),
    }
    return row


def _refused_mentions(survey: Survey, response_id: str) -> list[tuple[ImportBatch, set[int]]]:
    """Refused batches whose problems quote the id, with the rows where they do."""
    found = []
    for batch in ImportBatch.objects.filter(survey=survey, status=ImportBatch.Status.REFUSED).exclude(errors=[]):
        rows = {p.get("row") for p in batch.errors if str(p.get("value", "")) == response_id and p.get("row")}
        if rows:
            found.append((batch, rows))
    return found


def respondent_record(*, survey: Survey, response_id: str) -> dict:
    """Everything stored about one respondent, as plain data (the subject access answer)."""
    response = (Response.objects.select_related("division", "neighbourhood", "ward", "batch")
                .filter(survey=survey, response_id=response_id).first())
    erasure = Erasure.objects.filter(survey=survey, response_id=response_id).first()
    refused = [{"batch": b.pk, "file_name": b.file_name, "at": b.started_at.isoformat(timespec="seconds"),
                "problems": [p for p in b.errors if p.get("row") in rows]}
               for b, rows in _refused_mentions(survey, response_id)]
    lookups = [{"at": a.at.isoformat(timespec="seconds"), "who": a.who_name, "kind": a.kind, "filters": a.filters}
               for a in ResponseAccess.objects.filter(filters__q__isnull=False).order_by("at")
               if a.filters.get("q") and str(a.filters["q"]).lower() in response_id.lower()]
    return {
        "survey": survey.key,
        "response_id": response_id,
        "response": _response_dict(response) if response else None,
        "refused_imports": refused,
        "looked_up_by_id": lookups,
        "erasure": None if erasure is None else {
            "at": erasure.at.isoformat(timespec="seconds"), "by": erasure.who_name, "reason": erasure.reason,
            "response_deleted": erasure.deleted},
        "retention": {"months": survey.definition.retention_months,
                      "note": "responses past retention are anonymised: they no longer carry the response id"},
    }


@transaction.atomic
def respondent_erase(*, survey: Survey, response_id: str, reason: str, user=None, who_name: str = "",
                     not_stored_ok: bool = False) -> Erasure:
    """Delete the respondent's stored response, scrub refused files that quote them, and record the erasure."""
    if not reason.strip():
        raise RespondentError("give the reason for the erasure (for example the request's reference)")
    earlier = Erasure.objects.filter(survey=survey, response_id=response_id).first()
    if earlier is not None:
        raise RespondentError(f"{survey.key} response {response_id} was already erased on "
                              f"{earlier.at:%d %b %Y} by {earlier.who_name}")
    stored = Response.objects.filter(survey=survey, response_id=response_id)
    months = {month_number(d) for d in stored.dates("interview_date", "month")}
    deleted, _ = stored.delete()
    if deleted:
        refresh_changed(survey, months=months)  # the dashboard's persisted sums, in this transaction
    if not deleted and not not_stored_ok:
        raise RespondentError(f"no stored {survey.key} response has the id {response_id!r} (responses past "
                              "retention are anonymised and carry no id); nothing was erased. To record the "
                              "erasure anyway, so that no later import stores them, repeat with --not-stored-ok")
    mentions = _refused_mentions(survey, response_id)
    for batch, rows in mentions:
        batch.errors = [without_values([p])[0] if p.get("row") in rows else p for p in batch.errors]
        batch.save(update_fields=["errors"])
    return Erasure.objects.create(
        survey=survey, response_id=response_id, reason=reason.strip()[:300], deleted=bool(deleted),
        batches_scrubbed=len(mentions), who=user if getattr(user, "is_authenticated", False) else None,
        who_name=(who_name or (user.get_username() if user else ""))[:150] or "command line",
    )
