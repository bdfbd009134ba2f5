"""IAGs and scrutiny panels: make-up against the area, meetings with attendance, advice and the force's response,
findings becoming plan recommendations."""

import datetime as dt

import pytest
from django.urls import reverse

from citizenfocus.communities import panel_services
from citizenfocus.communities.panels import PanelMeeting
from citizenfocus.plans.models import Recommendation


@pytest.fixture
def panel(users, small_force):
    panel = panel_services.panel_create(user=users["administrator"], name="North IAG", kind="iag")
    for role, group in (("Youth worker", "black"), ("Imam", "asian"), ("Business owner", "white"),
                        ("Retired teacher", "")):
        panel_services.panel_member_add(panel=panel, user=users["inspector"], role=role, ethnic_group=group)
    return panel


def test_the_make_up_is_shown_with_no_census_profile_loaded(client, users, panel):
    client.force_login(users["board_member"])
    page = client.get(reverse("communities:panel", args=[panel.pk]), {"format": "json"}).json()
    rows = {r["group"]: r for r in page["tables"]["makeup"]["rows"]}
    assert rows["White"]["members"] == 1 and rows["White"]["share"] == pytest.approx(1 / 3)
    assert rows["White"]["verdict"] == "no census profile loaded"
    assert "3 current members declared an ethnic group, 1 did not." in page["headline"][0]
    assert "Make-up against the area: no census profile loaded." in page["headline"]


def test_the_make_up_is_compared_with_the_census_profile_of_the_panels_area(client, users, panel, small_force):
    from citizenfocus.equality.models import CensusArea, CensusCount, CensusTable

    counts = {"White": 720, "Asian, Asian British or Asian Welsh": 180, "Black, Black British, Black Welsh, "
              "Caribbean or African": 60, "Mixed or Multiple ethnic groups": 30, "Other ethnic group": 10}
    for i, hood in enumerate(small_force.divisions.get(code="north").neighbourhoods.all()):
        area = CensusArea.objects.create(code=f"E0000000{i}", name=hood.name, neighbourhood=hood)
        for category, n in counts.items():
            CensusCount.objects.create(area=area, table=CensusTable.ETHNIC_GROUP, category=category, count=n)
    client.force_login(users["board_member"])
    page = client.get(reverse("communities:panel", args=[panel.pk]), {"format": "json"}).json()
    rows = {r["group"]: r for r in page["tables"]["makeup"]["rows"]}
    # 1,440 White residents of 2,000 (two neighbourhoods); 1 of the 3 members who declared is White
    assert rows["White"]["population_share"] == pytest.approx(0.72)
    assert rows["Asian or Asian British"]["population_share"] == pytest.approx(0.18)
    assert rows["White"]["difference"] == pytest.approx(1 / 3 - 0.72)
    assert rows["White"]["verdict"] == "too few responses to test"
    assert "Make-up against the area: no census profile loaded." not in page["headline"]


def test_the_make_up_compares_with_population_shares_given_as_a_plain_dict(panel):
    result = panel_services.panel_makeup(panel, {"White": 0.8, "Asian or Asian British": 0.1})
    white = next(r for r in result["rows"] if r["group"] == "White")
    assert white["population_share"] == 0.8 and white["verdict"] == "too few responses to test"


def test_a_meeting_with_attendance_advice_and_the_forces_response(client, users, panel):
    client.force_login(users["supervisor"])
    members = list(panel.members.all())
    response = client.post(reverse("communities:panel_meeting_add", args=[panel.pk]),
                           {"held_on": "2026-11-20", "attended": [members[0].pk, members[1].pk],
                            "advice": "Brief the mosque before the next warrant"})
    assert response.status_code == 302
    meeting = PanelMeeting.objects.get()
    assert meeting.attended.count() == 2 and meeting.recorded_by == users["supervisor"]
    html = client.get(reverse("communities:panel", args=[panel.pk])).content.decode()
    assert "awaiting the force&#x27;s response" in html or "awaiting the force's response" in html
    client.post(reverse("communities:panel_response", args=[meeting.pk]),
                {f"m{meeting.pk}-force_response": "Agreed: added to the warrant checklist",
                 f"m{meeting.pk}-responded_on": "2026-11-27"})
    meeting.refresh_from_db()
    assert (meeting.force_response, meeting.responded_on) == ("Agreed: added to the warrant checklist",
                                                               dt.date(2026, 11, 27))


def test_a_finding_becomes_a_recommendation_in_the_panels_plan(client, users, panel):
    client.force_login(users["inspector"])
    for text in ("Publish stop and search by ward", "Recruit more young members"):
        client.post(reverse("communities:panel_finding", args=[panel.pk]), {"text": text})
    panel.refresh_from_db()
    assert panel.plan.title == "Recommendations of the North IAG"
    assert list(Recommendation.objects.filter(plan=panel.plan).values_list("ref", "text")) == [
        ("1", "Publish stop and search by ward"), ("2", "Recruit more young members")]


def test_a_board_member_reads_but_cannot_record(client, users, panel):
    client.force_login(users["board_member"])
    assert client.post(reverse("communities:panel_finding", args=[panel.pk]), {"text": "x"}).status_code == 403
    assert "Record a meeting" not in client.get(reverse("communities:panel", args=[panel.pk])).content.decode()
