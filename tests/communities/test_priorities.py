"""Local priorities: KIN members' monthly perception, traffic-lit with its base and the month before."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from citizenfocus.communities.models import Perception
from citizenfocus.communities.selectors import perceptions_by_priority_month
from citizenfocus.communities.services import perception_record, priority_create, we_did_record

OCT, NOV = dt.date(2026, 10, 1), dt.date(2026, 11, 1)


@pytest.fixture
def litter(team, users, kin):
    priority = priority_create(neighbourhood=team, title="Litter in the park", raised_by="panel",
                               raised_on=dt.date(2026, 9, 14), you_said="The park is full of litter after weekends",
                               user=users["inspector"], scanning="Complaints from 14 residents")
    for i, member in enumerate(kin):
        perception_record(priority=priority, member=member, month=OCT, score=2 if i < 6 else 4, user=users["inspector"])
        perception_record(priority=priority, member=member, month=NOV, score=5 if i < 9 else 3, user=users["inspector"])
    return priority


def _page(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("communities:priorities", args=["hightown-central"]), {"format": "json", **params})
    assert response.status_code == 200
    return response.json()


def test_the_month_is_traffic_lit_with_its_base_interval_and_the_month_before(client, users, litter):
    row = _page(client, users["board_member"], month="2026-11")["tables"]["lights"]["rows"][0]
    assert (row["light"], row["n"], row["rate"]) == ("green", 10, 0.9)
    assert row["ci_low"] == pytest.approx(0.59585, abs=1e-5)
    assert (row["previous_n"], row["previous_rate"]) == (10, 0.4)
    assert row["against_previous"] == "not tested against the month before: too few responses"


def test_the_month_before_is_amber_and_said_in_words(client, users, litter):
    page = _page(client, users["analyst"], month="2026-10")
    assert page["tables"]["lights"]["rows"][0]["light"] == "amber"
    assert "Litter in the park: amber: not clear either way" in page["headline"][0]
    assert "10 members answered" in page["headline"][0]


def test_a_second_answer_for_the_month_replaces_the_first(users, kin, litter):
    perception_record(priority=litter, member=kin[0], month=NOV, score=1, user=users["inspector"])
    assert Perception.objects.filter(priority=litter, month=NOV).count() == 10
    assert sorted(perceptions_by_priority_month(priorities=[litter])[litter.pk][NOV])[0] == 1


def test_it_refuses_a_score_off_the_scale_a_mid_month_date_and_another_neighbourhoods_member(users, kin, litter,
                                                                                              hoods):
    from citizenfocus.communities.services import kin_member_add

    with pytest.raises(ValueError, match="5-point"):
        perception_record(priority=litter, member=kin[0], month=NOV, score=6, user=users["inspector"])
    with pytest.raises(ValidationError, match="first day of a month"):
        perception_record(priority=litter, member=kin[0], month=dt.date(2026, 11, 5), score=3, user=users["inspector"])
    stranger = kin_member_add(neighbourhood=hoods["lowford"], name="Elsewhere", contact="", user=users["administrator"])
    with pytest.raises(ValidationError, match="not in the KIN of Hightown Central"):
        perception_record(priority=litter, member=stranger, month=NOV, score=3, user=users["inspector"])


def test_the_team_records_a_perception_from_the_page(client, users, kin, litter):
    client.force_login(users["supervisor"])
    response = client.post(reverse("communities:perception_add", args=["hightown-central"]),
                           {"priority": litter.pk, "member": kin[0].pk, "month": "2026-12-09", "score": 4})
    assert response.status_code == 302
    assert Perception.objects.get(member=kin[0], month=dt.date(2026, 12, 1)).recorded_by == users["supervisor"]


def test_an_analyst_cannot_record_perceptions(client, users, kin, litter):
    client.force_login(users["analyst"])
    response = client.post(reverse("communities:perception_add", args=["hightown-central"]),
                           {"priority": litter.pk, "member": kin[0].pk, "month": "2026-12-01", "score": 4})
    assert response.status_code == 403


def test_you_said_we_did_lists_what_was_done_and_when(client, users, litter):
    we_did_record(priority=litter, text="Extra bins and a Saturday patrol", done_on=dt.date(2026, 10, 20),
                  user=users["inspector"])
    rows = _page(client, users["inspector"])["tables"]["you_said_we_did"]["rows"]
    assert rows == [{"neighbourhood": "Hightown Central", "neighbourhood_code": "hightown-central",
                     "priority": "Litter in the park", "raised_by": "Neighbourhood panel", "raised_on": "2026-09-14",
                     "you_said": "The park is full of litter after weekends",
                     "we_did": "Extra bins and a Saturday patrol", "done_on": "2026-10-20"}]


def test_the_traffic_lights_export_to_csv_and_the_history_page_has_every_month(client, users, litter):
    client.force_login(users["analyst"])
    response = client.get(reverse("communities:priorities", args=["hightown-central"]),
                          {"month": "2026-11", "format": "csv", "table": "lights"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Members answering (n)" in text.splitlines()[0] and "green" in text
    history = client.get(reverse("communities:priority", args=[litter.pk]), {"format": "json"}).json()
    assert [(r["month"], r["light"], r["n"]) for r in history["tables"]["history"]["rows"]] == \
        [("October 2026", "amber", 10), ("November 2026", "green", 10)]
    assert "Scanning: Complaints from 14 residents" in history["headline"]


def test_a_badly_written_month_is_a_clear_404(client, users, litter):
    client.force_login(users["analyst"])
    response = client.get(reverse("communities:priorities", args=["hightown-central"]), {"month": "Nov"})
    assert response.status_code == 404


def test_the_team_records_what_was_done_from_the_priority_page(client, users, litter):
    client.force_login(users["inspector"])
    response = client.post(reverse("communities:we_did_add", args=[litter.pk]),
                           {"text": "Park clean-up with the council", "done_on": "2026-11-20"})
    assert response.status_code == 302
    assert litter.we_did.get().recorded_by == users["inspector"]


def test_the_team_sets_a_local_priority_from_its_page_and_nobody_else_can(client, users, team, make_user, hoods):
    from citizenfocus.communities.models import LocalPriority

    client.force_login(users["inspector"])
    page = client.get(reverse("communities:priorities", args=["hightown-central"])).content.decode()
    assert "Set a new local priority" in page
    response = client.post(reverse("communities:priority_add", args=["hightown-central"]),
                           {"title": "Speeding on Mill Lane", "raised_by": "partnership", "raised_on": "2026-11-03",
                            "you_said": "Cars race down Mill Lane at night"})
    found = LocalPriority.objects.get(title="Speeding on Mill Lane")
    assert response.status_code == 302 and response["Location"] == reverse("communities:priority", args=[found.pk])
    assert (found.neighbourhood, found.raised_by, found.created_by) == (team, "partnership", users["inspector"])
    assert found.raised_on == dt.date(2026, 11, 3) and found.created_at is not None
    # a bad date is refused with the field named, and nothing is set
    client.post(reverse("communities:priority_add", args=["hightown-central"]),
                {"title": "Graffiti", "raised_by": "survey", "raised_on": "3rd Nov", "you_said": "Tags everywhere"})
    assert not LocalPriority.objects.filter(title="Graffiti").exists()
    # another neighbourhood's supervisor neither sees the form nor can post it
    other = make_user("supervisor", "other-supervisor")
    other.profile.neighbourhood = hoods["lowford"]
    other.profile.save()
    client.force_login(other)
    assert "Set a new local priority" not in client.get(
        reverse("communities:priorities", args=["hightown-central"])).content.decode()
    assert client.post(reverse("communities:priority_add", args=["hightown-central"]),
                       {"title": "x", "raised_by": "survey", "raised_on": "2026-11-03", "you_said": "x"}).status_code == 404
    assert not LocalPriority.objects.filter(title="x").exists()
