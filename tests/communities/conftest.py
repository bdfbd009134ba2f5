import datetime as dt

import pytest


@pytest.fixture
def hoods(small_force):
    from citizenfocus.areas.models import Neighbourhood

    return {h.code: h for h in Neighbourhood.objects.all()}


@pytest.fixture
def team(users, hoods):
    """The inspector's and the supervisor's home neighbourhood is Hightown Central: they are its team."""
    home = hoods["hightown-central"]
    for role in ("inspector", "supervisor"):
        profile = users[role].profile
        profile.neighbourhood, profile.division = home, home.division
        profile.save()
        users[role].email = f"{role}@force.example"
        users[role].save()
    return home


@pytest.fixture
def kin(team, users):
    """Hightown Central's network: ten members, faith and business covered, youth not."""
    from citizenfocus.communities.models import RequiredGroup
    from citizenfocus.communities.services import kin_member_add

    groups = {name: RequiredGroup.objects.create(name=name) for name in ("Faith", "Business", "Youth")}
    members = []
    for i in range(10):
        chosen = [groups["Faith"]] if i % 2 else [groups["Business"]]
        members.append(kin_member_add(neighbourhood=team, name=f"Member {i}", contact=f"07700 900{i:03d}",
                                      groups=chosen, user=users["inspector"], joined_on=dt.date(2026, 1, 5)))
    return members
