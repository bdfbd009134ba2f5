"""The scrutiny panel's work: draw a reproducible sample of searches, record a finding on each, and turn a
finding into a recommendation in an action plan (the plans app's own service)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from citizenfocus.stats.sampling import stratified_sample

from .models import SECTION_60, PanelFinding, PanelReview, PanelSearch, StopSearch

NO_FURTHER_ACTION = "A no further action disposal"
DEFAULT_OVERSAMPLE = {"section 60": 3.0, "no further action": 2.0}


def stratum_of(search: StopSearch) -> str:
    if SECTION_60 in search.legislation.lower():
        return "section 60"
    return "no further action" if search.outcome == NO_FURTHER_ACTION else "other"


@transaction.atomic
def panel_review_create(*, title: str, first_month: dt.date, last_month: dt.date, size: int, seed: int, user,
                        oversample: dict[str, float] | None = None) -> PanelReview:
    """Draw the sample and record it with its design: the same months, size and seed draw the same searches."""
    if first_month > last_month:
        raise ValueError("the first month is after the last")
    if size < 1:
        raise ValueError("the sample needs at least one search")
    oversample = DEFAULT_OVERSAMPLE if oversample is None else oversample
    searches = list(StopSearch.objects.filter(month__gte=first_month, month__lte=last_month).only(
        "key", "legislation", "outcome"))
    if not searches:
        raise ValueError(f"no searches stored from {first_month:%b %Y} to {last_month:%b %Y}")
    by_key = {s.key: s for s in searches}
    drawn = stratified_sample(list(by_key), [stratum_of(s) for s in by_key.values()], n=size, seed=seed,
                              oversample=oversample)
    review = PanelReview.objects.create(title=title, first_month=first_month, last_month=last_month, size=size,
                                        seed=seed, oversample=oversample, created_by=user,
                                        created_by_name=user.get_username())
    PanelSearch.objects.bulk_create([
        PanelSearch(review=review, search=by_key[d.key], stratum=d.stratum, probability=d.probability, position=i)
        for i, d in enumerate(drawn, start=1)])
    return review


@transaction.atomic
def panel_finding_record(*, sample: PanelSearch, user, grounds_recorded: str, grounds_reasonable: str,
                         video_reviewed: bool, feedback_to_officer: bool, notes: str = "") -> PanelFinding:
    """A finding on one sampled search; a second one amends it, and both are kept."""
    return PanelFinding.objects.create(
        search=sample, grounds_recorded=grounds_recorded, grounds_reasonable=grounds_reasonable,
        video_reviewed=video_reviewed, feedback_to_officer=feedback_to_officer, notes=notes, who=user,
        who_name=user.get_username())


@transaction.atomic
def panel_finding_recommend(*, finding: PanelFinding, plan, user, text: str) -> PanelFinding:
    """The finding becomes a recommendation in the plan (plans' recommendation_create, audited there),
    recorded as a new finding row that points at it."""
    from citizenfocus.plans.services import recommendation_create

    recommendation = recommendation_create(plan=plan, user=user, text=text)
    return PanelFinding.objects.create(
        search=finding.search, grounds_recorded=finding.grounds_recorded,
        grounds_reasonable=finding.grounds_reasonable, video_reviewed=finding.video_reviewed,
        feedback_to_officer=finding.feedback_to_officer, notes=finding.notes, recommendation=recommendation,
        who=user, who_name=user.get_username())
