"""The KIN register: names and contacts for the neighbourhood's team only, every read logged, retention."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from citizenfocus.communities.models import KinMember, KinRead
from citizenfocus.communities.services import kin_leave_request, kin_member_leave, kin_purge


def _register(client, user, code="hightown-central", **params):
    client.force_login(user)
    response = client.get(reverse("communities:kin", args=[code]), {"format": "json", **params})
    assert response.status_code == 200
    return response.json()


def test_the_neighbourhoods_inspector_sees_names_and_contacts(client, users, kin):
    page = _register(client, users["inspector"])
    rows = page["tables"]["register"]["rows"]
    assert page["identified"] is True
    assert {r["name"] for r in rows} == {f"Member {i}" for i in range(10)}
    assert rows[0]["contact"].startswith("07700 900")


def test_an_analyst_sees_pseudonymised_rows_only(client, users, kin):
    page = _register(client, users["analyst"])
    rows = page["tables"]["register"]["rows"]
    assert page["identified"] is False
    assert all("name" not in r and "contact" not in r for r in rows)
    assert rows[0]["member"] == kin[0].pseudonym
    assert "Member 0" not in str(page)


def test_an_inspector_of_another_neighbourhood_sees_pseudonyms(client, users, kin, make_user, hoods):
    other = make_user("inspector", "other-inspector")
    other.profile.neighbourhood = hoods["lowford"]
    other.profile.save()
    page = _register(client, other)
    assert page["identified"] is False and "07700" not in str(page)


def test_every_reading_is_logged_with_who_what_and_whether_names_were_shown(client, users, kin):
    _register(client, users["inspector"])
    _register(client, users["analyst"])
    client.get(reverse("communities:kin", args=["hightown-central"]), {"format": "csv", "table": "register"})
    reads = list(KinRead.objects.order_by("pk").values_list("username", "what", "identified", "rows"))
    assert reads == [("inspector-user", "register json", True, 10), ("analyst-user", "register json", False, 10),
                     ("analyst-user", "register csv", False, 10)]


def test_coverage_names_the_required_group_with_no_member(client, users, kin):
    page = _register(client, users["supervisor"])
    coverage = {r["group"]: r["members"] for r in page["tables"]["coverage"]["rows"]}
    assert coverage == {"Business": 5, "Faith": 5, "Youth": 0}
    assert "no member from: Youth." in page["headline"][0]


def test_a_member_asking_to_leave_prompts_the_team_by_e_mail_and_on_the_register(client, users, kin,
                                                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        to = kin_leave_request(member=kin[3], on=dt.date(2026, 11, 2))
    assert sorted(to) == ["inspector@force.example", "supervisor@force.example"]
    assert kin[3].pseudonym in mail.outbox[0].subject and "Member 3" not in mail.outbox[0].body
    client.force_login(users["supervisor"])
    page = client.get(reverse("communities:kin", args=["hightown-central"])).content.decode()
    assert f"Remove {kin[3].pseudonym} from the network" in page
    response = client.post(reverse("communities:kin_leave", args=[kin[3].pk]))
    assert response.status_code == 302
    assert KinMember.objects.get(pk=kin[3].pk).left_on == dt.date.today()


def test_only_the_team_may_remove_a_member(client, users, kin, make_user, hoods):
    other = make_user("supervisor", "other-supervisor")
    other.profile.neighbourhood = hoods["lowford"]
    other.profile.save()
    client.force_login(other)
    assert client.post(reverse("communities:kin_leave", args=[kin[0].pk])).status_code == 404
    assert KinMember.objects.get(pk=kin[0].pk).left_on is None


def test_retention_erases_name_and_contact_ninety_days_after_leaving_and_keeps_the_row(users, kin):
    kin_member_leave(member=kin[1], user=users["inspector"], on=dt.date(2026, 1, 1))
    kin_member_leave(member=kin[2], user=users["inspector"], on=dt.date(2026, 3, 1))
    assert kin_purge(today=dt.date(2026, 4, 15), dry_run=True) == 1
    assert KinMember.objects.get(pk=kin[1].pk).name == "Member 1"
    assert kin_purge(today=dt.date(2026, 4, 15)) == 1
    erased = KinMember.objects.get(pk=kin[1].pk)
    assert (erased.name, erased.contact) == ("", "") and erased.erased_at is not None
    assert KinMember.objects.get(pk=kin[2].pk).name == "Member 2"
    assert kin_purge(today=dt.date(2026, 4, 15)) == 0


@pytest.mark.parametrize("role", ["board_member", "action_owner", "officer", "no_access"])
def test_roles_outside_engagement_cannot_open_the_register(client, users, kin, role):
    client.force_login(users[role])
    assert client.get(reverse("communities:kin", args=["hightown-central"])).status_code == 403
    assert not KinRead.objects.exists()


def test_the_daily_purge_command_erases_leavers_past_retention_on_record(users, kin):
    from typer.testing import CliRunner

    from citizenfocus.cli import app
    from citizenfocus.communities.models import KinPurge

    kin_member_leave(member=kin[4], user=users["inspector"], on=dt.date.today() - dt.timedelta(days=91))
    runner = CliRunner()
    dry = runner.invoke(app, ["purge", "--dry-run", "--user", "dpo"])
    assert "key individual networks: would erase the name and contact of 1 members" in dry.output
    assert not KinPurge.objects.exists() and KinMember.objects.get(pk=kin[4].pk).name == "Member 4"
    done = runner.invoke(app, ["purge", "--user", "dpo"])
    assert done.exit_code == 0, done.output
    assert KinMember.objects.get(pk=kin[4].pk).contact == ""
    assert KinPurge.objects.get().who_name == "dpo" and KinPurge.objects.get().erased == 1


def test_the_team_adds_a_member_and_nobody_else_can(client, users, kin, make_user, hoods):
    from citizenfocus.communities.models import RequiredGroup

    youth = RequiredGroup.objects.get(name="Youth")
    client.force_login(users["inspector"])
    response = client.post(reverse("communities:kin_add", args=["hightown-central"]),
                           {"name": "Youth club leader", "contact": "club@example.org", "groups": [youth.pk]})
    assert response.status_code == 302
    added = KinMember.objects.get(name="Youth club leader")
    assert list(added.groups.all()) == [youth] and added.added_by == users["inspector"]
    other = make_user("supervisor", "other-supervisor")
    other.profile.neighbourhood = hoods["lowford"]
    other.profile.save()
    client.force_login(other)
    assert client.post(reverse("communities:kin_add", args=["hightown-central"]), {"name": "x"}).status_code == 404
    assert not KinMember.objects.filter(name="x").exists()
