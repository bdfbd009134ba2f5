"""The victims' commands: import-victims, victim-queue, victims-compliance, letter, victims-digest."""

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from citizenfocus.cli import app
from citizenfocus.victims.models import VictimEvent, VictimRecord, VictimRecordAccess

from .conftest import AS_AT, FIXTURES

runner = CliRunner()
COMMANDS = ("import-victims", "victim-queue", "victims-compliance", "letter", "victims-digest")
README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_and_a_row_in_the_readme(command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output
    assert re.search(rf"^\| `citizenfocus {command}\b", README, re.M), command


@pytest.mark.django_db
def test_import_victims_stores_and_a_bad_file_fails_with_one_clear_line(small_force, tmp_path):
    ok = runner.invoke(app, ["import-victims", str(FIXTURES / "crimes.csv"), str(FIXTURES / "events.csv"),
                             "--mapping", str(FIXTURES / "mapping.toml")])
    assert ok.exit_code == 0, ok.output
    assert "crimes: 6 new, 0 changed, 0 unchanged; events: 11 new" in ok.output
    bad = tmp_path / "bad.csv"
    bad.write_text("Crime Number,Offence Type,Date Reported,BCU,Victim Ref\nNV/9,Theft,01/03/2024,North,P9\n",
                   encoding="utf-8")
    refused = runner.invoke(app, ["import-victims", str(bad)])
    assert refused.exit_code == 1
    assert 'bad.csv row 2, column "Offence Type": "Theft" is not a known crime type' in refused.output
    assert "error: refused, nothing stored: 1 problem" in refused.output
    assert VictimRecord.objects.count() == 6


@pytest.mark.django_db
def test_victim_queue_lists_one_row_per_case_with_why_and_is_logged(victims):
    result = runner.invoke(app, ["victim-queue", "--team", "North Team A", "--as-at", AS_AT.isoformat(),
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [(r["crime"], r["due_on"], r["days_left"], r["rag"]) for r in rows] == [
        ("NV/24/0002", "2024-03-25", 0, "red"), ("NV/24/0003", "2024-04-11", 17, "green"),
        ("NV/24/0001", "2024-04-19", 25, "green")]
    assert VictimRecordAccess.objects.filter(kind="command", rows=3).exists()
    csv_out = runner.invoke(app, ["victim-queue", "--officer", "PC 201", "--as-at", AS_AT.isoformat(),
                                  "--format", "csv"])
    assert csv_out.output.splitlines() == ["crime,due_on,days_left,rag,status,what,why",
                                           "NV/24/0004,2024-04-08,14,green,Green: 14 days left,28-day update,"
                                           "last contact Mon 11 Mar 2024"]
    assert runner.invoke(app, ["victim-queue", "--format", "xml"]).exit_code == 1


@pytest.mark.django_db
def test_victims_compliance_gives_rates_with_bases_and_refuses_an_unknown_grouping(victims):
    result = runner.invoke(app, ["victims-compliance", "--by", "ethnic_group", "--period", "quarter:2024-Q1"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    bme = {r["measure"]: (r["met"], r["n"]) for r in data["rows"] if r["group"]["ethnic_group"] == "bme"}
    assert bme["acknowledgement"] == (2, 3)
    bad = runner.invoke(app, ["victims-compliance", "--by", "postcode"])
    assert bad.exit_code == 1 and "unknown --by postcode" in bad.output


@pytest.mark.django_db
def test_letter_writes_the_file_and_refuses_a_language_without_a_template(victims, tmp_path):
    from citizenfocus.victims.demo_load import demo_letter_templates

    demo_letter_templates()
    out = tmp_path / "letter.docx"
    result = runner.invoke(app, ["letter", "NV/24/0003", "--event", "update", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:2] == b"PK"
    missing = runner.invoke(app, ["letter", "NV/24/0005", "--event", "update", "-o", str(tmp_path / "x.docx")])
    assert missing.exit_code == 1 and "no update template in 'ro'" in missing.output
    assert VictimEvent.objects.filter(kind="letter_not_sent", record__crime_reference="NV/24/0005").exists()
    assert runner.invoke(app, ["letter", "NV/99", "--event", "update", "-o", str(out)]).exit_code == 1


@pytest.mark.django_db
def test_the_digest_mails_each_officer_and_team_leader_their_urgent_cases(victims, mailoutbox):
    victims["officer"].email = "pc101@example.org"
    victims["officer"].save()
    result = runner.invoke(app, ["victims-digest", "--as-at", AS_AT.isoformat()])
    assert result.exit_code == 0, result.output
    assert "pc101@example.org: 1 case" in result.output
    assert "not sent: supervisor-user has no e-mail address (1 case)" in result.output
    [mail] = mailoutbox
    assert mail.subject == "Victims' Code: 0 breached, 1 due within 5 days (your cases)"
    assert "NV/24/0002 (Violent crime): Red: due today: tell the victim of the arrest by 2024-03-25" in mail.body
