"""The scrutiny panel: a reproducible stratified sample, findings per search, a finding made a recommendation."""

import csv
import datetime as dt
import io

import pytest

from citizenfocus.equality import panel
from citizenfocus.equality.models import PanelFinding, PanelReview, PanelSearch

APRIL, MAY = dt.date(2013, 4, 1), dt.date(2013, 5, 1)
DRAW = {"title": "Spring review", "first_month": "2013-04", "last_month": "2013-05", "size": "30", "seed": "11",
        "section_60": "3", "no_further_action": "2"}


@pytest.fixture
def review(loaded, users):
    return panel.panel_review_create(title="Spring", first_month=APRIL, last_month=MAY, size=30, seed=11,
                                     user=users["analyst"])


def test_the_same_months_size_and_seed_draw_the_same_searches(review, users):
    again = panel.panel_review_create(title="Again", first_month=APRIL, last_month=MAY, size=30, seed=11,
                                      user=users["board_member"])
    first = list(review.searches.values_list("search__key", flat=True))
    assert list(again.searches.values_list("search__key", flat=True)) == first and len(first) == 30
    other = panel.panel_review_create(title="Other", first_month=APRIL, last_month=MAY, size=30, seed=12,
                                      user=users["analyst"])
    assert list(other.searches.values_list("search__key", flat=True)) != first


def test_no_further_action_is_oversampled_and_each_search_keeps_its_chance_of_selection(review):
    from citizenfocus.equality.models import StopSearch

    searches = StopSearch.objects.filter(month__lte=MAY)
    nfa_share = searches.filter(outcome=panel.NO_FURTHER_ACTION).count() / searches.count()
    drawn = PanelSearch.objects.filter(review=review)
    assert drawn.filter(stratum="no further action").count() / 30 > nfa_share
    nfa = drawn.filter(stratum="no further action").first()
    assert nfa.probability == pytest.approx(drawn.filter(stratum="no further action").count()
                                            / searches.filter(outcome=panel.NO_FURTHER_ACTION).count())


def test_a_panel_member_draws_a_sample_and_records_a_finding(client, loaded, users):
    client.force_login(users["board_member"])
    response = client.post("/equality/panel/", DRAW)
    review = PanelReview.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/equality/panel/{review.pk}/"
    sample = review.searches.first()
    client.post(f"/equality/panel/searches/{sample.pk}/finding", {
        "grounds_recorded": "yes", "grounds_reasonable": "no", "video_reviewed": "on", "notes": "Grounds thin"})
    client.post(f"/equality/panel/searches/{sample.pk}/finding", {
        "grounds_recorded": "yes", "grounds_reasonable": "unclear", "notes": "Amended after the video"})
    assert sample.findings.count() == 2  # the amendment is a new row: nothing lost
    assert sample.finding.grounds_reasonable == "unclear" and sample.finding.who_name == users["board_member"].username
    data = client.get(f"/equality/panel/{review.pk}/", {"format": "json"}).json()
    assert data["searches"][0]["grounds_reasonable"] == "Unclear" and data["review"]["seed"] == 11
    exported = client.get(f"/equality/panel/{review.pk}/", {"format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode("utf-8-sig"))))
    assert rows[0][0] == "#" and len(rows) == 31
    page = client.get(f"/equality/panel/{review.pk}/").content.decode()
    assert "Record the finding" in page and "Turn this finding into a recommendation" not in page


def test_a_bad_draw_shows_the_form_again_with_the_reason(client, loaded, users):
    client.force_login(users["analyst"])
    response = client.post("/equality/panel/", {**DRAW, "first_month": "2012-01", "last_month": "2012-02"})
    assert response.status_code == 400 and "no searches stored from Jan 2012 to Feb 2012" in response.content.decode()
    assert not PanelReview.objects.exists()


def test_an_analyst_turns_a_finding_into_a_recommendation_in_an_action_plan(client, review, users):
    from citizenfocus.plans.services import plan_create

    plan = plan_create(title="Stop and search scrutiny 2013", user=users["analyst"])
    finding = panel.panel_finding_record(sample=review.searches.first(), user=users["board_member"],
                                         grounds_recorded="no", grounds_reasonable="no", video_reviewed=True,
                                         feedback_to_officer=True)
    client.force_login(users["analyst"])
    client.post(f"/equality/panel/findings/{finding.pk}/recommend",
                {"plan": plan.pk, "text": "Supervisors check the recorded grounds of every drugs search."})
    recommendation = plan.recommendations.get()
    assert recommendation.text.startswith("Supervisors check") and recommendation.ref == "1"
    assert PanelFinding.objects.filter(recommendation=recommendation).count() == 1
    client.force_login(users["board_member"])
    assert client.post(f"/equality/panel/findings/{finding.pk}/recommend",
                       {"plan": plan.pk, "text": "x"}).status_code == 403


@pytest.mark.parametrize("role", ["officer", "no_access", "inspector", "supervisor", "action_owner"])
def test_roles_outside_the_panel_cannot_see_or_draw(client, review, users, role):
    client.force_login(users[role])
    assert client.get("/equality/panel/").status_code == 403
    assert client.get(f"/equality/panel/{review.pk}/").status_code == 403
    assert client.post("/equality/panel/", DRAW).status_code == 403
