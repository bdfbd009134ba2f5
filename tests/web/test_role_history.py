"""User roles keep an append-only history: whose role, from what to what, who changed it, how and when."""

import pytest
from django.urls import reverse
from typer.testing import CliRunner

from citizenfocus.accounts.models import Profile, RoleChange
from citizenfocus.accounts.services import user_create_or_update
from citizenfocus.cli import app

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password-1"


def test_creating_and_changing_a_role_from_the_command_line_is_recorded(db):
    runner = CliRunner()
    for role in ("board_member", "analyst", "analyst"):  # the same role twice: one change, not two
        result = runner.invoke(app, ["createuser", "inspector", "--role", role, "--password", PASSWORD,
                                     "--by", "admin-on-call"])
        assert result.exit_code == 0, result.output
    changes = list(RoleChange.objects.order_by("pk"))
    assert [(c.username, c.old_role, c.new_role, c.via, c.who_name) for c in changes] == [
        ("inspector", "", "board_member", "command", "admin-on-call"),
        ("inspector", "board_member", "analyst", "command", "admin-on-call"),
    ]
    assert all(c.at and c.user.username == "inspector" for c in changes)


def test_the_service_records_who_made_the_change(users):
    user_create_or_update(username="analyst-user", password=None, role="board_member", by=users["administrator"])
    change = RoleChange.objects.filter(username="analyst-user").latest("pk")
    assert (change.old_role, change.new_role, change.who, change.who_name) == (
        "analyst", "board_member", users["administrator"], "administrator-user")


def _admin_form(user, **changes) -> dict:
    profile = user.profile
    data = {
        "username": user.username, "email": user.email, "is_active": "on", "date_joined_0": "2014-01-01",
        "date_joined_1": "09:00:00", "profile-TOTAL_FORMS": "1", "profile-INITIAL_FORMS": "1",
        "profile-MIN_NUM_FORMS": "0", "profile-MAX_NUM_FORMS": "1", "profile-0-id": profile.pk,
        "profile-0-user": user.pk, "profile-0-role": profile.role,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_a_role_changed_in_the_admin_is_recorded_with_the_administrator(client, users):
    client.force_login(users["administrator"])
    board = users["board_member"]
    url = reverse("admin:auth_user_change", args=[board.pk])

    response = client.post(url, _admin_form(board, **{"profile-0-role": "analyst"}))

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Profile.objects.get(user=board).role == "analyst"
    change = RoleChange.objects.filter(username=board.username).latest("pk")
    assert (change.old_role, change.new_role, change.via, change.who) == (
        "board_member", "analyst", "admin", users["administrator"])


def test_deactivating_a_user_in_the_admin_is_a_change_to_no_access(client, users):
    client.force_login(users["administrator"])
    owner = users["action_owner"]
    client.post(reverse("admin:auth_user_change", args=[owner.pk]), _admin_form(owner, is_active=None))
    change = RoleChange.objects.filter(username=owner.username).latest("pk")
    assert (change.old_role, change.new_role) == ("action_owner", "no_access")


def test_saving_a_user_without_changing_the_role_records_nothing(client, users):
    client.force_login(users["administrator"])
    owner = users["action_owner"]
    before = RoleChange.objects.count()
    client.post(reverse("admin:auth_user_change", args=[owner.pk]), _admin_form(owner, email="owner@force.example"))
    assert RoleChange.objects.count() == before


def test_administrators_read_the_history_and_nobody_can_change_it(client, users):
    client.force_login(users["administrator"])
    change = RoleChange.objects.first()
    assert client.get(reverse("admin:accounts_rolechange_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_rolechange_add")).status_code == 403
    assert client.post(reverse("admin:accounts_rolechange_delete", args=[change.pk]), {"post": "yes"}).status_code == 403
    client.force_login(users["analyst"])
    assert client.get(reverse("admin:accounts_rolechange_changelist")).status_code == 302
