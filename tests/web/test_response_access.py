"""Individual responses: every view and export logged (who, when, what filter), never cached; the log read in admin."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from citizenfocus.areas.models import Neighbourhood
from citizenfocus.surveys.models import ImportBatch, Response, ResponseAccess
from citizenfocus.surveys.services import survey_for

from ..support import store_responses_with_answers

FORMATS = {"page": {}, "json": {"format": "json"}, "csv": {"format": "csv"}, "xlsx": {"format": "xlsx"}}


@pytest.fixture
def stored(small_force):
    survey = survey_for("uss")
    now = timezone.now()
    batch = ImportBatch.objects.create(
        survey=survey, imported_by_name="analyst-user", source="web", started_at=now, finished_at=now,
        file_name="april.csv", file_sha256="a" * 64, status="stored", rows_read=6, rows_new=6,
    )
    hoods = list(Neighbourhood.objects.select_related("division"))
    store_responses_with_answers(
        (Response(survey=survey, response_id=f"R{i:04d}", interview_date=dt.date(2014, 1, 1 + i), crime_type="asb",
                  division=hoods[i % 3].division, neighbourhood=hoods[i % 3], ethnicity="W1", age_band="25-34",
                  sex="Female", disability="No", weight=1.0, batch=batch, row_hash=str(i)), {"whole_experience": 1})
        for i in range(6)
    )
    return batch


@pytest.mark.parametrize("kind", FORMATS)
def test_each_view_or_export_of_responses_is_logged_with_who_and_the_filter(client, users, stored, kind):
    client.force_login(users["analyst"])
    lowford = Neighbourhood.objects.get(name="Lowford")

    response = client.get(reverse("surveys:responses"), {"neighbourhood": lowford.pk, **FORMATS[kind]})

    assert response.status_code == 200
    entry = ResponseAccess.objects.get()
    assert (entry.who, entry.who_name, entry.kind) == (users["analyst"], "analyst-user", kind)
    assert entry.filters == {"neighbourhood": str(lowford.pk)}
    assert entry.rows == 2 and entry.at is not None
    assert entry.path.startswith("/data/responses/")


@pytest.mark.parametrize("kind", FORMATS)
def test_responses_are_never_cached_in_any_format(client, users, stored, kind):
    client.force_login(users["analyst"])
    response = client.get(reverse("surveys:responses"), FORMATS[kind])
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_a_refused_filter_is_not_cached_either(client, users, stored):
    client.force_login(users["analyst"])
    response = client.get(reverse("surveys:responses"), {"date_from": "2014-03-01", "date_to": "2014-01-01"})
    assert response.status_code == 400 and "no-store" in response["Cache-Control"]


def test_board_members_are_refused_and_nothing_is_logged(client, users, stored):
    client.force_login(users["board_member"])
    assert client.get(reverse("surveys:responses")).status_code == 403
    assert not ResponseAccess.objects.exists()


def test_administrators_read_the_log_in_the_admin_and_nobody_can_change_it(client, users, stored):
    client.force_login(users["analyst"])
    client.get(reverse("surveys:responses"), {"q": "R00"})
    entry = ResponseAccess.objects.get()

    client.force_login(users["administrator"])
    listing = client.get(reverse("admin:surveys_responseaccess_changelist"))
    assert listing.status_code == 200 and "analyst-user" in listing.content.decode()
    assert client.get(reverse("admin:surveys_responseaccess_change", args=[entry.pk])).status_code == 200
    assert client.get(reverse("admin:surveys_responseaccess_add")).status_code == 403
    assert client.post(reverse("admin:surveys_responseaccess_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    assert ResponseAccess.objects.count() == 1

    client.force_login(users["analyst"])  # not staff: the admin is for administrators
    assert client.get(reverse("admin:surveys_responseaccess_changelist")).status_code == 302
