"""The call-back list: victims the survey says we failed, who agreed to be contacted again.

`dissatisfied_responses` is the one place that knows how survey answers are stored: each
response's codes as given, packed in its row at each question's slot (surveys/packing.py). Dissatisfied means fairly, very or completely
dissatisfied (codes 5-7 of the survey's 7-point scale), not "neither": the SPI's "not satisfied"
counts neither as well, but a call-back is for victims who said we failed them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from citizenfocus.surveys.definition import MIGRATED_NEGATIVE, get_definition
from citizenfocus.surveys.models import Response, Survey, SurveyItem, code_of
from citizenfocus.surveys.packing import code_text

from .callback_models import CallBack, CallBackChange, CallBackReason

SERVICE_MEASURES = ("ease_of_contact", "actions_taken", "kept_informed", "treatment", "whole_experience")
# Fairly, very, completely dissatisfied; and an answer migrated from the previous version as "not
# satisfied", whose code was not kept (it may have been "neither": listed rather than missed).
DISSATISFIED = frozenset({5, 6, 7, MIGRATED_NEGATIVE})


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
    definition = get_definition(survey)
    negative = {m: definition.measure(m).outcome_codes()[1] & DISSATISFIED for m in SERVICE_MEASURES}
    survey_id = Survey.objects.filter(key=survey).values_list("pk", flat=True).first()
    any_negative, given_codes = Q(pk__in=[]), {}
    slots = SurveyItem.slots(survey_id) if survey_id is not None else {}
    for measure, codes in negative.items():
        item = definition.measure(measure).item_key
        if survey_id is not None and (code := code_of(survey_id, item, slots)) is not None:
            given_codes[f"given_{item}"] = code
            any_negative |= Q(**{f"given_{item}__in": sorted(code_text(c) for c in codes)})
    rows = Response.objects.annotate(**given_codes).filter(any_negative, survey__key=survey,
                                                          anonymised_on__isnull=True)
    if consented_only:
        rows = rows.filter(recontact_consent=True)
    if division:
        rows = rows.filter(division_id=division)
    if crime_type:
        rows = rows.filter(crime_type=crime_type)
    if ethnic_group:
        grouping = definition.grouping
        codes = {"white": grouping.white, "bme": grouping.bme}.get(ethnic_group, grouping.not_stated)
        rows = rows.filter(ethnicity__in=sorted(codes))
    rows = rows.select_related("division").order_by("-interview_date", "pk")
    found = []
    for r in rows:
        given = r.codes(slots)
        failed = tuple(m for m in SERVICE_MEASURES if given.get(definition.measure(m).item_key) in negative[m])
        found.append(Dissatisfied(r, failed, r.recontact_consent, r.comment))
    return found


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
