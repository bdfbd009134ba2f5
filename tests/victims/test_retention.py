"""Named-victim data is kept no longer than its retention; the compliance figures stay the same."""

from datetime import date, datetime

import pytest
from django.utils import timezone
from typer.testing import CliRunner

from citizenfocus.cli import app
from citizenfocus.victims.compliance import case_results, compliance_rows
from citizenfocus.victims.models import VictimPurge, VictimRecord, VictimRecordAccess
from citizenfocus.victims.retention import victims_purge
from citizenfocus.victims.rules import Rules

from .conftest import AS_AT

RULES = Rules()


def _figures():
    records = VictimRecord.objects.prefetch_related("events").select_related("division", "team")
    return compliance_rows(case_results(records, RULES, AS_AT), by=("division", "ethnic_group"))


@pytest.mark.django_db
def test_a_case_closed_past_retention_is_anonymised_and_the_figures_stay(victims):
    before = _figures()
    VictimRecordAccess.objects.create(who_name="old", kind="page",
                                      at=timezone.make_aware(datetime(2024, 2, 1, 12)))
    # 1 March 2026 less 24 months: cases closed before 1 March 2024 go (NV/24/0006 closed 9 February 2024).
    result = victims_purge(rules=RULES, today=date(2026, 3, 15), who_name="dpo")
    assert (result.cases, result.case_cutoff) == (1, date(2024, 3, 1))
    assert result.access_log == 1 and not VictimRecordAccess.objects.filter(who_name="old").exists()
    gone = VictimRecord.objects.get(closed_on=date(2024, 2, 9))
    assert gone.crime_reference == f"ANON-{gone.pk}" and gone.victim_id == ""
    assert VictimRecord.objects.filter(crime_reference="NV/24/0001").exists()
    assert _figures() == before
    assert set(VictimPurge.objects.values_list("kind", "who_name")) == {
        ("cases", "dpo"), ("access_log", "dpo"), ("callback_notes", "dpo")}
    assert victims_purge(rules=RULES, today=date(2026, 3, 15), who_name="dpo").cases == 0


@pytest.mark.django_db
def test_purge_reports_victims_and_a_dry_run_changes_nothing(victims):
    result = CliRunner().invoke(app, ["purge", "--dry-run", "--user", "dpo"])
    assert result.exit_code == 0, result.output
    assert "victims: would anonymise 1 cases closed before" in result.output
    assert VictimRecord.objects.filter(crime_reference__startswith="ANON-").count() == 0
    assert not VictimPurge.objects.exists()
