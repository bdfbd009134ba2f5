"""Hate crime records: record-level rows role-scoped and every read logged; pseudonymised past their retention
by `citizenfocus purge` (dry run too, each run recorded); a re-import of a pseudonymised crime adds nothing."""

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from citizenfocus.cli import app
from citizenfocus.equality.hate_crime import hate_crime_import
from citizenfocus.equality.hate_crime_retention import (
    cutoff,
    hate_crime_purge,
    pseudonym,
    retention_years,
)
from citizenfocus.equality.models import HateCrime, HateCrimeAccess, HateCrimePurge

HEADER = ("crime_reference,recorded_date,neighbourhood,strands,actual_religion,perceived_religion,religion_involved,"
          "outcome,repeat_victim\n")
ROWS = ("NV/1001/13,2013-05-14,,religion,Christianity,Islam,Y,Charged,N\n"
        "NV/1002/13,2013-06-02,,race;religion,,Judaism,Y,No further action,Y\n"
        "NV/2001/22,2022-07-19,,race,,,N,Charged,N\n")


@pytest.fixture
def crimes(db, tmp_path):
    path = tmp_path / "hate.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    hate_crime_import(paths=[path], who_name="test")
    return path


@pytest.fixture
def as_role(client, make_user):
    def login(role):
        client.force_login(make_user(role))
        return client
    return login


@pytest.mark.parametrize(("role", "status"), [("administrator", 200), ("analyst", 200), ("board_member", 403),
                                              ("inspector", 403), ("supervisor", 403), ("action_owner", 403)])
def test_record_level_rows_are_for_administrators_and_analysts_only(crimes, as_role, role, status):
    client = as_role(role)
    assert client.get("/equality/hate-crime/records/", {"year": "2013/14"}).status_code == status
    assert client.get("/equality/hate-crime/", {"years": "2012/13,2013/14"}).status_code == 200  # tables for all
    assert HateCrimeAccess.objects.count() == (1 if status == 200 else 0)


def test_every_read_is_logged_with_who_the_filter_and_which_records(crimes, as_role):
    client = as_role("analyst")
    page = client.get("/equality/hate-crime/records/", {"year": "2013/14", "strand": "religion"})
    assert "NV/1001/13" in page.content.decode() and "Islam" in page.content.decode()
    data = client.get("/equality/hate-crime/records/", {"year": "2013/14", "format": "json"}).json()
    assert [r["crime_ref"] for r in data["tables"]["records"]["rows"]] == ["NV/1001/13", "NV/1002/13"]
    csv_rows = list(csv.reader(io.StringIO(b"".join(client.get(
        "/equality/hate-crime/records/", {"year": "2013/14", "table": "records", "format": "csv"})
        .streaming_content).decode("utf-8-sig"))))
    assert csv_rows[0][:2] == ["Crime reference", "Recorded"] and len(csv_rows) == 3
    book = load_workbook(io.BytesIO(client.get("/equality/hate-crime/records/",
                                               {"year": "2022/23", "format": "xlsx"}).content))
    assert book.active.max_row == 2
    log = list(HateCrimeAccess.objects.order_by("at", "pk"))
    assert [a.kind for a in log] == ["page", "json", "csv", "xlsx"]
    assert {a.who_name for a in log} == {"analyst-user"} and log[0].who.username == "analyst-user"
    first = log[0]
    assert first.filters == {"year": "2013/14", "strand": "religion", "neighbourhood": None}
    ids = list(HateCrime.objects.filter(crime_ref__in=["NV/1001/13", "NV/1002/13"]).order_by("recorded_on")
               .values_list("pk", flat=True))
    assert first.records == ids and first.rows == 2 and "strand=religion" in first.path
    assert log[3].records == [HateCrime.objects.get(crime_ref="NV/2001/22").pk]


def test_a_bad_year_is_a_400_naming_it_and_reads_nothing(crimes, as_role):
    response = as_role("analyst").get("/equality/hate-crime/records/", {"year": "2013", "format": "json"})
    assert response.status_code == 400 and "year" in response.json()["errors"]
    assert HateCrimeAccess.objects.count() == 0


def test_the_default_retention_is_six_years_and_configurable(monkeypatch):
    assert retention_years() == 6
    monkeypatch.setenv("CITIZENFOCUS_HATE_CRIME_RETENTION_YEARS", "8")
    assert retention_years() == 8
    monkeypatch.setenv("CITIZENFOCUS_HATE_CRIME_RETENTION_YEARS", "six")
    with pytest.raises(ValueError, match="not a whole number"):
        retention_years()
    assert cutoff(dt.date(2024, 2, 29), 6) == dt.date(2018, 2, 28)


def test_a_pseudonym_is_a_keyed_hash_stable_for_the_same_reference(settings):
    assert pseudonym("NV/1001/13") == pseudonym("NV/1001/13") != pseudonym("NV/1002/13")
    assert pseudonym("NV/1001/13").startswith("HC-") and "1001" not in pseudonym("NV/1001/13")
    before = pseudonym("NV/1001/13")
    settings.PSEUDONYM_KEY = "another key"
    assert pseudonym("NV/1001/13") != before  # keyed: without the key the reference cannot be tested


def test_purge_pseudonymises_records_past_retention_and_keeps_the_tables(crimes):
    from citizenfocus.equality import hate_crime_figures as figures

    perceived = figures.religion_rows("2012/13", "2013/14", field="perceived_religion")
    months = [p.rate for p in figures.monthly_chart("2012/13", "2013/14").points]
    dry = hate_crime_purge(today=dt.date(2026, 12, 6), who_name="dpo", dry_run=True)
    assert (dry.pseudonymised, dry.cutoff, dry.years) == (2, dt.date(2020, 12, 6), 6)
    assert HateCrime.objects.filter(pseudonymised_on__isnull=False).count() == 0 and not HateCrimePurge.objects.exists()
    done = hate_crime_purge(today=dt.date(2026, 12, 6), who_name="dpo")
    assert done.pseudonymised == 2
    old = HateCrime.objects.get(crime_ref=pseudonym("NV/1001/13"))
    assert (old.actual_religion, old.perceived_religion, old.recorded_on) == ("", "Islam", dt.date(2013, 5, 1))
    assert old.pseudonymised_on == dt.date(2026, 12, 6) and old.religion and old.outcome == "Charged"
    assert not HateCrime.objects.filter(crime_ref__startswith="NV/1").exists()
    assert HateCrime.objects.get(crime_ref="NV/2001/22").pseudonymised_on is None  # inside its 6 years
    run = HateCrimePurge.objects.get()
    assert (run.count, run.cutoff, run.years, run.who_name) == (2, dt.date(2020, 12, 6), 6, "dpo")
    # the board's perceived-religion table and monthly chart are the same; the victim's own religion is gone
    assert figures.religion_rows("2012/13", "2013/14", field="perceived_religion") == perceived
    assert [p.rate for p in figures.monthly_chart("2012/13", "2013/14").points] == months
    assert hate_crime_purge(today=dt.date(2026, 12, 6), who_name="dpo").pseudonymised == 0  # done once


def test_a_reimport_of_a_pseudonymised_crime_is_recognised_and_not_duplicated(crimes):
    hate_crime_purge(today=dt.date(2026, 12, 6), who_name="dpo")
    (batch,) = hate_crime_import(paths=[crimes], who_name="test")
    assert (batch.added, batch.changed, batch.unchanged) == (0, 0, 3)
    assert HateCrime.objects.count() == 3
    assert not HateCrime.objects.filter(crime_ref="NV/1001/13").exists()  # the reference is not stored again
    assert HateCrime.objects.get(crime_ref=pseudonym("NV/1001/13")).actual_religion == ""


def test_citizenfocus_purge_runs_it_with_a_dry_run(crimes):
    runner = CliRunner()
    dry = runner.invoke(app, ["purge", "--dry-run", "--hate-crime-years", "6", "--user", "dpo"])
    assert dry.exit_code == 0, dry.stderr
    assert "hate crime: would pseudonymise 2 records recorded before" in dry.stdout
    assert not HateCrimePurge.objects.exists()
    done = runner.invoke(app, ["purge", "--hate-crime-years", "20", "--user", "dpo"])
    assert done.exit_code == 0 and "hate crime: pseudonymised 0 records" in done.stdout
    assert "(retention 20 years)" in done.stdout
    assert HateCrimePurge.objects.get().who_name == "dpo"
