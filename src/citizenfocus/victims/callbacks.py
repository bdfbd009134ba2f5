"""The call-back list: victims the survey says we failed, who agreed to be contacted again.

`dissatisfied_responses` is the one place that knows how survey answers are stored
(1 satisfied / 0 dissatisfied / NULL not answered, per measure): when answers are kept
as full codes per item, only it changes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from citizenfocus.surveys.definition import get_definition
from citizenfocus.surveys.models import Response

from .callback_models import CallBack, CallBackChange, CallBackReason

SERVICE_MEASURES = ("ease_of_contact", "actions_taken", "kept_informed", "treatment", "whole_experience")


@dataclass(frozen=True)
class Dissatisfied:
    response: Response
    measures: tuple[str, ...]
    consent: bool | None
    comment: str


def dissatisfied_responses(*, survey: str = "uss", division: int | None = None, crime_type: str = "",
                           ethnic_group: str = "", consented_only: bool = True) -> list[Dissatisfied]:
    """Stored responses dissatisfied with any service measure (outcome 0), with which measures, their consent
    to re-contact and their comment; by default only those who consented. Anonymised responses (past
    retention) have lost their consent and never appear."""
    any_negative = Q()
    for measure in SERVICE_MEASURES:
        any_negative |= Q(**{measure: 0})
    rows = Response.objects.filter(any_negative, survey__key=survey, anonymised_on__isnull=True).select_related(
        "division")
    if consented_only:
        rows = rows.filter(recontact_consent=True)
    if division:
        rows = rows.filter(division_id=division)
    if crime_type:
        rows = rows.filter(crime_type=crime_type)
    if ethnic_group:
        grouping = get_definition(survey).grouping
        codes = {"white": grouping.white, "bme": grouping.bme}.get(ethnic_group, grouping.not_stated)
        rows = rows.filter(ethnicity__in=sorted(codes))
    return [Dissatisfied(r, tuple(m for m in SERVICE_MEASURES if getattr(r, m) == 0), r.recontact_consent, r.comment)
            for r in rows.order_by("-interview_date", "pk")]


def _change(callback: CallBack, *, user, note: str = "") -> None:
    CallBackChange.objects.create(
        callback=callback, assigned_to_name=callback.assigned_to.get_username() if callback.assigned_to else "",
        outcome=callback.outcome, reason_code=callback.reason.code if callback.reason else "", note=note,
        who=user, who_name=user.get_username() if user else "command line")


@transaction.atomic
def callbacks_assign(*, responses: list[Response], assigned_to, user) -> int:
    """Put responses on the list for a team leader (or move them to another); each change recorded."""
    count = 0
    for response in responses:
        callback, created = CallBack.objects.get_or_create(response=response, defaults={"assigned_to": assigned_to})
        if not created and callback.assigned_to_id == getattr(assigned_to, "pk", None):
            continue
        callback.assigned_to = assigned_to
        callback.save(update_fields=["assigned_to", "updated_at"])
        _change(callback, user=user, note="assigned")
        count += 1
    return count


@transaction.atomic
def callback_outcome_record(*, callback: CallBack, outcome: str, reason: CallBackReason | None, note: str,
                            user) -> CallBack:
    callback.outcome, callback.reason, callback.note = outcome, reason, note
    callback.save(update_fields=["outcome", "reason", "note", "updated_at"])
    _change(callback, user=user, note=note)
    return callback


def reasons_rollup(callbacks) -> list[dict]:
    """Outcomes counted by reason code, each with the service measure (key driver) it is about."""
    counts = Counter((c.reason.code if c.reason else "", c.reason.label if c.reason else "(no reason given)",
                      c.reason.measure if c.reason else "", c.outcome) for c in callbacks if c.outcome)
    return [{"reason": code, "label": label, "measure": measure, "outcome": outcome, "count": n}
            for (code, label, measure, outcome), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
