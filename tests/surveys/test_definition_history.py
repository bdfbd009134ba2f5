"""Survey definitions keep an append-only history: the text before and after, who and when."""

import pytest
from django.urls import reverse

from citizenfocus.surveys.definition import DEFINITIONS_DIR, DefinitionError, get_definition
from citizenfocus.surveys.models import DefinitionChange, Survey
from citizenfocus.surveys.services import (
    UNKNOWN_AUTHOR,
    survey_definition_change,
    survey_for,
    survey_register,
)

pytestmark = pytest.mark.django_db
USS = (DEFINITIONS_DIR / "uss.toml").read_text(encoding="utf-8")


def test_registering_a_survey_records_its_first_definition_and_who(users):
    survey = survey_register(definition=get_definition("uss"), user=users["analyst"])
    [change] = DefinitionChange.objects.all()
    assert (change.survey, change.old_toml, change.new_toml, change.who, change.who_name, change.note) == (
        survey, "", USS, users["analyst"], "analyst-user", "registered")


def test_a_changed_definition_file_given_to_an_import_is_recorded_with_the_old_and_new_text(tmp_path):
    survey_for("uss")
    own = tmp_path / "our-uss.toml"
    own.write_text(USS.replace("deft = 1.0", "deft = 1.3"), encoding="utf-8")

    survey_for(str(own))
    survey_for(str(own))  # the same text again: nothing changes, nothing is recorded

    change = DefinitionChange.objects.exclude(note="registered").get()
    assert "deft = 1.0" in change.old_toml and "deft = 1.3" in change.new_toml
    assert change.note == "from our-uss.toml" and change.who_name == UNKNOWN_AUTHOR
    assert Survey.objects.get(key="uss").definition.deft == 1.3


def test_the_service_checks_the_text_and_records_who_changed_it_in_the_same_transaction(users):
    survey = survey_for("uss")
    survey_definition_change(survey=survey, text=USS.replace("deft = 1.0", "deft = 1.1"), user=users["administrator"],
                             note="contractor's new design factor")
    change = DefinitionChange.objects.latest("pk")
    assert (change.who, change.note) == (users["administrator"], "contractor's new design factor")
    with pytest.raises(DefinitionError, match="not changed"):
        survey_definition_change(survey=survey, text="key = ", user=users["administrator"])
    with pytest.raises(DefinitionError, match="its key is 'confidence'"):
        survey_definition_change(survey=survey, text=(DEFINITIONS_DIR / "confidence.toml").read_text(),
                                 user=users["administrator"])
    assert DefinitionChange.objects.count() == 2 and Survey.objects.get().definition.deft == 1.1


def test_an_administrator_changes_a_definition_in_the_admin_and_it_is_recorded(client, users):
    survey = survey_for("uss")
    client.force_login(users["administrator"])
    url = reverse("admin:surveys_survey_change", args=[survey.pk])

    bad = client.post(url, {"definition_toml": "not = [valid", "note": ""})
    assert bad.status_code == 200 and 'class="errorlist' in bad.content.decode()  # shown again at the field
    assert DefinitionChange.objects.count() == 1

    good = client.post(url, {"definition_toml": USS.replace("deft = 1.0", "deft = 1.2"), "note": "new deft"})
    assert good.status_code == 302
    change = DefinitionChange.objects.latest("pk")
    assert (change.who, change.note) == (users["administrator"], "new deft")
    assert client.get(reverse("admin:surveys_definitionchange_changelist")).status_code == 200
    assert client.post(reverse("admin:surveys_definitionchange_delete", args=[change.pk]),
                       {"post": "yes"}).status_code == 403


def test_analysts_see_the_latest_changes_on_the_data_page(client, users):
    survey = survey_for("uss")
    survey_definition_change(survey=survey, text=USS.replace("deft = 1.0", "deft = 1.2"), user=users["administrator"])
    client.force_login(users["analyst"])
    changes = client.get(reverse("surveys:data"), {"format": "json"}).json()["definition_changes"]
    assert changes[0]["who"] == "administrator-user" and changes[0]["lines_changed"] == ["-deft = 1.0", "+deft = 1.2"]
    assert "administrator-user" in client.get(reverse("surveys:data")).content.decode()
