"""Evidence files: readable only by those who may read the plan they belong to, whatever id is tried."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from citizenfocus.plans import services
from citizenfocus.plans.access import can_read_plan
from citizenfocus.plans.models import Evidence, Plan

pytestmark = pytest.mark.django_db


def _plan_with_evidence(users, *, status: str, manager=None) -> Evidence:
    analyst = users["analyst"]
    plan = services.plan_create(title=f"A {status} plan", user=analyst)
    Plan.objects.filter(pk=plan.pk).update(status=status)
    recommendation = services.recommendation_create(plan=plan, user=analyst, text="Keep victims informed.")
    response = services.response_create(recommendation=recommendation, user=analyst, text="We will.")
    action = services.action_create(response=response, user=analyst, description="Call back every victim.",
                                    manager=manager)
    update = services.action_update(action=action, user=analyst, text="Minutes attached.",
                                    files=[SimpleUploadedFile("minutes.txt", b"names of callers")])
    return Evidence.objects.get(update=update)


@pytest.fixture
def draft_evidence(users):
    return _plan_with_evidence(users, status=Plan.Status.DRAFT)


@pytest.fixture
def active_evidence(users):
    return _plan_with_evidence(users, status=Plan.Status.ACTIVE)


def _get(client, user, evidence):
    client.force_login(user)
    return client.get(reverse("plans:evidence", args=[evidence.pk]))


def test_every_reader_of_an_active_plan_may_open_its_evidence(client, users, active_evidence):
    for role in ("administrator", "analyst", "action_owner", "board_member"):
        response = _get(client, users[role], active_evidence)
        assert response.status_code == 200, role
        assert b"".join(response.streaming_content) == b"names of callers"
        assert "no-store" in response["Cache-Control"]


def test_a_draft_plans_evidence_is_not_served_to_those_who_may_not_read_the_draft(client, users, draft_evidence):
    # Before: any role that reads plans got the file by trying ids in turn.
    for role in ("board_member", "action_owner"):
        assert _get(client, users[role], draft_evidence).status_code == 404, role
    assert _get(client, users["no_access"], draft_evidence).status_code == 403
    assert _get(client, users["analyst"], draft_evidence).status_code == 200


def test_the_manager_of_an_action_in_a_draft_plan_may_open_its_evidence(client, users):
    evidence = _plan_with_evidence(users, status=Plan.Status.DRAFT, manager=users["action_owner"])
    assert _get(client, users["action_owner"], evidence).status_code == 200
    assert _get(client, users["board_member"], evidence).status_code == 404


def test_the_rule_is_one_function(users, draft_evidence):
    plan = draft_evidence.update.action.plan
    assert can_read_plan(users["analyst"], plan) and not can_read_plan(users["board_member"], plan)
    assert not can_read_plan(users["no_access"], plan)
