"""A form opened before someone else's change is refused (409), naming who changed the item and when, with the
person's values kept in the form on the current version; a write never puts back a value it did not change."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from citizenfocus.plans import services
from citizenfocus.plans.models import (
    Action,
    ChangeEvent,
    Plan,
    PlanResponse,
    Recommendation,
    Risk,
    RiskRegister,
)

pytestmark = pytest.mark.django_db


def as_posted(form) -> dict:
    """A form's fields as the page gave them: what the person's browser sends back."""
    data = {}
    for name, field in form.fields.items():
        if getattr(field.widget, "input_type", "") == "file":
            continue
        value = form[name].value()
        data[form.add_prefix(name)] = "" if value is None else value
    return data


def opened(client, url: str, name: str) -> dict:
    return as_posted(client.get(url).context[name])


def said_when(user) -> str:
    """"changed by <who> at HH:MM": the time of that person's latest change, as the refusal gives it."""
    event = ChangeEvent.objects.filter(who=user).order_by("-at", "-pk").first()
    return f"changed by {user.get_username()} at {timezone.localtime(event.at):%H:%M} since you opened it"


@pytest.fixture
def people(users, make_user):
    """Three people at work on one plan: two analysts and the action's owner, each with their own browser."""
    clients = {}
    for name, user in (("first", users["analyst"]), ("second", make_user("analyst", "second-analyst")),
                       ("owner", users["action_owner"])):
        clients[name] = Client()
        clients[name].force_login(user)
        clients[name].user = user
    return clients


def test_stale_forms_are_refused_one_after_another_each_naming_who_changed_the_action(people, one_action):
    first, second, owner = people["first"], people["second"], people["owner"]
    page = reverse("plans:action", args=[one_action.pk])
    edit_url, update_url = (reverse(f"plans:{n}", args=[one_action.pk]) for n in ("action_edit", "action_update"))
    first_edit, second_edit = opened(first, page, "edit_form"), opened(second, page, "edit_form")
    owner_update = opened(owner, page, "update_form")
    assert first_edit["version"] == second_edit["version"] == owner_update["version"] == 1

    assert first.post(edit_url, {**first_edit, "description": "Ring back within 24 hours."}).status_code == 302

    refused = owner.post(update_url, {**owner_update, "status": "work_underway", "text": "Calls started."})
    assert refused.status_code == 409
    assert said_when(first.user) in refused.content.decode()
    kept = refused.context["update_form"]
    assert (kept["status"].value(), kept["text"].value(), str(kept["version"].value())) == \
        ("work_underway", "Calls started.", "2")
    refused_too = second.post(edit_url, {**second_edit, "department": "Contact centre"})
    assert refused_too.status_code == 409 and said_when(first.user) in refused_too.content.decode()
    assert refused_too.context["edit_form"]["department"].value() == "Contact centre"
    stored = Action.objects.get(pk=one_action.pk)
    assert (stored.description, stored.status, stored.department, stored.version) == \
        ("Ring back within 24 hours.", "not_started", "", 2)

    # the owner saves the kept form deliberately; the analyst's kept form is now stale again, naming the owner
    assert owner.post(update_url, as_posted(kept)).status_code == 302
    again = second.post(edit_url, as_posted(refused_too.context["edit_form"]))
    assert again.status_code == 409 and said_when(owner.user) in again.content.decode()
    assert second.post(edit_url, as_posted(again.context["edit_form"])).status_code == 302
    stored.refresh_from_db()
    assert (stored.description, stored.status, stored.department, stored.version) == \
        ("Ring back within 48 hours.", "work_underway", "Contact centre", 4)


def test_the_second_analysts_save_put_back_the_old_description_only_because_it_was_in_their_form(people,
                                                                                                 one_action):
    """What the person saw is what they save: a deliberate second save of a kept form is their choice, and the
    history shows it as a change from the first analyst's words, not from the words both started with."""
    first, second = people["first"], people["second"]
    page, url = reverse("plans:action", args=[one_action.pk]), reverse("plans:action_edit", args=[one_action.pk])
    mine, theirs = opened(first, page, "edit_form"), opened(second, page, "edit_form")
    first.post(url, {**mine, "description": "Ring back within 24 hours."})
    kept = second.post(url, {**theirs, "description": "Ring back the same day."}).context["edit_form"]
    second.post(url, as_posted(kept))
    described = list(ChangeEvent.objects.filter(item_kind="action", field="description").order_by("pk")
                     .values_list("old_value", "new_value"))
    assert described == [("Ring back within 48 hours.", "Ring back within 24 hours."),
                         ("Ring back within 24 hours.", "Ring back the same day.")]


def test_a_status_update_from_an_old_copy_never_writes_back_fields_it_did_not_change(users, one_action):
    old_copy = Action.objects.get(pk=one_action.pk)  # read before the edit, as a slow request would
    services.action_edit(action=Action.objects.get(pk=one_action.pk), user=users["analyst"], ref="1.1.A",
                         description="Ring back within 24 hours.", department="Contact centre",
                         manager=users["action_owner"], target_date=one_action.target_date)

    services.action_update(action=old_copy, user=users["action_owner"], status="work_underway", text="Started.")

    stored = Action.objects.get(pk=one_action.pk)
    assert (stored.description, stored.department, stored.status, stored.version) == \
        ("Ring back within 24 hours.", "Contact centre", "work_underway", 3)
    assert old_copy.description == "Ring back within 24 hours."  # the caller's copy now shows the row as saved
    with pytest.raises(services.StaleItem, match="This action was changed by action_owner-user at"):
        services.action_update(action=old_copy, user=users["analyst"], status="blocked", version=2)


def test_the_my_actions_card_carries_its_version_and_a_stale_card_is_refused(people, one_action):
    owner, first = people["owner"], people["first"]
    html = owner.get(reverse("plans:mine")).content.decode()
    version = re.search(rf'<input type="hidden" name="version" value="(\d+)" id="id_a{one_action.pk}_version">',
                        html).group(1)
    page = reverse("plans:action", args=[one_action.pk])
    first.post(reverse("plans:action_edit", args=[one_action.pk]),
               {**opened(first, page, "edit_form"), "target_date": "", "target_reason": "Waiting for the new system"})

    card = {"status": "completed", "text": "Every victim rung back.", "version": version,
            "next": reverse("plans:mine")}
    refused = owner.post(reverse("plans:action_update", args=[one_action.pk]), card)

    assert refused.status_code == 409 and said_when(first.user) in refused.content.decode()
    assert refused.context["update_form"]["text"].value() == "Every victim rung back."
    assert Action.objects.get(pk=one_action.pk).status == "not_started"


@pytest.mark.parametrize("kind", ["recommendation", "response"])
def test_a_stale_recommendation_or_response_form_is_refused(people, one_action, kind):
    item = one_action.response if kind == "response" else one_action.response.recommendation
    model = PlanResponse if kind == "response" else Recommendation
    first, second = people["first"], people["second"]
    page, url = reverse(f"plans:{kind}", args=[item.pk]), reverse(f"plans:{kind}_edit", args=[item.pk])
    mine, theirs = opened(first, page, "edit_form"), opened(second, page, "edit_form")
    assert first.post(url, {**mine, "text": "Reworded by the first analyst."}).status_code == 302

    refused = second.post(url, {**theirs, "ref": f"{item.ref}0"})

    assert refused.status_code == 409
    words = item.plan.labels["level2" if kind == "response" else "level1"].lower()  # "force response"
    assert f"This {words} was {said_when(first.user)}" in refused.content.decode()
    assert refused.context["edit_form"]["ref"].value() == f"{item.ref}0"
    stored = model.objects.get(pk=item.pk)
    assert (stored.ref, stored.text, stored.version) == (item.ref, "Reworded by the first analyst.", 2)


def test_an_objectives_plan_names_its_own_level_in_the_refusal(users, one_action):
    Plan.objects.update(kind=Plan.Kind.OBJECTIVES)
    services.action_update(action=one_action, user=users["action_owner"], text="Started.")
    with pytest.raises(services.StaleItem, match="This activity was changed by action_owner-user at"):
        services.action_update(action=one_action, user=users["analyst"], text="Also started.", version=1)


def test_a_stale_plan_form_is_refused(people, one_action):
    first, second = people["first"], people["second"]
    plan = one_action.plan
    url = reverse("plans:plan_edit", args=[plan.pk])
    mine, theirs = opened(first, url, "form"), opened(second, url, "form")
    assert first.post(url, {**mine, "reporting_date": "2025-03-31"}).status_code == 302

    refused = second.post(url, {**theirs, "title": "Victim care 2025"})

    assert refused.status_code == 409 and said_when(first.user) in refused.content.decode()
    assert refused.context["form"]["title"].value() == "Victim care 2025"
    stored = Plan.objects.get(pk=plan.pk)
    assert (stored.title, stored.reporting_date, stored.version) == ("Victim care", dt.date(2025, 3, 31), 2)


@pytest.fixture
def risk(users, one_action):
    register = services.risk_register_create(title="Victim care risks", user=users["analyst"], plan=one_action.plan)
    return services.risk_create(register=register, user=users["analyst"], title="Calls missed", likelihood=3,
                                impact=4)


def test_a_review_made_meanwhile_makes_the_risk_forms_stale(people, risk):
    first, second = people["first"], people["second"]
    page = reverse("plans:risk", args=[risk.pk])
    review_url, edit_url = reverse("plans:risk_review", args=[risk.pk]), reverse("plans:risk_edit", args=[risk.pk])
    my_review = opened(first, page, "review_form")
    their_review, their_edit = opened(second, page, "review_form"), opened(second, page, "edit_form")
    assert first.post(review_url, {**my_review, "likelihood": "4", "note": "More calls missed"}).status_code == 302

    refused_review = second.post(review_url, {**their_review, "likelihood": "2", "note": "Fewer calls missed"})
    refused_edit = second.post(edit_url, {**their_edit, "title": "Call-backs missed"})

    for refused, form in ((refused_review, "review_form"), (refused_edit, "edit_form")):
        assert refused.status_code == 409 and said_when(first.user) in refused.content.decode()
        assert str(refused.context[form]["version"].value()) == "2"
    assert refused_review.context["review_form"]["note"].value() == "Fewer calls missed"
    stored = Risk.objects.get(pk=risk.pk)
    assert (stored.likelihood, stored.title, stored.reviews.count(), stored.version) == (4, "Calls missed", 2, 2)


def test_a_stale_register_settings_form_is_refused(people, risk):
    first, second = people["first"], people["second"]
    register = risk.register
    page, url = reverse("plans:risk_register", args=[register.pk]), reverse("plans:risk_register_edit",
                                                                              args=[register.pk])
    mine, theirs = opened(first, page, "settings_form"), opened(second, page, "settings_form")
    assert first.post(url, {**mine, "high_review_months": "2"}).status_code == 302
    refused = second.post(url, {**theirs, "low_review_months": "6"})
    assert refused.status_code == 409 and said_when(first.user) in refused.content.decode()
    stored = RiskRegister.objects.get(pk=register.pk)
    assert (stored.high_review_months, stored.low_review_months, stored.version) == (2, 3, 2)


def test_an_archive_button_pressed_on_a_stale_page_changes_nothing_and_says_who(people, one_action):
    first, second = people["first"], people["second"]
    page = reverse("plans:action", args=[one_action.pk])
    first.post(reverse("plans:action_edit", args=[one_action.pk]),
               {**opened(first, page, "edit_form"), "description": "Ring back within 24 hours."})

    pressed = second.post(reverse("plans:action_archive", args=[one_action.pk]), {"archived": "1", "version": 1},
                          follow=True)

    assert "press the button again if it is still needed" in pressed.content.decode()
    assert said_when(first.user) in pressed.content.decode()
    assert Action.objects.get(pk=one_action.pk).archived is False
    second.post(reverse("plans:action_archive", args=[one_action.pk]), {"archived": "1", "version": 2})
    assert Action.objects.get(pk=one_action.pk).archived is True


def test_the_json_twin_answers_409_with_the_current_version(people, one_action):
    first, second = people["first"], people["second"]
    url = reverse("plans:action_edit", args=[one_action.pk]) + "?format=json"
    form = opened(first, reverse("plans:action", args=[one_action.pk]), "edit_form")
    assert first.post(url, {**form, "department": "Contact centre"}).json() == {"status": "saved"}

    refused = second.post(url, {**form, "department": "Victim care unit"})

    assert refused.status_code == 409
    body = refused.json()
    assert (body["status"], body["version"]) == ("stale", 2)
    assert said_when(first.user) in body["message"]


def test_a_post_without_a_version_changes_the_item_as_it_is_now_and_only_what_it_names(people, one_action):
    """A script posting to the JSON twin without a version: no refusal, and no field it did not change is
    written back."""
    first, owner = people["first"], people["owner"]
    form = opened(first, reverse("plans:action", args=[one_action.pk]), "edit_form")
    first.post(reverse("plans:action_edit", args=[one_action.pk]), {**form, "description": "Ring back today."})
    saved = owner.post(reverse("plans:action_update", args=[one_action.pk]) + "?format=json",
                       {"status": "blocked", "text": "Phones down."})
    assert saved.status_code == 200
    stored = Action.objects.get(pk=one_action.pk)
    assert (stored.description, stored.status, stored.version) == ("Ring back today.", "blocked", 3)


def test_every_edit_form_and_button_on_the_action_page_carries_the_version(people, one_action):
    services.action_update(action=one_action, user=people["owner"].user, text="Started.")
    html = people["first"].get(reverse("plans:action", args=[one_action.pk])).content.decode()
    versions = re.findall(r'<input type="hidden" name="version" value="(\d+)"', html)
    assert versions == ["2"] * 4  # the update, indicator and edit forms, and the archive button
