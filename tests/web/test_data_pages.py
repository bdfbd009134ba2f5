"""The analysts' data pages: import batches and the stored responses table."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from citizenfocus.areas.models import Neighbourhood
from citizenfocus.surveys.models import ImportBatch, Response
from citizenfocus.surveys.services import survey_for

from ..support import store_responses_with_answers


@pytest.fixture
def stored(small_force):
    survey = survey_for("uss")
    now = timezone.now()
    batch = ImportBatch.objects.create(
        survey=survey, imported_by_name="analyst-user", source="web", started_at=now, finished_at=now,
        file_name="april.csv", file_sha256="a" * 64, status="stored", rows_read=60, rows_new=60,
    )
    ImportBatch.objects.create(
        survey=survey, imported_by_name="analyst-user", source="web", started_at=now, finished_at=now,
        file_name="bad.csv", file_sha256="b" * 64, status="refused", rows_read=3, error_count=1,
        errors=[{"file": "bad.csv", "row": 3, "column": "neighbourhood", "value": "Hightwon",
                 "expected": "a known neighbourhood; closest: Hightown Central"}],
    )
    hoods = list(Neighbourhood.objects.select_related("division"))
    store_responses_with_answers(
        (Response(
            survey=survey, response_id=f"R{i:04d}", interview_date=dt.date(2014, 1 + i % 3, 1 + i % 27),
            crime_type="vehicle_crime" if i % 2 else "asb", division=hoods[i % 3].division, neighbourhood=hoods[i % 3],
            ethnicity="W1" if i % 4 else "B2", age_band="25-34", sex="Female", disability="No", weight=1.0,
            batch=batch, row_hash=str(i),
        ), {"whole_experience": 3 if i % 5 != 0 else 5, "kept_informed": None if i % 7 == 0 else 1})
        for i in range(60)
    )
    return batch


def test_the_data_page_lists_batches_with_who_file_and_counts(client, users, stored):
    client.force_login(users["analyst"])
    page = client.get(reverse("surveys:data"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "april.csv" in text and "bad.csv" in text and "Refused (nothing changed)" in text
    data = client.get(reverse("surveys:data"), {"format": "json"}).json()
    assert {b["file_name"]: b["status"] for b in data["batches"]} == {"april.csv": "stored", "bad.csv": "refused"}
    assert data["surveys"][0]["responses"] == 60


def test_a_refused_batch_shows_every_problem_with_row_and_column(client, users, stored):
    client.force_login(users["analyst"])
    refused = ImportBatch.objects.get(status="refused")
    text = client.get(reverse("surveys:batch", args=[refused.pk])).content.decode()
    assert "Hightwon" in text and "closest: Hightown Central" in text
    csv_text = b"".join(client.get(reverse("surveys:batch", args=[refused.pk]), {"format": "csv"}).streaming_content)
    assert "bad.csv,3,neighbourhood,Hightwon" in csv_text.decode("utf-8-sig")


def test_the_responses_table_filters_and_paginates(client, users, stored):
    client.force_login(users["analyst"])
    everything = client.get(reverse("surveys:responses"), {"format": "json"}).json()
    assert everything["count"] == 60 and everything["pages"] == 2 and len(everything["results"]) == 50
    lowford = Neighbourhood.objects.get(name="Lowford")
    only = client.get(reverse("surveys:responses"), {"neighbourhood": lowford.pk, "ethnicity": "b2", "format": "json"})
    results = only.json()["results"]
    assert results and all(r["neighbourhood"] == "Lowford" and r["ethnicity"] == "B2" for r in results)
    expected = Response.objects.filter(neighbourhood=lowford, ethnicity="B2").count()
    assert only.json()["count"] == expected


def test_bad_filters_are_shown_at_the_field(client, users, stored):
    client.force_login(users["analyst"])
    response = client.get(reverse("surveys:responses"), {"date_from": "2014-03-01", "date_to": "2014-01-01"})
    assert response.status_code == 400
    assert "The end date is before the start date." in response.content.decode()


def test_the_responses_export_as_csv_and_xlsx_with_every_matching_row(client, users, stored):
    client.force_login(users["analyst"])
    csv_body = b"".join(client.get(reverse("surveys:responses"), {"crime_type": "asb", "format": "csv"}).streaming_content)
    lines = csv_body.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("survey,response_id,interview_date")
    assert len(lines) - 1 == Response.objects.filter(crime_type="asb").count()
    xlsx = client.get(reverse("surveys:responses"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 61


def test_board_members_cannot_see_row_level_data(client, users, stored):
    client.force_login(users["board_member"])
    assert client.get(reverse("surveys:responses")).status_code == 403
    assert client.get(reverse("surveys:data")).status_code == 403
