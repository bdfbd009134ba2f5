"""`citizenfocus purge`: responses past their survey's retention anonymised, on record, and never brought back."""

import datetime as dt

import pytest
from django.urls import reverse
from typer.testing import CliRunner

from citizenfocus.cli import app
from citizenfocus.surveys.definition import DefinitionError, parse_definition, shipped_definitions
from citizenfocus.surveys.importing import survey_import
from citizenfocus.surveys.models import PurgeRecord, Response, Survey, WithheldRows
from citizenfocus.surveys.retention import months_before, survey_purge

from .conftest import USS_COLUMNS, uss_row, write_csv

pytestmark = pytest.mark.django_db
TODAY = dt.date(2013, 12, 1)  # the uss default keeps 24 months: the cut-off is 1 Dec 2011
OLD = uss_row(1, interview_date="2011-05-10", incident_date="2011-03-28", comment="The officer was called Smith",
              sex="Male", disability="Yes", ethnicity="A2", age_band="25-34")
RECENT = uss_row(2, interview_date="2013-06-14", comment="Kept me informed")


def _import(tmp_path, rows, name="survey.csv", user_name="analyst"):
    path = write_csv(tmp_path / name, rows, columns=USS_COLUMNS)
    return survey_import(path=path, survey="uss", today=TODAY, user_name=user_name)


def test_the_retention_period_is_in_the_definition_with_a_documented_default():
    assert shipped_definitions()["uss"].retention_months == 24
    assert shipped_definitions()["uss"].refused_values_days == 30
    own = parse_definition({"key": "own", "name": "Own", "measures": [], "retention": {"months": 36}})
    assert (own.retention_months, own.refused_values_days) == (36, 30)
    with pytest.raises(DefinitionError, match="retention months must be a whole number of at least 1"):
        parse_definition({"key": "own", "name": "Own", "measures": [], "retention": {"months": "two years"}})


def test_the_cutoff_is_the_first_of_the_month_that_many_months_back():
    assert months_before(dt.date(2013, 12, 17), 24) == dt.date(2011, 12, 1)
    assert months_before(dt.date(2014, 1, 31), 1) == dt.date(2013, 12, 1)


def test_a_response_past_retention_keeps_only_what_the_figures_need(areas, tmp_path):
    _import(tmp_path, [OLD, RECENT])

    result = survey_purge(survey=Survey.objects.get(key="uss"), who_name="dpo", today=TODAY)

    assert (result.anonymised, result.cutoff) == (1, dt.date(2011, 12, 1))
    old = Response.objects.get(interview_date__lt=dt.date(2011, 12, 1))
    assert old.response_id == f"~anon-{old.pk}" and old.anonymised_on == TODAY
    assert (old.interview_date, old.incident_date) == (dt.date(2011, 5, 1), dt.date(2011, 3, 1))
    assert (old.comment, old.recontact_consent, old.ward, old.sex, old.disability) == (
        "", None, None, "Not stated", "Not stated")
    # what every figure is computed from stays as it was
    assert (old.ethnicity, old.age_band, old.crime_type, old.division.name, old.neighbourhood.name) == (
        "A2", "25-34", "domestic_burglary", "Northern", "Hightown Central")
    assert (old.codes(), old.weight) == ({"actions_taken": 2, "ease_of_contact": 1, "kept_informed": 5, "treatment": 1, "whole_experience": 3}, 1.0)
    recent = Response.objects.get(response_id="U00002")
    assert (recent.comment, recent.interview_date, recent.anonymised_on) == ("Kept me informed", dt.date(2013, 6, 14),
                                                                             None)


def test_each_purge_is_recorded_with_who_when_the_cutoff_and_how_many(areas, tmp_path, make_user):
    _import(tmp_path, [OLD, RECENT])
    officer = make_user("administrator", "data-protection-officer")
    survey = Survey.objects.get(key="uss")

    survey_purge(survey=survey, user=officer, today=TODAY)
    survey_purge(survey=survey, user=officer, today=TODAY)  # nothing more is due, and that is on record too

    records = list(PurgeRecord.objects.filter(kind="responses").order_by("pk"))
    assert [(r.count, r.cutoff, r.who, r.who_name) for r in records] == [
        (1, dt.date(2011, 12, 1), officer, "data-protection-officer"),
        (0, dt.date(2011, 12, 1), officer, "data-protection-officer"),
    ]
    assert all(r.at for r in records)
    assert Response.objects.filter(anonymised_on__isnull=False).count() == 1


def test_a_dry_run_changes_nothing_and_records_nothing(areas, tmp_path):
    _import(tmp_path, [OLD, RECENT])

    result = survey_purge(survey=Survey.objects.get(key="uss"), today=TODAY, dry_run=True)

    assert result.anonymised == 1
    assert Response.objects.filter(response_id="U00001", comment__startswith="The officer").exists()
    assert not PurgeRecord.objects.exists()


def test_a_reimport_of_an_old_file_after_a_purge_stores_nothing_from_before_the_cutoff(areas, tmp_path, client,
                                                                                       users):
    _import(tmp_path, [OLD, RECENT])
    survey_purge(survey=Survey.objects.get(key="uss"), today=TODAY)

    again = _import(tmp_path, [OLD, RECENT, uss_row(3)], name="the-same-old-file.csv")

    assert Response.objects.count() == 3  # the anonymised one, the recent one, and the new one
    assert not Response.objects.filter(response_id="U00001").exists()
    assert not Response.objects.filter(comment__startswith="The officer").exists()
    withheld = WithheldRows.objects.get(batch=again.batch)
    assert (withheld.reason, withheld.count) == ("retention", 1)
    client.force_login(users["analyst"])
    page = client.get(reverse("surveys:batch", args=[again.batch.pk])).content.decode()
    assert "Not stored" in page and "before the last purge" in page
    listing = client.get(reverse("surveys:data"), {"format": "json"}).json()
    assert {b["id"]: b["rows_withheld"] for b in listing["batches"]}[again.batch.pk] == 1


def test_the_purge_command_says_what_it_would_do_then_does_it(areas, tmp_path):
    # the command purges as of today: every response of 2011 and 2013 is past 24 months
    _import(tmp_path, [OLD, RECENT])
    runner = CliRunner()

    dry = runner.invoke(app, ["purge", "--dry-run", "--user", "dpo"])
    assert dry.exit_code == 0, dry.output
    assert "uss: would anonymise 2 responses" in dry.output and "nothing was changed" in dry.output
    assert not PurgeRecord.objects.exists()

    done = runner.invoke(app, ["purge", "--survey", "uss", "--user", "dpo"])
    assert done.exit_code == 0, done.output
    assert "uss: anonymised 2 responses" in done.output
    assert PurgeRecord.objects.get(kind="responses").who_name == "dpo"

    unknown = runner.invoke(app, ["purge", "--survey", "nope"])
    assert unknown.exit_code == 1 and "no stored survey 'nope'" in unknown.output
