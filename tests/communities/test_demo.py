"""The demo's engagement records show what each page is for, and loading them twice changes nothing."""

import datetime as dt

from citizenfocus.communities.assessing import due_for_review
from citizenfocus.communities.assessments import ImpactAssessment
from citizenfocus.communities.models import KinMember, LocalPriority
from citizenfocus.communities.panels import Panel
from citizenfocus.communities.selectors import priority_lights
from citizenfocus.communities.tension import latest_week, weekly_summary
from citizenfocus.demo.communities_demo import demo_communities_load
from citizenfocus.public.models import Release


def test_the_demo_loads_a_teams_network_lights_a_rise_a_signed_off_cia_a_due_eia_and_a_release(users, small_force):
    args = {"analyst": users["analyst"], "inspector": users["inspector"], "supervisor": users["supervisor"]}
    assert demo_communities_load(**args) is True
    hood = users["inspector"].profile.__class__.objects.get(user=users["inspector"]).neighbourhood
    assert KinMember.objects.filter(neighbourhood=hood).count() == 12
    assert KinMember.objects.asking_to_leave().count() == 1
    lights = {r["priority"]: r["light"] for r in priority_lights(neighbourhood=hood, month=dt.date(2014, 3, 1))}
    assert sorted(lights.values()) == ["amber", "green", "red"]
    summary = weekly_summary(latest_week())
    assert summary["force_level"] == 3 and summary["rises"] >= 1
    assert ImpactAssessment.objects.get().signed_off_by == users["inspector"]
    assert [p.title for p in due_for_review()] == ["Stop and search"]
    assert Release.objects.count() == 1
    panel = Panel.objects.get()
    assert panel.meetings.get().force_response and panel.plan.recommendations.count() == 1
    counts = (KinMember.objects.count(), LocalPriority.objects.count(), Release.objects.count())
    assert demo_communities_load(**args) is False
    assert (KinMember.objects.count(), LocalPriority.objects.count(), Release.objects.count()) == counts
