"""Every communities URL with every role, on real objects: exactly what the role's capabilities allow."""

import datetime as dt

import pytest
from django.urls import reverse

from citizenfocus.accounts.models import CAPABILITIES
from citizenfocus.communities import urls
from citizenfocus.communities.services import priority_create, tension_submit
from tests.conftest import ROLES

POST_ONLY = {"perception_add", "kin_leave", "priority_action_add", "cia_sign_off", "policy_review",
             "policy_action_add", "panel_member_add", "panel_meeting_add", "panel_finding", "panel_response",
             "kin_add", "we_did_add", "priority_add"}


@pytest.fixture
def objects(users, team, kin):
    priority = priority_create(neighbourhood=team, title="Parking", raised_by="survey", raised_on=dt.date(2026, 9, 1),
                               you_said="Cars on the pavement", user=users["inspector"])
    tension_submit(week=dt.date(2026, 11, 16), division=team.division, neighbourhood=team, level=2,
                   reliability="reliable", user=users["inspector"])
    from citizenfocus.communities import assessing

    cia = assessing.cia_create(user=users["inspector"], neighbourhood=team, operation="Op", planned_on=dt.date(2026, 12, 1),
                               communities_affected="Residents")
    policy = assessing.policy_register(user=users["analyst"], title="Stop and search", kind="policy", owner="Ops",
                                       next_review_due=dt.date(2027, 1, 1))
    from citizenfocus.communities import panel_services

    panel = panel_services.panel_create(user=users["administrator"], name="IAG", kind="iag")
    meeting = panel_services.panel_meeting_record(panel=panel, user=users["inspector"], held_on=dt.date(2026, 11, 1))
    return {"code": team.code, "priority": priority.pk, "member": kin[0].pk, "cia": cia.pk, "policy": policy.pk,
            "panel": panel.pk, "meeting": meeting.pk}


def _urls(objects):
    kwargs = {"priorities": {"code": objects["code"]}, "perception_add": {"code": objects["code"]},
              "kin": {"code": objects["code"]}, "priority": {"pk": objects["priority"]},
              "priority_action_add": {"pk": objects["priority"]},
              "kin_leave": {"pk": objects["member"]}, "cia": {"pk": objects["cia"]},
              "cia_sign_off": {"pk": objects["cia"]}, "policy": {"pk": objects["policy"]},
              "policy_screen": {"pk": objects["policy"]}, "policy_review": {"pk": objects["policy"]},
              "policy_action_add": {"pk": objects["policy"]},
              **{n: {"pk": objects["panel"]} for n in ("panel", "panel_member_add", "panel_meeting_add",
                                                       "panel_finding")},
              "panel_response": {"pk": objects["meeting"]}, "kin_add": {"code": objects["code"]},
              "we_did_add": {"pk": objects["priority"]}, "priority_add": {"code": objects["code"]}}
    for pattern in urls.urlpatterns:
        yield pattern.name, reverse(f"communities:{pattern.name}", kwargs=kwargs.get(pattern.name, {})), \
            pattern.callback.capability


def test_every_role_gets_exactly_what_its_capabilities_allow(client, users, objects):
    for role in ROLES:
        client.force_login(users[role])
        for name, url, capability in _urls(objects):
            allowed = role in CAPABILITIES[capability]
            expected = (405 if name in POST_ONLY else 200) if allowed else 403
            assert client.get(url).status_code == expected, f"{role} GET {name}"
        client.logout()


def test_anonymous_visitors_are_sent_to_log_in(client, objects):
    for name, url, _ in _urls(objects):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), name
        assert client.post(url).status_code == 302, name
