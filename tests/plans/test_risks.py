"""Risk registers: likelihood x impact on a 1-4 or 1-5 scale, bands with review frequencies, mitigations."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from citizenfocus.plans import services
from citizenfocus.plans.dates import add_months
from citizenfocus.plans.models import Action, Risk

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(users, imported):
    return services.risk_register_create(title="Community cohesion risks", user=users["analyst"], plan=imported)


def test_scores_fall_into_bands_that_set_the_review_frequency(users, register):
    today = timezone.localdate()
    high = services.risk_create(register=register, user=users["analyst"], title="Tension after a major incident",
                                likelihood=4, impact=5)
    medium = services.risk_create(register=register, user=users["analyst"], title="KIN members disengage",
                                  likelihood=2, impact=3)
    low = services.risk_create(register=register, user=users["analyst"], title="Survey contractor fails",
                               likelihood=1, impact=4)
    assert [(r.ref, r.score, r.band) for r in (high, medium, low)] == [("1", 20, "high"), ("2", 6, "medium"),
                                                                      ("3", 4, "low")]
    assert high.next_review_due() == add_months(today, 1)  # high: monthly
    assert medium.next_review_due() == add_months(today, 3)  # medium and low: quarterly
    assert low.next_review_due() == add_months(today, 3)
    assert high.reviews.get().note == "First assessment"


def test_a_four_point_register_uses_its_own_bands_and_refuses_fives(users):
    register = services.risk_register_create(title="Gold Group risks", user=users["analyst"], scale=4)
    assert (register.high_from, register.medium_from) == (9, 4)
    risk = services.risk_create(register=register, user=users["analyst"], title="Falling satisfaction", likelihood=3,
                                impact=3)
    assert risk.band == "high"
    with pytest.raises(ValidationError, match="Score the impact from 1 to 4"):
        services.risk_create(register=register, user=users["analyst"], title="x", likelihood=1, impact=5)
    with pytest.raises(ValidationError, match="medium < high"):
        services.risk_register_create(title="Bad bands", user=users["analyst"], scale=4, high_from=4, medium_from=6)


def test_a_review_is_kept_with_its_scores_and_a_late_review_shows(client, users, register):
    risk = services.risk_create(register=register, user=users["analyst"], title="Tension", likelihood=4, impact=5)
    Risk.objects.filter(pk=risk.pk).update(last_reviewed_on=timezone.localdate() - dt.timedelta(days=45))
    risk.refresh_from_db()
    assert risk.review_overdue()
    client.force_login(users["analyst"])
    response = client.post(reverse("plans:risk_review", args=[risk.pk]),
                           {"likelihood": 2, "impact": 5, "status": "open", "note": "Tension monitoring in place"})
    assert response.status_code == 302
    risk.refresh_from_db()
    assert (risk.score, risk.band, risk.review_overdue()) == (10, "medium", False)
    assert [r.score for r in risk.reviews.all()] == [10, 20]
    data = client.get(reverse("plans:risk", args=[risk.pk]), {"format": "json"}).json()
    assert data["risk"]["band"] == "Medium" and len(data["reviews"]) == 2
    bad = client.post(reverse("plans:risk_review", args=[risk.pk]), {"likelihood": 9, "impact": 5, "status": "open"})
    assert bad.status_code == 400 and 'role="alert"' in bad.content.decode()


def test_mitigations_are_plan_actions_with_their_rag(client, users, register):
    risk = services.risk_create(register=register, user=users["analyst"], title="Tension", likelihood=4, impact=5)
    action = Action.objects.get(ref="4.1.A")
    client.force_login(users["analyst"])
    assert client.post(reverse("plans:mitigation_add", args=[risk.pk]), {"action": action.pk}).status_code == 302
    twice = client.post(reverse("plans:mitigation_add", args=[risk.pk]), {"action": action.pk})
    assert twice.status_code == 400 and "already a mitigation" in twice.content.decode()
    page = client.get(reverse("plans:risk", args=[risk.pk])).content.decode()
    assert "4.1.A" in page and "rag-green" in page and "Green" in page
    register_rows = client.get(reverse("plans:risk_register", args=[register.pk]), {"format": "json"}).json()
    assert register_rows["risks"][0]["mitigations"] == "4.1.A"
    mitigation = risk.mitigations.get()
    client.post(reverse("plans:mitigation_remove", args=[mitigation.pk]))
    mitigation.refresh_from_db()
    assert mitigation.archived  # kept, not deleted


def test_board_members_read_registers_but_cannot_change_them(client, users, register):
    risk = services.risk_create(register=register, user=users["analyst"], title="Tension", likelihood=4, impact=5)
    client.force_login(users["board_member"])
    assert client.get(reverse("plans:risk_registers")).status_code == 200
    assert client.get(reverse("plans:risk_register", args=[register.pk])).status_code == 200
    assert client.post(reverse("plans:risk_review", args=[risk.pk]),
                       {"likelihood": 1, "impact": 1, "status": "closed"}).status_code == 403
    xlsx = client.get(reverse("plans:risk_register", args=[register.pk]), {"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxml")
