"""The demo force end to end: compliance beside kept-informed satisfaction, the gap in words, the call-back
list worked by a team leader with its outcomes rolled up. Committed once per module (the survey engine
reads through its own connection)."""

from datetime import date

import pytest
from django.urls import reverse

from tests.conftest import remove_committed_data

DEMO_SIZE = 6000
TODAY = date(2026, 12, 7)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    from citizenfocus.accounts.services import user_create_or_update
    from citizenfocus.areas.services import force_load
    from citizenfocus.demo import demo_force, write_survey_file
    from citizenfocus.surveys.importing import survey_import
    from citizenfocus.victims.demo_load import demo_victims_load

    folder = tmp_path_factory.mktemp("demo")
    try:  # committed data goes even when loading it fails, so no later module sees it
        with django_db_blocker.unblock():
            force_load(force=demo_force())
            path = folder / "uss.parquet"
            write_survey_file(path, "uss", size=DEMO_SIZE)
            survey_import(path=path, survey="uss", user_name="test", source="demo")
            users = {name: user_create_or_update(username=name, password="a-long-test-password-1", role=role)[0]
                     for name, role in (("officer", "officer"), ("supervisor", "supervisor"), ("analyst", "analyst"))}
            demo_victims_load(seed=2014, today=TODAY, officer=users["officer"], supervisor=users["supervisor"],
                              analyst=users["analyst"])
        yield users
    finally:
        with django_db_blocker.unblock():
            remove_committed_data()


@pytest.mark.django_db
def test_kept_informed_beside_compliance_is_the_engines_own_figure(demo):
    from citizenfocus.engine import indicator_rows, open_db_source
    from citizenfocus.victims.compliance_views import compliance_result

    result = compliance_result(by=("division",), period="fy:2012", measure="updates_on_time", as_at=TODAY)
    engine = {r["group"]["division"]: r for r in indicator_rows(
        open_db_source("uss"), measure="kept_informed", by=("division",), period="fy:2012", date_basis="incident")}
    rows = [r for r in result["rows"] if r["measure"] == "updates_on_time"]
    assert {r["group"]["division"] for r in rows} == {"Central", "Northern", "Southern"}
    for row in rows:
        survey = engine[row["group"]["division"]]
        assert (row["kept_informed_rate"], row["kept_informed_n"]) == (survey["rate"], survey["n"])
        assert row["kept_informed_n"] > 100 and 0 < row["n"] <= 12 * 50
    assert result["period"]["label"] == "Financial year 2012/13 (April 2012 to March 2013)"


@pytest.mark.django_db
def test_the_demos_central_bme_victims_are_updated_late_and_the_words_say_so(demo):
    from citizenfocus.victims.compliance_views import compliance_result

    result = compliance_result(by=("division", "ethnic_group"), period="fy:2012", measure="updates_on_time",
                               as_at=TODAY)
    central = next(g for g in result["gaps"] if g["group"] == {"division": "Central"}
                   and g["measure"] == "updates_on_time")
    assert central["verdict"] == "significantly lower for BME users"
    assert central["gap_ci_low"] > 0 and central["sentence"].startswith("Updates on time: significantly lower")
    assert len(result["trend"]["points"]) == 12


@pytest.mark.django_db
def test_the_supervisor_sees_the_teams_compliance_by_ethnicity_beside_kept_informed(client, demo):
    client.force_login(demo["supervisor"])
    page = client.get(reverse("victims:compliance") + "?by=division,ethnic_group&period=fy:2012")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Kept informed (survey)" in body and "significantly lower for BME users" in body
    csv = b"".join(client.get(reverse("victims:compliance") + "?by=team&period=fy:2012&format=csv&table=compliance")
                   .streaming_content).decode()
    assert csv.splitlines()[0].startswith("\ufeffgroup,measure")
    assert "Central Investigation Team A" in csv


@pytest.mark.django_db
def test_the_call_back_list_holds_dissatisfied_consenting_victims_only(demo):
    from citizenfocus.surveys.models import Response, SurveyItem
    from citizenfocus.victims.callbacks import SERVICE_MEASURES, dissatisfied_responses

    dissatisfied = {5, 6, 7}  # fairly, very, completely dissatisfied on the 7-point scale (worked by hand)
    listed = dissatisfied_responses(ethnic_group="bme")
    assert listed and all(d.consent is True for d in listed)
    assert all(d.measures and all(d.response.codes()[m] in dissatisfied for m in d.measures) for d in listed)
    every = Response.objects.filter(survey__key="uss", recontact_consent=True)
    slots = SurveyItem.every_survey()
    expected = sum(1 for r in every if r.ethnicity[0] not in "W" and r.ethnicity != "NS"
                   and any(r.codes(slots[r.survey_id]).get(m) in dissatisfied for m in SERVICE_MEASURES))
    assert len(listed) == expected


@pytest.mark.django_db
def test_a_team_leader_works_the_list_and_the_outcomes_roll_up_by_reason(client, demo):
    from citizenfocus.victims.callback_models import CallBack, CallBackChange, CallBackReason

    mine = CallBack.objects.filter(assigned_to=demo["supervisor"])
    assert mine.count() > 0
    callback = mine.first()
    reason = CallBackReason.objects.get(code="not-updated")
    client.force_login(demo["supervisor"])
    page = client.get(reverse("victims:callbacks"))
    assert page.status_code == 200 and f"Call-back {callback.pk}" in page.content.decode()
    saved = client.post(reverse("victims:callback_update", args=[callback.pk]),
                        {"outcome": "resolved", "reason": reason.pk, "note": "apologised; now updated weekly"})
    assert saved.status_code == 302
    callback.refresh_from_db()
    assert (callback.outcome, callback.reason) == ("resolved", reason)
    change = CallBackChange.objects.filter(callback=callback).latest("pk")
    assert (change.who_name, change.outcome, change.reason_code) == ("supervisor", "resolved", "not-updated")
    rollup = client.get(reverse("victims:callbacks") + "?format=json").json()["reasons"]
    assert {"reason": "not-updated", "label": "Not kept up to date", "measure": "kept_informed",
            "outcome": "resolved", "count": 1} in rollup
    # A team leader cannot put victims on the list, nor record another leader's call-backs.
    assert client.post(reverse("victims:callback_update", args=[0]), {"leader": demo["supervisor"].pk}).status_code == 404


@pytest.mark.django_db
def test_the_demo_officer_and_supervisor_see_their_queues(client, demo):
    client.force_login(demo["officer"])
    officer = client.get(reverse("victims:queue") + "?format=json&as_at=2026-12-07").json()
    client.force_login(demo["supervisor"])
    team = client.get(reverse("victims:queue") + "?format=json&as_at=2026-12-07").json()
    assert 0 < len(officer["rows"]) < len(team["rows"])
    assert {r["officer"] for r in officer["rows"]} == {"PC 4127"}
    assert {r["team"] for r in team["rows"]} == {"Central Investigation Team A"}
    assert sum(team["counts"].values()) == len(team["rows"]) and team["counts"]["green"] > 0


@pytest.mark.django_db
def test_beside_a_team_stands_its_divisions_kept_informed_satisfaction(demo):
    from citizenfocus.victims.compliance_views import compliance_result

    def first(by):
        result = compliance_result(by=by, period="fy:2012", measure="updates_on_time", as_at=TODAY)
        return result, {tuple(r["group"].values()): r for r in result["rows"] if r["measure"] == "updates_on_time"}

    by_team, teams = first(("team",))
    _, divisions = first(("division",))
    team = teams[("Central Investigation Team A",)]
    assert team["kept_informed_n"] == divisions[("Central",)]["kept_informed_n"] > 0
    assert "the team's division" in by_team["kept_informed_note"]


@pytest.mark.django_db
def test_comment_themes_count_by_rule_and_group_and_show_each_comment_in_context(client, demo):
    from citizenfocus.surveys.models import Response
    from citizenfocus.victims.theme_models import CommentThemeChange

    client.force_login(demo["analyst"])
    data = client.get(reverse("victims:themes") + "?format=json&theme=Not+kept+informed").json()
    row = next(r for r in data["themes"] if r["theme"] == "Not kept informed")
    phrases = ("heard nothing", "never heard back", "chase for an update", "nobody told me")
    by_hand = [r for r in Response.objects.filter(survey__key="uss").exclude(comment="")
               if any(p in r.comment.lower() for p in phrases)]
    assert row["comments"] == len(by_hand) > 0
    assert row["white"] + row["bme"] <= row["comments"]
    assert row["verdict"] in {"mentioned significantly more often by BME victims",
                              "mentioned significantly less often by BME victims", "not significantly different",
                              "too few responses to test"}
    assert {c["phrase"].lower() for c in data["in_context"]} <= set(phrases)
    page = client.get(reverse("victims:themes") + "?theme=Not+kept+informed").content.decode()
    assert "<mark>" in page
    client.post(reverse("victims:themes"), {"name": "Not kept informed", "phrases": "heard nothing\nno update"})
    change = CommentThemeChange.objects.filter(theme__name="Not kept informed").latest("pk")
    assert (change.who_name, change.new_phrases) == ("analyst", "heard nothing\nno update")
    assert "never heard back" in change.old_phrases
    client.force_login(demo["supervisor"])
    assert client.get(reverse("victims:themes")).status_code == 403


@pytest.mark.django_db
def test_a_randomised_evaluation_calls_back_half_and_compares_the_arms_at_re_survey(client, demo, tmp_path):
    from typer.testing import CliRunner

    from citizenfocus.cli import app
    from citizenfocus.surveys.models import Response, Survey, code_of
    from citizenfocus.surveys.packing import code_text
    from citizenfocus.victims.callback_models import CallBack, CallBackEvaluation
    from citizenfocus.victims.callbacks import dissatisfied_responses
    from citizenfocus.victims.evaluation import split_arms

    wanted = [d.response for d in dissatisfied_responses(ethnic_group="bme")
              if d.response.division.name == "Southern"][:10]
    client.force_login(demo["analyst"])
    response = client.post(reverse("victims:callback_update", args=[0]), {
        "leader": demo["supervisor"].pk, "response": [r.pk for r in wanted], "randomise": "1", "seed": "5"})
    assert response.status_code == 302
    evaluation = CallBackEvaluation.objects.get()
    call, control = split_arms([r.pk for r in wanted], seed=5)
    arms = {arm: sorted(evaluation.callbacks.filter(arm=arm).values_list("response_id", flat=True))
            for arm in ("call", "control")}
    assert arms == {"call": call, "control": control} and len(call) == 5
    assert not CallBack.objects.filter(arm="control", assigned_to__isnull=False).exists()
    client.force_login(demo["supervisor"])
    listed = {c["callback"] for c in client.get(reverse("victims:callbacks") + "?format=json").json()["callbacks"]}
    assert not listed & set(evaluation.callbacks.filter(arm="control").values_list("pk", flat=True))
    # Later responses of the same victims (here: other stored responses standing in for the re-survey).
    uss = Survey.objects.get(key="uss")
    later = list(Response.objects.annotate(given=code_of(uss.pk, "whole_experience"))
                 .filter(survey=uss, given__in=[code_text(c) for c in range(1, 8)])
                 .exclude(pk__in=[r.pk for r in wanted]).order_by("pk")[:10])
    links = tmp_path / "resurvey.csv"
    links.write_text("earlier,later\n" + "".join(f"{a.response_id},{b.response_id}\n" for a, b in zip(wanted, later,
                                                                                                    strict=True)))
    result = CliRunner().invoke(app, ["callback-resurvey", str(links)])
    assert result.exit_code == 0 and "10 re-survey responses linked" in result.output, result.output
    by_response = dict(zip([r.pk for r in wanted], later, strict=True))
    data = client.get(reverse("victims:callbacks") + "?format=json").json()["evaluations"][0]
    for arm, ids in (("call", call), ("control", control)):
        answers = [int(by_response[pk].codes()["whole_experience"] <= 3) for pk in ids]  # 1-3: satisfied
        assert data[f"{arm}_resurveyed"] == 5 and data[f"{arm}_rate"] == pytest.approx(sum(answers) / 5)
    assert data["verdict"] == "too few responses to test" and data["seed"] == 5
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{wanted[0].response_id},no-such-id\n")
    refused = CliRunner().invoke(app, ["callback-resurvey", str(bad)])
    assert refused.exit_code == 1 and 'row 1: "no-such-id" is not a stored uss response' in refused.output
