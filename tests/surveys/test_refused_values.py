"""A refused file keeps only the values its problems need, and loses them all after refused_values_days."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from citizenfocus.surveys.importing import ImportRefused, survey_import
from citizenfocus.surveys.models import ImportBatch, PurgeRecord, ResponseAccess, Survey
from citizenfocus.surveys.retention import survey_purge

from .conftest import TODAY, USS_COLUMNS, uss_row, write_csv

pytestmark = pytest.mark.django_db
LONG_ID = "VICTIM-" + "9" * 70


@pytest.fixture
def refused(areas, tmp_path):
    rows = [uss_row(1, response_id=LONG_ID), uss_row(2, ethnicity="Martian"), uss_row(3, neighbourhood="Hightwon"),
            uss_row(4, whole_experience="7x"), uss_row(5, sex="Unknown-Gender")]
    path = write_csv(tmp_path / "bad.csv", rows, columns=USS_COLUMNS)
    with pytest.raises(ImportRefused) as caught:
        survey_import(path=path, survey="uss", today=TODAY, user_name="analyst")
    return caught.value.batch


def _values(problems) -> dict:
    return {p["row"]: p["value"] for p in problems}


def test_the_import_stored_the_values_as_found(refused):
    # The import pipeline (surveys/importing) stores its problems as found: masked on display and by purge.
    assert _values(refused.errors)[2].startswith("VICTIM-")


def test_the_batch_page_masks_personal_values_and_keeps_coded_ones(client, users, refused):
    client.force_login(users["analyst"])
    url = reverse("surveys:batch", args=[refused.pk])
    html = client.get(url).content.decode()
    assert "Hightwon" in html and "7x" in html  # coded columns: the spelling is what needs fixing
    assert "VICTIM-" not in html and "Martian" not in html and "Unknown-Gender" not in html
    assert "personal value not kept: 77 characters" in html

    values = _values(client.get(url, {"format": "json"}).json()["errors"])
    assert values[4] == "Hightwon" and values[5] == "7x"
    assert values[2] == "(personal value not kept: 77 characters)"
    assert values[3].startswith("(personal value not kept") and values[6].startswith("(personal value not kept")
    csv_text = b"".join(client.get(url, {"format": "csv"}).streaming_content).decode("utf-8-sig")
    assert "VICTIM-" not in csv_text and "Martian" not in csv_text and "Hightwon" in csv_text
    sheet = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content)).active
    assert not any("VICTIM-" in str(c.value) for row in sheet.iter_rows() for c in row)


def test_the_problems_keep_their_row_column_and_reason(client, users, refused):
    client.force_login(users["analyst"])
    problems = client.get(reverse("surveys:batch", args=[refused.pk]), {"format": "json"}).json()["errors"]
    by_row = {p["row"]: p for p in problems}
    assert by_row[2]["column"] == "response_id" and "too long for a response id" in by_row[2]["expected"]
    assert by_row[3]["column"] == "ethnicity" and "not a known ethnicity" in by_row[3]["expected"]


def test_viewing_a_refused_files_values_is_logged_and_never_cached(client, users, refused):
    client.force_login(users["analyst"])
    for params in ({}, {"format": "json"}, {"format": "csv"}, {"format": "xlsx"}):
        response = client.get(reverse("surveys:batch", args=[refused.pk]), params)
        assert "no-store" in response["Cache-Control"], params
    logged = ResponseAccess.objects.filter(kind="batch")
    assert logged.count() == 4
    assert {(a.who, a.filters["batch"], a.rows) for a in logged} == {(users["analyst"], refused.pk, 5)}


def test_purge_masks_the_stored_personal_values_of_a_recent_refusal(refused):
    survey_purge(survey=Survey.objects.get(key="uss"), who_name="dpo", today=timezone.localdate())

    refused.refresh_from_db()
    values = _values(refused.errors)
    assert values[4] == "Hightwon" and values[2] == "(personal value not kept: 77 characters)"
    assert not any("Martian" in v or "VICTIM" in v for v in values.values())
    assert refused.values_removed_at is None
    assert PurgeRecord.objects.get(kind="refused_masked").count == 1


def test_purge_removes_every_value_once_the_refusal_is_older_than_refused_values_days(client, users, refused):
    thirty_one_days_on = timezone.localdate(refused.started_at) + dt.timedelta(days=31)

    survey_purge(survey=Survey.objects.get(key="uss"), who_name="dpo", today=thirty_one_days_on)

    refused.refresh_from_db()
    assert {p["value"] for p in refused.errors} == {""}
    assert [(p["row"], p["column"]) for p in refused.errors][:2] == [(2, "response_id"), (3, "ethnicity")]
    assert all(p["expected"] for p in refused.errors)
    assert refused.values_removed_at is not None and refused.error_count == 5
    record = PurgeRecord.objects.get(kind="refused_removed")
    assert (record.count, record.cutoff) == (1, thirty_one_days_on - dt.timedelta(days=30))
    client.force_login(users["analyst"])
    page = client.get(reverse("surveys:batch", args=[refused.pk])).content.decode()
    assert "The values were removed on" in page and "Hightwon" not in page


def test_a_refusal_within_refused_values_days_keeps_its_coded_values(refused):
    twenty_days_on = timezone.localdate(refused.started_at) + dt.timedelta(days=20)

    survey_purge(survey=Survey.objects.get(key="uss"), today=twenty_days_on)

    assert "Hightwon" in {p["value"] for p in ImportBatch.objects.get(pk=refused.pk).errors}
