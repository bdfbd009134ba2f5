"""Writes and reads for IAGs and scrutiny panels; findings become recommendations through the plans' services."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db import transaction

from citizenfocus.plans.models import Plan, Recommendation
from citizenfocus.plans.services import plan_create, recommendation_create
from citizenfocus.stats.representation import representation

from .panels import ETHNIC_GROUPS, Panel, PanelMeeting, PanelMember


@transaction.atomic
def panel_create(*, user, name: str, kind: str, division=None) -> Panel:
    return Panel.objects.create(name=name.strip(), kind=kind, division=division)


@transaction.atomic
def panel_member_add(*, panel: Panel, user, role: str, ethnic_group: str = "",
                     joined_on: dt.date | None = None) -> PanelMember:
    return PanelMember.objects.create(panel=panel, role=role.strip(), ethnic_group=ethnic_group,
                                      joined_on=joined_on or dt.date.today())


@transaction.atomic
def panel_meeting_record(*, panel: Panel, user, held_on: dt.date, attended=(), advice: str = "") -> PanelMeeting:
    meeting = PanelMeeting.objects.create(panel=panel, held_on=held_on, advice=advice, recorded_by=user)
    meeting.attended.set([m for m in attended if m.panel_id == panel.pk])
    return meeting


@transaction.atomic
def panel_response_record(*, meeting: PanelMeeting, user, force_response: str, responded_on: dt.date) -> None:
    meeting.force_response, meeting.responded_on = force_response, responded_on
    meeting.save(update_fields=["force_response", "responded_on"])


@transaction.atomic
def panel_finding_recommend(*, panel: Panel, user, text: str) -> Recommendation:
    """A panel finding as a recommendation in the panel's plan (created with the first), for the force to answer."""
    if panel.plan is None:
        panel.plan = plan_create(title=f"Recommendations of the {panel.name}", user=user,
                                 source=Plan.Source.SCRUTINY_PANEL, owning_body=panel.name)
        panel.save(update_fields=["plan"])
    return recommendation_create(plan=panel.plan, user=user, text=text)


def panel_makeup(panel: Panel, population: dict[str, float] | None) -> dict:
    """Current members' self-declared make-up against the area's population shares (a plain dict keyed by the
    ethnic group labels; None when no census profile is loaded: the shares are shown and nothing compared)."""
    current = PanelMember.objects.filter(panel=panel, left_on__isnull=True)
    labels = dict(ETHNIC_GROUPS)
    counts = Counter(labels[m.ethnic_group] for m in current if m.ethnic_group)
    declared = {label: counts.get(label, 0) for label in labels.values()}
    return representation(declared, population, not_declared=sum(1 for m in current if not m.ethnic_group))
