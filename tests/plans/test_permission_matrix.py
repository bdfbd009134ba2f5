"""Every plan URL with every role, on real objects: exactly the status each role should get."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone

from citizenfocus.accounts.models import CAPABILITIES
from citizenfocus.plans import services
from citizenfocus.plans.models import Action, Evidence
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db

# Views that only answer POST (a GET from an allowed role is 405).
POST_ONLY = {
    "plan_archive", "import_correct", "import_save", "import_cancel", "meeting_create", "meeting_archive", "recommendation_create",
    "recommendation_edit", "recommendation_archive", "response_create", "response_edit", "response_archive",
    "action_create", "action_update", "action_edit", "action_archive", "action_indicator", "action_indicator_clear",
    "risk_register_create", "risk_register_edit", "risk_create", "risk_edit", "risk_review", "risk_archive",
    "mitigation_add", "mitigation_remove",
}


def _patterns():
    resolver = get_resolver()
    for entry in resolver.url_patterns:
        if getattr(entry, "namespace", None) == "plans":
            for pattern in entry.url_patterns:
                if isinstance(pattern, URLPattern):
                    yield pattern


@pytest.fixture
def objects(imported, users, tmp_path):
    """One real object behind every URL, keyed by the kind of pk the URL takes."""
    owner = users["action_owner"]
    action = Action.objects.get(ref="1.1.B")
    Action.objects.filter(pk=action.pk).update(manager=owner)
    action.refresh_from_db()
    update = services.action_update(action=action, user=users["analyst"], text="Evidence attached.",
                                    files=[SimpleUploadedFile("note.txt", b"minutes")])
    meeting = services.meeting_record(plan=imported, user=users["analyst"], title="Board",
                                      held_on=timezone.localdate())
    register = services.risk_register_create(title="Risks", user=users["analyst"], plan=imported)
    risk = services.risk_create(register=register, user=users["analyst"], title="Tension", likelihood=2, impact=2)
    mitigation = services.mitigation_add(risk=risk, action=action, user=users["analyst"])
    preview = imported.imports.get()
    return {"plan": imported.pk, "recommendation": action.response.recommendation.pk, "response": action.response.pk,
            "action": action.pk, "meeting": meeting.pk, "evidence": Evidence.objects.get(update=update).pk,
            "import": preview.pk, "register": register.pk, "risk": risk.pk, "mitigation": mitigation.pk}


KIND = {
    "plan": ("plan", "plan_edit", "plan_archive", "plan_export", "plan_history", "meetings", "meeting_create",
             "recommendation_create"),
    "meeting": ("meeting", "meeting_archive"),
    "recommendation": ("recommendation", "recommendation_edit", "recommendation_archive", "response_create"),
    "response": ("response", "response_edit", "response_archive", "action_create"),
    "action": ("action", "action_update", "action_edit", "action_archive", "action_indicator",
               "action_indicator_clear"),
    "evidence": ("evidence",),
    "import": ("import_preview", "import_correct", "import_save", "import_cancel"),
    "register": ("risk_register", "risk_register_edit", "risk_create"),
    "risk": ("risk", "risk_edit", "risk_review", "risk_archive", "mitigation_add"),
    "mitigation": ("mitigation_remove",),
}


def _urls(objects):
    kind_of = {name: kind for kind, names in KIND.items() for name in names}
    for pattern in _patterns():
        kwargs = {"pk": objects[kind_of[pattern.name]]} if "pk" in pattern.pattern.converters else {}
        yield pattern.name, reverse(f"plans:{pattern.name}", kwargs=kwargs), pattern.callback


def test_every_plan_url_is_in_this_matrix(objects):
    names = {name for name, _, _ in _urls(objects)}
    known = {n for names in KIND.values() for n in names} | {"index", "plan_create", "import", "mine", "due",
                                                            "risk_registers", "risk_register_create"}
    assert names == known
    assert all(getattr(view, "capability", None) in CAPABILITIES for _, _, view in _urls(objects))


def test_every_role_gets_exactly_what_its_capabilities_allow_on_get(client, users, objects):
    for role in ROLES:
        client.force_login(users[role])
        for name, url, view in _urls(objects):
            allowed = role in CAPABILITIES[view.capability]
            expected = 403 if not allowed else 405 if name in POST_ONLY else 200
            assert client.get(url).status_code == expected, f"{role} GET {name}"


def test_anonymous_users_are_sent_to_log_in_everywhere(client, objects):
    for name, url, _ in _urls(objects):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302 and response["Location"].startswith(reverse("login")), name


def test_roles_without_the_capability_cannot_post_anything(client, users, objects):
    for role in ROLES:
        client.force_login(users[role])
        for name, url, view in _urls(objects):
            if role not in CAPABILITIES[view.capability]:
                assert client.post(url, {"status": "completed", "text": "x"}).status_code == 403, f"{role} {name}"


def test_the_capabilities_are_the_documented_ones():
    assert CAPABILITIES["edit_plans"] == {"administrator", "analyst"}
    assert CAPABILITIES["update_actions"] == {"administrator", "analyst", "action_owner"}


def test_an_owner_may_post_an_update_only_to_their_own_action(client, users, objects):
    client.force_login(users["action_owner"])
    own = reverse("plans:action_update", args=[objects["action"]])
    other = reverse("plans:action_update", args=[Action.objects.get(ref="2.1.B").pk])
    assert client.post(own, {"status": "work_underway", "text": "Mine."}).status_code == 302
    assert client.post(other, {"status": "work_underway", "text": "Not mine."}).status_code == 403


def test_every_change_needs_the_csrf_token(users, objects):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(users["analyst"])
    url = reverse("plans:action_update", args=[objects["action"]])
    assert strict.post(url, {"status": "completed", "text": "x"}).status_code == 403
    page = strict.get(reverse("plans:action", args=[objects["action"]]))
    assert b"csrfmiddlewaretoken" in page.content
