"""`citizenfocus createuser`: a role, a password, and a home area for a neighbourhood inspector."""

from typer.testing import CliRunner

from citizenfocus.accounts.models import Profile
from citizenfocus.cli import app

runner = CliRunner()


def test_createuser_gives_an_inspector_a_home_neighbourhood_and_its_division(small_force):
    result = runner.invoke(app, ["createuser", "inspector", "--role", "board_member",
                                 "--password", "a-long-test-password-1", "--neighbourhood", "lowford"])
    assert result.exit_code == 0, result.output
    profile = Profile.objects.get(user__username="inspector")
    assert profile.role == "board_member"
    assert (profile.neighbourhood.name, profile.division.name) == ("Lowford", "South")


def test_createuser_refuses_an_unknown_division_naming_the_known_ones(small_force):
    result = runner.invoke(app, ["createuser", "x", "--role", "analyst", "--password", "a-long-test-password-1",
                                 "--division", "West"])
    assert result.exit_code == 1
    assert "unknown division 'West'; divisions: North, South" in result.output
    assert not Profile.objects.filter(user__username="x").exists()


def test_createuser_refuses_a_weak_password(db):
    result = runner.invoke(app, ["createuser", "y", "--role", "analyst", "--password", "short"])
    assert result.exit_code == 1
    assert "password refused" in result.output
