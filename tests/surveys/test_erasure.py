"""Subject access and erasure for one respondent: `citizenfocus respondent show|erase SURVEY RESPONSE_ID`."""

import json

import pytest
from django.db import connection
from typer.testing import CliRunner

from citizenfocus.cli import app
from citizenfocus.surveys.importing import ImportRefused, survey_import
from citizenfocus.surveys.models import Erasure, ImportBatch, Response, ResponseAccess, WithheldRows

from .conftest import TODAY, USS_COLUMNS, uss_row, write_csv

pytestmark = pytest.mark.django_db
runner = CliRunner()
VICTIM = uss_row(7, comment="The officer never rang back", ethnicity="B2", disability="Yes")


def _import(tmp_path, rows, name="april.csv"):
    return survey_import(path=write_csv(tmp_path / name, rows, columns=USS_COLUMNS), survey="uss", today=TODAY,
                         user_name="analyst")


def _show(response_id="U00007"):
    result = runner.invoke(app, ["respondent", "show", "uss", response_id, "--user", "dpo"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_show_prints_everything_stored_about_the_respondent_as_json(areas, tmp_path):
    batch = _import(tmp_path, [uss_row(1), VICTIM]).batch

    record = _show()

    stored = record["response"]
    assert (record["survey"], record["response_id"]) == ("uss", "U00007")
    assert (stored["comment"], stored["ethnicity"], stored["disability"], stored["ward"]) == (
        "The officer never rang back", "B2", "Yes", "Castle")
    assert (stored["recontact_consent"], stored["incident_date"], stored["answers"]["kept_informed"]) == (True, "2013-04-02", 5)
    assert stored["stored_by_import"] == {"batch": batch.pk, "file_name": "april.csv", "imported_by": "analyst",
                                          "at": batch.started_at.isoformat(timespec="seconds")}
    assert record["erasure"] is None and record["retention"]["months"] == 24


def test_show_is_logged_as_an_access_to_that_respondent(areas, tmp_path):
    _import(tmp_path, [VICTIM])
    _show()
    entry = ResponseAccess.objects.get()
    assert (entry.kind, entry.who_name, entry.rows, entry.filters) == (
        "respondent", "dpo", 1, {"survey": "uss", "response_id": "U00007"})


def test_show_includes_a_refused_files_problems_that_quote_the_id(areas, tmp_path):
    with pytest.raises(ImportRefused):
        _import(tmp_path, [VICTIM, uss_row(8, response_id="U00007")], name="twice.csv")
    [refused] = _show()["refused_imports"]
    assert refused["file_name"] == "twice.csv" and refused["problems"][0]["row"] == 3


def test_erase_deletes_the_response_and_records_who_when_and_why(areas, tmp_path, make_user):
    _import(tmp_path, [uss_row(1), VICTIM])
    make_user("administrator", "dpo")

    result = runner.invoke(app, ["respondent", "erase", "uss", "U00007", "--reason", "SAR-2014-031", "--user", "dpo"])

    assert result.exit_code == 0, result.output
    assert "erased (deleted their stored response" in result.output
    assert not Response.objects.filter(response_id="U00007").exists()
    assert Response.objects.filter(response_id="U00001").exists()
    erasure = Erasure.objects.get()
    assert (erasure.response_id, erasure.reason, erasure.deleted, erasure.who.username, erasure.who_name) == (
        "U00007", "SAR-2014-031", True, "dpo", "dpo")
    assert _show()["erasure"]["reason"] == "SAR-2014-031"


def test_a_reimport_of_the_old_file_does_not_bring_an_erased_respondent_back(areas, tmp_path, client, users):
    _import(tmp_path, [uss_row(1), VICTIM])
    runner.invoke(app, ["respondent", "erase", "uss", "U00007", "--reason", "SAR-2014-031"])

    again = _import(tmp_path, [uss_row(1), VICTIM, uss_row(9)], name="april-again.csv")

    assert not Response.objects.filter(response_id="U00007").exists()
    assert Response.objects.filter(response_id="U00009").exists()
    withheld = WithheldRows.objects.get(batch=again.batch)
    assert (withheld.reason, withheld.count) == ("erased", 1)
    client.force_login(users["analyst"])
    from django.urls import reverse

    page = client.get(reverse("surveys:batch", args=[again.batch.pk])).content.decode()
    assert "erased at the respondent&#x27;s request" in page


def test_the_database_itself_withholds_the_row_whatever_writes_it(areas, tmp_path):
    batch = _import(tmp_path, [VICTIM]).batch
    runner.invoke(app, ["respondent", "erase", "uss", "U00007", "--reason", "SAR"])
    with connection.cursor() as cursor:  # a plain INSERT, as a script (or the import's bulk writer) would do
        cursor.execute(
            "INSERT INTO surveys_response (survey_id, response_id, interview_date, crime_type, division_id, ethnicity,"
            " age_band, sex, disability, weight, comment, batch_id, row_hash) VALUES"
            " (%s, 'U00007', %s, '', %s, 'W1', '35-44', 'Male', 'No', 1, '', %s, 'x')",
            [batch.survey_id, TODAY, areas["north"].pk, batch.pk],
        )
    assert not Response.objects.filter(response_id="U00007").exists()
    assert WithheldRows.objects.get(batch=batch).count == 1


def test_erase_refuses_an_id_that_is_not_stored_unless_told(areas, tmp_path):
    _import(tmp_path, [VICTIM])

    refused = runner.invoke(app, ["respondent", "erase", "uss", "U99999", "--reason", "SAR"])
    assert refused.exit_code == 1 and "no stored uss response has the id 'U99999'" in refused.output
    assert not Erasure.objects.exists()

    told = runner.invoke(app, ["respondent", "erase", "uss", "U99999", "--reason", "SAR", "--not-stored-ok"])
    assert told.exit_code == 0 and "no response was stored" in told.output
    assert Erasure.objects.get().deleted is False


def test_erasing_twice_says_when_it_was_done(areas, tmp_path):
    _import(tmp_path, [VICTIM])
    runner.invoke(app, ["respondent", "erase", "uss", "U00007", "--reason", "SAR", "--user", "dpo"])
    again = runner.invoke(app, ["respondent", "erase", "uss", "U00007", "--reason", "SAR"])
    assert again.exit_code == 1 and "was already erased on" in again.output and "by dpo" in again.output


def test_erase_needs_a_reason(areas, tmp_path):
    _import(tmp_path, [VICTIM])
    result = runner.invoke(app, ["respondent", "erase", "uss", "U00007", "--reason", " "])
    assert result.exit_code == 1 and "give the reason" in result.output
    assert Response.objects.filter(response_id="U00007").exists()


def test_erase_removes_the_values_of_refused_files_that_quote_the_id(areas, tmp_path):
    with pytest.raises(ImportRefused):
        _import(tmp_path, [VICTIM, uss_row(8, response_id="U00007", ethnicity="Martian")], name="twice.csv")
    runner.invoke(app, ["respondent", "erase", "uss", "U00007", "--reason", "SAR", "--not-stored-ok"])
    batch = ImportBatch.objects.get(status="refused")
    assert not any("U00007" in p["value"] or "Martian" in p["value"] for p in batch.errors)
    assert Erasure.objects.get().batches_scrubbed == 1
