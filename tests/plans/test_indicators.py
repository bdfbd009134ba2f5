"""A linked indicator: the measure's rate before and since the action started, with n and the verdict."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from citizenfocus.areas.models import Division
from citizenfocus.plans import services
from citizenfocus.plans.indicators import before_and_after, period_sums
from citizenfocus.plans.models import Action
from citizenfocus.stats import Sums, estimate_rate
from citizenfocus.surveys.models import ImportBatch, Response
from citizenfocus.surveys.services import survey_for

from ..support import store_responses_with_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def responses(small_force):
    """Kept informed, North division: white victims 60% before the start and 80% after; BME 50% then 52%."""
    survey = survey_for("uss")
    now = timezone.now()
    batch = ImportBatch.objects.create(survey=survey, imported_by_name="analyst", source="web", started_at=now,
                                       finished_at=now, file_name="x.csv", file_sha256="a" * 64, status="stored")
    start = timezone.localdate() - dt.timedelta(days=120)
    north, south = Division.objects.get(code="north"), Division.objects.get(code="south")
    rows = []

    def add(day, ethnicity, positive, count, division=north, weight=1.0):
        for i in range(count):
            rows.append((Response(survey=survey, response_id=f"R{len(rows):05d}", interview_date=day,
                                  division=division, ethnicity=ethnicity, age_band="25-34", sex="Female",
                                  disability="No", weight=weight, batch=batch, row_hash=str(len(rows))),
                         {"kept_informed": 2 if i < positive else 6}))

    add(start - dt.timedelta(days=100), "W1", 120, 200)
    add(start + dt.timedelta(days=30), "W1", 160, 200)
    add(start - dt.timedelta(days=100), "A1", 50, 100)
    add(start + dt.timedelta(days=30), "A1", 52, 100)
    add(start - dt.timedelta(days=500), "W1", 0, 300)  # more than 12 months before: outside
    add(start + dt.timedelta(days=30), "W1", 0, 50, division=south)  # another division
    store_responses_with_answers(rows)
    return start


def _link(action, user, group, division):
    return services.action_indicator_set(action=action, user=user, survey_key="uss", measure_key="kept_informed",
                                         group=group, division=division)


def test_the_sums_are_the_linked_measures_over_the_period(users, imported, responses):
    action = Action.objects.get(ref="1.1.B")
    link = _link(action, users["analyst"], "white", Division.objects.get(code="north"))
    sums = period_sums(link, responses - dt.timedelta(days=365), responses - dt.timedelta(days=1))
    assert sums == Sums(n=200, sw=200.0, swy=120.0, sw2=200.0, sw2y=120.0)


def test_white_victims_improved_significantly_after_the_action_started(users, imported, responses):
    action = Action.objects.get(ref="1.1.B")
    Action.objects.filter(pk=action.pk).update(start_date=responses)
    action.refresh_from_db()
    _link(action, users["analyst"], "white", Division.objects.get(code="north"))
    result = before_and_after(action, today=timezone.localdate())
    assert (result["before"]["n"], result["after"]["n"]) == (200, 200)
    assert result["before"]["rate"] == pytest.approx(0.6) and result["after"]["rate"] == pytest.approx(0.8)
    expected = estimate_rate(Sums(200, 200.0, 160.0, 200.0, 160.0))
    assert result["after"]["ci_low"] == pytest.approx(expected.ci_low)
    assert result["verdict"] == "significantly higher"
    assert result["verdict_words"] == "significantly higher than before the action started"
    assert result["difference"] == pytest.approx(0.2)


def test_bme_victims_show_no_significant_change_and_the_page_says_so_with_n(client, users, imported, responses):
    action = Action.objects.get(ref="1.1.B")
    Action.objects.filter(pk=action.pk).update(start_date=responses)
    client.force_login(users["analyst"])
    north = Division.objects.get(code="north")
    response = client.post(reverse("plans:action_indicator", args=[action.pk]),
                           {"measure": "uss.kept_informed", "group": "bme", "area": f"division:{north.pk}"})
    assert response.status_code == 302
    page = client.get(reverse("plans:action", args=[action.pk])).content.decode()
    assert "not significantly different to before the action started" in page
    assert "50.0%" in page and "52.0%" in page and ">100<" in page
    data = client.get(reverse("plans:action", args=[action.pk]), {"format": "json"}).json()["indicator"]
    assert (data["group"], data["area"], data["verdict"]) == ("BME victims", "North division",
                                                              "not significantly different")


def test_an_action_not_yet_started_says_so_and_unlinking_keeps_the_record(client, users, imported, responses):
    action = Action.objects.get(ref="2.1.B")  # not started
    _link(action, users["analyst"], "all", None)
    result = before_and_after(action, today=timezone.localdate())
    assert result["message"].startswith("The action has no start date yet")
    services.action_indicator_clear(action=action, user=users["analyst"])
    action.refresh_from_db()
    assert before_and_after(action, today=timezone.localdate()) == {"linked": False}
    assert action.indicator.archived  # kept
    fields = list(action.plan.events.filter(item_id=action.pk, field="indicator").values_list("new_value", flat=True))
    assert fields == ["", "uss.kept_informed (all, Whole force)"]


def test_an_unknown_measure_is_refused(users, imported):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="unknown measure"):
        services.action_indicator_set(action=Action.objects.get(ref="2.1.B"), user=users["analyst"],
                                      survey_key="uss", measure_key="good_job")
