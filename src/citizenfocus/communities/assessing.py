"""Writes to impact assessments: community impact assessments of operations, equality impact assessments."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from citizenfocus.accounts.models import Profile, Role, role_of
from citizenfocus.plans.models import Action, Plan
from citizenfocus.plans.services import action_create
from citizenfocus.plans.services.audit import name_of

from .assessments import (
    CHARACTERISTICS,
    EqualityPolicy,
    ImpactAssessment,
    MonitoringReview,
    Screening,
)
from .problem_solving import first_response, plan_with_response

DUE_WITHIN_DAYS = 60  # a review due within this many days is on the due list


@transaction.atomic
def cia_create(*, user, neighbourhood, operation: str, planned_on: dt.date, communities_affected: str,
               sensitivities: str = "", engagement_before: str = "") -> ImpactAssessment:
    return ImpactAssessment.objects.create(
        operation=operation.strip(), neighbourhood=neighbourhood, planned_on=planned_on,
        communities_affected=communities_affected, sensitivities=sensitivities,
        engagement_before=engagement_before, created_by_name=name_of(user))


def is_the_neighbourhoods_inspector(user, neighbourhood) -> bool:
    return role_of(user) == Role.NEIGHBOURHOOD_INSPECTOR and \
        Profile.objects.filter(user=user, neighbourhood=neighbourhood).exists()


@transaction.atomic
def cia_sign_off(*, cia: ImpactAssessment, user, note: str = "", engagement_after: str = "") -> None:
    """The neighbourhood's inspector (by home neighbourhood) reviews and signs off; once, on record."""
    cia = ImpactAssessment.objects.select_for_update().get(pk=cia.pk)
    if not is_the_neighbourhoods_inspector(user, cia.neighbourhood):
        raise PermissionDenied(f"only the inspector of {cia.neighbourhood.name} signs off its assessments")
    if cia.signed_off_at:
        raise ValidationError(f"already signed off by {cia.signed_off_by_name} on {cia.signed_off_at:%d %B %Y}")
    cia.signed_off_by, cia.signed_off_by_name, cia.signed_off_at = user, name_of(user), timezone.now()
    cia.review_note = note
    cia.engagement_after = engagement_after or cia.engagement_after
    cia.save()


@transaction.atomic
def policy_register(*, user, title: str, kind: str, owner: str, next_review_due: dt.date) -> EqualityPolicy:
    if EqualityPolicy.objects.filter(title__iexact=title.strip()).exists():
        raise ValidationError(f"{title.strip()!r} is already in the register")
    return EqualityPolicy.objects.create(title=title.strip(), kind=kind, owner=owner.strip(),
                                         next_review_due=next_review_due)


@transaction.atomic
def policy_screen(*, policy: EqualityPolicy, user, impacts: dict[str, tuple[str, str]]) -> list[Screening]:
    """Screen the policy against every protected characteristic: {characteristic: (impact, evidence)}."""
    missing = [label for key, label in CHARACTERISTICS if key not in impacts]
    if missing:
        raise ValidationError(f"the screening must cover every protected characteristic; missing: {', '.join(missing)}")
    valid = set(Screening.Impact.values)
    for key, (impact, _) in impacts.items():
        if impact not in valid:
            raise ValidationError(f"{key}: impact {impact!r} is not one of {', '.join(sorted(valid))}")
    return [Screening.objects.create(policy=policy, characteristic=key, impact=impacts[key][0],
                                     evidence=impacts[key][1], by_name=name_of(user)) for key, _ in CHARACTERISTICS]


def current_screening(policy: EqualityPolicy) -> dict[str, Screening]:
    """The latest screening line for each characteristic."""
    latest: dict[str, Screening] = {}
    for line in policy.screenings.all():  # newest first (Meta.ordering)
        latest.setdefault(line.characteristic, line)
    return latest


def needs_full_assessment(policy: EqualityPolicy) -> bool:
    return any(s.impact in (Screening.Impact.NEGATIVE, Screening.Impact.UNKNOWN)
               for s in current_screening(policy).values())


@transaction.atomic
def policy_review(*, policy: EqualityPolicy, user, reviewed_on: dt.date, outcome: str) -> MonitoringReview:
    """Record the annual monitoring review; the next is due a year later."""
    review = MonitoringReview.objects.create(policy=policy, reviewed_on=reviewed_on, outcome=outcome,
                                             by_name=name_of(user))
    policy.next_review_due = reviewed_on.replace(year=reviewed_on.year + 1) if not (
        reviewed_on.month == 2 and reviewed_on.day == 29) else dt.date(reviewed_on.year + 1, 3, 1)
    policy.save(update_fields=["next_review_due"])
    return review


@transaction.atomic
def policy_action_add(*, policy: EqualityPolicy, user, description: str, target_date: dt.date | None = None,
                      manager_name: str = "") -> Action:
    """An action arising from the assessment, in the policy's plan (created with the first action)."""
    if policy.plan is None:
        policy.plan = plan_with_response(
            user=user, title=f"Equality impact assessment: {policy.title}", source=Plan.Source.EQUALITY_SCHEME,
            owning_body=policy.owner, recommendation=f"Act on the equality impact assessment of {policy.title}",
            response=policy.assessment or "Actions arising from the assessment")
        policy.save(update_fields=["plan"])
    return action_create(response=first_response(policy.plan), user=user, description=description,
                         target_date=target_date, manager_name=manager_name)


def due_for_review(today: dt.date | None = None):
    today = today or dt.date.today()
    return EqualityPolicy.objects.filter(next_review_due__lte=today + dt.timedelta(days=DUE_WITHIN_DAYS))
