"""Community impact assessments signed off by the neighbourhood's inspector; equality impact assessments."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from citizenfocus.communities import assessing
from citizenfocus.communities.assessments import CHARACTERISTICS, EqualityPolicy, ImpactAssessment
from citizenfocus.communities.services import tension_submit
from citizenfocus.plans.models import Action


@pytest.fixture
def cia(users, team):
    return assessing.cia_create(user=users["supervisor"], neighbourhood=team, operation="Operation Lantern: warrants",
                                planned_on=dt.date(2026, 12, 10), communities_affected="Residents of the estate",
                                sensitivities="A vigil planned the same week", engagement_before="Met faith leaders")


def test_the_neighbourhoods_inspector_signs_off_once_with_the_tension_returns_beside_it(client, users, team, cia):
    tension_submit(week=dt.date(2026, 11, 16), division=team.division, neighbourhood=team, level=2,
                   reliability="reliable", user=users["inspector"], factors="Rumours before the warrants")
    tension_submit(week=dt.date(2026, 10, 5), division=team.division, neighbourhood=team, level=1,
                   reliability="reliable", user=users["inspector"])  # more than four weeks before: not shown
    client.force_login(users["inspector"])
    page = client.get(reverse("communities:cia", args=[cia.pk]), {"format": "json"}).json()
    assert [r["factors"] for r in page["tables"]["tension"]["rows"]] == ["Rumours before the warrants"]
    assert "Sign off the assessment" in client.get(reverse("communities:cia", args=[cia.pk])).content.decode()
    response = client.post(reverse("communities:cia_sign_off", args=[cia.pk]),
                           {"note": "Proportionate", "engagement_after": "Debrief with the panel"})
    assert response.status_code == 302
    cia.refresh_from_db()
    assert (cia.signed_off_by, cia.review_note, cia.engagement_after) == (users["inspector"], "Proportionate",
                                                                          "Debrief with the panel")
    with pytest.raises(ValidationError, match="already signed off by inspector-user"):
        assessing.cia_sign_off(cia=cia, user=users["inspector"])


def test_nobody_else_signs_off_not_even_the_supervisor_or_another_inspector(client, users, cia, make_user, hoods):
    with pytest.raises(PermissionDenied):
        assessing.cia_sign_off(cia=cia, user=users["supervisor"])
    other = make_user("inspector", "other-inspector")
    other.profile.neighbourhood = hoods["lowford"]
    other.profile.save()
    client.force_login(other)
    assert client.post(reverse("communities:cia_sign_off", args=[cia.pk])).status_code == 403
    assert ImpactAssessment.objects.get(pk=cia.pk).signed_off_at is None


def test_a_cia_is_recorded_from_its_form_and_a_missing_field_is_named(client, users, team):
    client.force_login(users["inspector"])
    data = {"operation": "Op Harbour", "neighbourhood": team.pk, "planned_on": "2026-12-20",
            "communities_affected": ""}
    response = client.post(reverse("communities:cia_new"), data)
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    response = client.post(reverse("communities:cia_new"), {**data, "communities_affected": "Market traders"})
    assert response.status_code == 302
    assert ImpactAssessment.objects.get().created_by_name == "inspector-user"


@pytest.fixture
def policy(users):
    return assessing.policy_register(user=users["analyst"], title="Stop and search", kind="policy",
                                     owner="Operations", next_review_due=dt.date(2027, 1, 15))


def _all(impact="neutral"):
    return {key: (impact, "") for key, _ in CHARACTERISTICS}


def test_screening_must_cover_every_protected_characteristic(users, policy):
    partial = _all()
    del partial["race"]
    with pytest.raises(ValidationError, match="missing: Race"):
        assessing.policy_screen(policy=policy, user=users["analyst"], impacts=partial)
    assessing.policy_screen(policy=policy, user=users["analyst"], impacts={**_all(), "race": ("negative", "disparity")})
    assert assessing.needs_full_assessment(policy)
    assessing.policy_screen(policy=policy, user=users["analyst"], impacts=_all())
    assert not assessing.needs_full_assessment(policy)  # the later screening supersedes


def test_the_due_list_names_reviews_within_sixty_days_and_a_review_moves_the_next_a_year_on(client, users, policy):
    assessing.policy_register(user=users["analyst"], title="Hate crime", kind="function", owner="Safeguarding",
                              next_review_due=dt.date(2027, 9, 1))
    due = [p.title for p in assessing.due_for_review(dt.date(2026, 12, 1))]
    assert due == ["Stop and search"]
    assessing.policy_review(policy=policy, user=users["analyst"], reviewed_on=dt.date(2026, 12, 3),
                            outcome="Disparity reduced; keep monitoring")
    assert EqualityPolicy.objects.get(pk=policy.pk).next_review_due == dt.date(2027, 12, 3)
    assert not assessing.due_for_review(dt.date(2026, 12, 1)).exists()


def test_the_equality_pages_list_what_is_due_and_actions_go_to_a_plan(client, users, policy):
    client.force_login(users["analyst"])
    page = client.get(reverse("communities:equality"), {"format": "json"}).json()
    assert [r["title"] for r in page["tables"]["register"]["rows"]] == ["Stop and search"]
    data = {f"{key}_impact": "neutral" for key, _ in CHARACTERISTICS} | {"race_impact": "unknown"}
    assert client.post(reverse("communities:policy_screen", args=[policy.pk]), data).status_code == 302
    client.post(reverse("communities:policy_action_add", args=[policy.pk]),
                {"description": "Publish stop and search data by ethnicity monthly"})
    detail = client.get(reverse("communities:policy", args=[policy.pk]), {"format": "json"}).json()
    race = next(r for r in detail["tables"]["screening"]["rows"] if r["characteristic"] == "Race")
    assert race["impact"] == "Not known: full assessment needed"
    assert "full assessment needed" in detail["headline"][0]
    action = Action.objects.get()
    assert action.response.recommendation.plan.title == "Equality impact assessment: Stop and search"
    assert detail["tables"]["actions"]["rows"][0]["description"] == "Publish stop and search data by ethnicity monthly"


def test_a_duplicate_policy_is_refused(users, policy):
    with pytest.raises(ValidationError, match="already in the register"):
        assessing.policy_register(user=users["analyst"], title="stop and search", kind="policy", owner="x",
                                  next_review_due=dt.date(2027, 1, 1))
