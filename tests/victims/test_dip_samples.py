"""Dip samples: seeded and reproducible, a team leader's own team only, checks rolled up with an interval."""

import random
from datetime import date

import pytest
from django.urls import reverse

from citizenfocus.stats import wilson_interval
from citizenfocus.victims.dip_models import DipCheck, DipSample
from citizenfocus.victims.models import Team, VictimRecord


@pytest.fixture
def closed(victims):
    for day, ref in enumerate(("NV/24/0001", "NV/24/0002", "NV/24/0003"), start=20):
        VictimRecord.objects.filter(crime_reference=ref).update(closed_on=date(2024, 3, day))
    return victims


def _draw(client, team, seed, size=2):
    return client.post(reverse("victims:dip_samples"), {"team": team.pk, "closed_from": "2024-03-01",
                                                         "closed_to": "2024-03-31", "size": size, "seed": seed})


@pytest.mark.django_db
def test_the_same_seed_draws_the_same_cases_as_pythons_own_sampler(client, closed):
    client.force_login(closed["supervisor"])
    north = Team.objects.get(name="North Team A")
    assert _draw(client, north, 7).status_code == 302
    assert _draw(client, north, 7).status_code == 302
    first, second = DipSample.objects.order_by("pk")
    population = list(VictimRecord.objects.filter(team=north, closed_on__month=3).order_by("crime_reference")
                      .values_list("pk", flat=True))
    expected = random.Random(7).sample(population, 2)
    for sample in (first, second):
        assert list(sample.checks.values_list("record_id", flat=True)) == expected
        assert (sample.population, sample.seed, sample.who_name) == (3, 7, "supervisor-user")


@pytest.mark.django_db
def test_a_team_leader_samples_only_their_own_team_and_an_officer_not_at_all(client, closed):
    client.force_login(closed["supervisor"])
    assert _draw(client, Team.objects.get(name="South Team A"), 7).status_code == 400
    assert not DipSample.objects.exists()
    client.force_login(closed["officer"])
    assert client.get(reverse("victims:dip_samples")).status_code == 403


@pytest.mark.django_db
def test_checks_roll_up_to_a_rate_with_its_interval(client, closed):
    client.force_login(closed["supervisor"])
    _draw(client, Team.objects.get(name="North Team A"), 11)
    sample = DipSample.objects.get()
    one, two = sample.checks.all()
    client.post(reverse("victims:dip_check", args=[one.pk]), {"result": "complies"})
    client.post(reverse("victims:dip_check", args=[two.pk]), {"result": "does_not_comply", "note": "no update logged"})
    rollup = client.get(reverse("victims:dip_sample", args=[sample.pk]) + "?format=json").json()["rollup"]
    low, high = wilson_interval(1, 2)
    assert (rollup["checked"], rollup["complies"], rollup["rate"]) == (2, 1, 0.5)
    # The survey's default interval: Wilson on a cautious base for so few cases, so never narrower than Wilson's.
    assert rollup["ci_low"] <= low < 0.5 < high <= rollup["ci_high"]
    assert DipCheck.objects.get(pk=two.pk).checked_by_name == "supervisor-user"
