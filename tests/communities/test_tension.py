"""Community tension returns: the force's weekly summary, escalation when a level rises, the history chart."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from citizenfocus.communities.models import TensionReturn
from citizenfocus.communities.services import tension_submit
from citizenfocus.communities.tension import force_history, weekly_summary

W1, W2, W3 = dt.date(2026, 11, 16), dt.date(2026, 11, 23), dt.date(2026, 11, 30)


def _submit(user, hood, week, level, **extra):
    return tension_submit(week=week, division=hood.division, neighbourhood=hood, level=level,
                          reliability="usually", user=user, **extra)


def test_a_rise_is_flagged_on_the_summary_and_e_mailed_to_the_divisions_team(users, team, hoods,
                                                                             django_capture_on_commit_callbacks):
    users["administrator"].email = "admin@force.example"
    users["administrator"].save()
    _submit(users["inspector"], team, W1, 1)
    _submit(users["inspector"], hoods["lowford"], W1, 2)
    with django_capture_on_commit_callbacks(execute=True):
        _, rose = _submit(users["inspector"], team, W2, 3, factors="Graffiti after a march")
        _submit(users["inspector"], hoods["lowford"], W2, 2)
    assert rose
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Community tension rose in Hightown Central: level 1 to 3"
    assert sorted(mail.outbox[0].to) == ["admin@force.example", "inspector@force.example", "supervisor@force.example"]
    summary = weekly_summary(W2)
    assert summary["force_level"] == 3 and summary["rises"] == 1
    assert [(a["area"], a["level"], a["rose"]) for a in summary["areas"]] == \
        [("Hightown Central", 3, True), ("Lowford", 2, False)]


def test_a_first_return_is_never_a_rise_and_a_fall_is_not_escalated(users, team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert _submit(users["inspector"], team, W1, 4)[1] is False
        assert _submit(users["inspector"], team, W2, 2)[1] is False
    assert not mail.outbox


def test_a_correction_the_same_week_replaces_the_first_in_the_summary_and_both_stay(users, team):
    _submit(users["inspector"], team, W1, 2)
    _submit(users["supervisor"], team, W1, 1)
    assert weekly_summary(W1)["areas"][0]["level"] == 1
    assert TensionReturn.objects.filter(week=W1).count() == 2


def test_it_refuses_a_week_not_starting_on_monday_and_a_neighbourhood_of_another_division(users, team, hoods):
    with pytest.raises(ValidationError, match="must be a Monday"):
        _submit(users["inspector"], team, dt.date(2026, 11, 18), 2)
    with pytest.raises(ValidationError, match="Lowford is not in North division"):
        tension_submit(week=W1, division=team.division, neighbourhood=hoods["lowford"], level=2,
                       reliability="reliable", user=users["inspector"])
    assert not TensionReturn.objects.exists()


def test_the_history_gives_the_force_level_each_week(users, team, hoods):
    _submit(users["inspector"], team, W1, 1)
    _submit(users["inspector"], hoods["lowford"], W2, 2)
    _submit(users["inspector"], hoods["lowford"], W3, 4)
    assert force_history() == [{"week": "2026-11-16", "force_level": 1, "areas": 1, "rises": 0},
                               {"week": "2026-11-23", "force_level": 2, "areas": 1, "rises": 0},
                               {"week": "2026-11-30", "force_level": 4, "areas": 1, "rises": 1}]


def test_the_summary_page_shows_the_escalation_the_chart_and_its_table(client, users, team):
    _submit(users["inspector"], team, W1, 1)
    _submit(users["inspector"], team, W2, 3)
    client.force_login(users["board_member"])
    page = client.get(reverse("communities:tension"), {"format": "json"}).json()
    assert page["week"] == "2026-11-23" and page["rises"] == 1
    assert "ESCALATION: tension rose in Hightown Central from level 1 to 3." in page["headline"]
    assert page["charts"]["history"]["table"] == "history"
    html = client.get(reverse("communities:tension"), {"week": "2026-11-16"}).content.decode()
    assert "week beginning 16 November 2026" in html and "Force tension level by week" in html
    png = client.get(reverse("communities:tension"), {"chart": "history", "format": "png"})
    assert png.status_code == 200 and png.content[:4] == b"\x89PNG"


def test_the_form_stores_a_return_and_names_a_wrong_week(client, users, team):
    client.force_login(users["inspector"])
    data = {"week": "2026-11-18", "division": team.division.pk, "neighbourhood": team.pk, "level": 2,
            "reliability": "reliable", "factors": "", "actions": ""}
    response = client.post(reverse("communities:tension_new"), data)
    assert response.status_code == 400
    assert "Wednesday 18 November 2026 is not a Monday" in response.content.decode()
    response = client.post(reverse("communities:tension_new"), {**data, "week": "2026-11-16"})
    assert response.status_code == 302 and "week=2026-11-16" in response["Location"]
    assert TensionReturn.objects.get().submitted_by_name == "inspector-user"


def test_a_board_member_reads_the_summary_but_cannot_submit(client, users, team):
    client.force_login(users["board_member"])
    assert client.get(reverse("communities:tension")).status_code == 200
    assert client.get(reverse("communities:tension_new")).status_code == 403
