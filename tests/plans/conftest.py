"""Shared fixtures for the plan tests: media in a temporary folder, the realistic plan imported."""

import datetime as dt

import pytest
from django.utils import timezone

from citizenfocus.demo import action_plan as bme_plan


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def plan_docx(tmp_path):
    path = tmp_path / "bme-action-plan.docx"
    bme_plan.build(path)
    return path


@pytest.fixture
def imported(plan_docx, users):
    """The BME satisfaction-gap plan, imported from its Word table by the analyst."""
    from citizenfocus.plans import services

    preview = services.plan_import_preview(path=plan_docx, user=users["analyst"])
    return services.plan_import(plan_import=preview, user=users["analyst"])


@pytest.fixture
def live(imported):
    """The imported plan run from today: no reporting date, so its RAG is as at today."""
    from citizenfocus.plans.models import Plan

    Plan.objects.filter(pk=imported.pk).update(reporting_date=None)
    imported.refresh_from_db()
    return imported


@pytest.fixture
def owned(live, users):
    """Action 1.1.B of the live plan managed by the action owner, due in ten days; 2.1.B by nobody with an
    account."""
    from citizenfocus.plans.models import Action

    action = Action.objects.get(ref="1.1.B")
    Action.objects.filter(pk=action.pk).update(manager=users["action_owner"],
                                               target_date=timezone.localdate() + dt.timedelta(days=10))
    action.refresh_from_db()
    return action


def action(ref: str):
    from citizenfocus.plans.models import Action

    return Action.objects.get(ref=ref, archived=False)


@pytest.fixture
def one_action(users):
    """A small plan built through the services: recommendation 1, response 1.1 and action 1.1.A, managed by the
    action owner."""
    from citizenfocus.plans import services

    analyst = users["analyst"]
    plan = services.plan_create(title="Victim care", user=analyst)
    rec = services.recommendation_create(plan=plan, user=analyst, text="Keep victims informed.")
    response = services.response_create(recommendation=rec, user=analyst, text="Call every victim back.")
    return services.action_create(response=response, user=analyst, description="Ring back within 48 hours.",
                                  manager=users["action_owner"], target_date=timezone.localdate() + dt.timedelta(30))
