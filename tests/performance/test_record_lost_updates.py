"""A record's form opened before someone else's change is refused, naming who changed it and when."""

import pytest
from django.urls import reverse
from django.utils import timezone

from citizenfocus.performance import services
from citizenfocus.performance.models import ChangePoint, PeerFigure, RecordEvent, Target

pytestmark = pytest.mark.django_db


def _opened(client, kind: str, record) -> dict:
    """The Edit form's fields as the page gave them: what the person's browser will send back."""
    form = client.get(reverse(f"performance:{kind}"), {"edit": record.pk}).context["form"]
    data = {name: form[name].value() for name in form.fields}
    return {**{k: ("" if v is None else v) for k, v in data.items()}, "id": record.pk}


@pytest.fixture
def two_analysts(client, make_user):
    from django.test import Client

    first, second = make_user("analyst", "first-analyst"), make_user("analyst", "second-analyst")
    other = Client()
    client.force_login(first)
    other.force_login(second)
    return client, other


@pytest.fixture
def target(users):
    return services.target_create(user=users["analyst"], survey_key="uss", measure="whole_experience", group="all",
                                  division=None, neighbourhood=None, rate=0.8, note="Police and crime plan")


def test_a_stale_target_form_is_refused_with_who_and_when_and_nothing_is_lost(two_analysts, target):
    mine, theirs = two_analysts
    my_form = _opened(mine, "targets", target)
    their_form = _opened(theirs, "targets", target)
    assert theirs.post(reverse("performance:targets"), {**their_form, "note": "Revised plan"}).status_code == 302

    refused = mine.post(reverse("performance:targets"), {**my_form, "rate": "85"})

    assert refused.status_code == 409
    text = refused.content.decode()
    their_change = RecordEvent.objects.filter(field="note").get()
    assert f"changed by second-analyst at {timezone.localtime(their_change.at):%H:%M} since you opened it" in text
    stored = Target.objects.get()
    assert (stored.rate, stored.note, stored.version) == (0.8, "Revised plan", 2)
    # the person's own value is still in the form, now on the current version: saving again is deliberate
    form = refused.context["form"]
    assert form["rate"].value() == "85" and str(form["version"].value()) == "2"
    again = mine.post(reverse("performance:targets"), {**my_form, "rate": "85", "note": "Revised plan", "version": 2})
    assert again.status_code == 302
    stored.refresh_from_db()
    assert (stored.rate, stored.note, stored.version) == (0.85, "Revised plan", 3)


def test_a_stale_peer_figure_form_is_refused(two_analysts, users):
    mine, theirs = two_analysts
    services.peer_figures_store(user=users["analyst"], rows=[{
        "survey_key": "uss", "measure": "whole_experience", "period": "rolling12:2014-03",
        "force_name": "Eastmoor Police", "rate": 0.812, "n": 1500, "deft": 1.0, "source": "MSF table"}])
    figure = PeerFigure.objects.get()
    my_form, their_form = _opened(mine, "peer_figures", figure), _opened(theirs, "peer_figures", figure)
    theirs.post(reverse("performance:peer_figures"), {**their_form, "n": "1510"})

    refused = mine.post(reverse("performance:peer_figures"), {**my_form, "rate": "80"})

    assert refused.status_code == 409 and "changed by second-analyst at" in refused.content.decode()
    assert (PeerFigure.objects.get().n, PeerFigure.objects.get().rate) == (1510, 0.812)


def test_a_file_import_after_the_form_was_opened_makes_the_form_stale(two_analysts, users):
    mine, _ = two_analysts
    row = {"survey_key": "uss", "measure": "whole_experience", "period": "rolling12:2014-03",
           "force_name": "Eastmoor Police", "rate": 0.812, "n": 1500, "deft": 1.0, "source": "MSF table"}
    services.peer_figures_store(user=users["analyst"], rows=[row])
    my_form = _opened(mine, "peer_figures", PeerFigure.objects.get())
    services.peer_figures_store(user=users["administrator"], rows=[{**row, "rate": 0.809}], note="from revised.csv")

    refused = mine.post(reverse("performance:peer_figures"), {**my_form, "source": "MSF table (checked)"})

    assert refused.status_code == 409 and "changed by administrator-user at" in refused.content.decode()
    assert PeerFigure.objects.get().rate == 0.809


def test_archiving_a_change_point_from_a_stale_page_is_refused(two_analysts, users):
    mine, theirs = two_analysts
    point = services.change_point_record(user=users["analyst"], survey_key="uss", measure="",
                                         month=timezone.localdate().replace(day=1), reason="new call handling")
    theirs.post(reverse("performance:change_point_archive", args=[point.pk]), {"version": 1})

    refused = mine.post(reverse("performance:change_point_archive", args=[point.pk]), {"version": 1})

    assert refused.status_code == 409 and "changed by second-analyst at" in refused.content.decode()
    assert ChangePoint.objects.get().version == 2


def test_a_target_added_twice_is_refused_at_the_form_not_duplicated(two_analysts):
    mine, theirs = two_analysts
    new = {"survey_key": "uss", "measure": "treatment", "group": "bme", "rate": "90", "note": ""}
    assert theirs.post(reverse("performance:targets"), new).status_code == 302

    refused = mine.post(reverse("performance:targets"), {**new, "rate": "91"})

    assert refused.status_code == 400
    assert "There is already a target for this survey, measure, group and area" in refused.content.decode()
    assert Target.objects.get().rate == 0.9


def test_a_service_call_without_a_version_changes_the_record_as_it_is_now(users, target):
    services.target_edit(target_id=target.pk, version=None, user=users["analyst"], note="Scripted")
    assert Target.objects.get().version == 2
    with pytest.raises(services.StaleRecord, match="changed by analyst-user at"):
        services.target_edit(target_id=target.pk, version=1, user=users["analyst"], rate=0.5)
