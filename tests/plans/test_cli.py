"""`citizenfocus import-plan` and `export-plan`: the same import and export as the pages."""

import pytest
from docx import Document
from typer.testing import CliRunner

from citizenfocus.cli import app
from citizenfocus.demo import action_plan as bme_plan
from citizenfocus.plans.models import Action, Meeting, Plan, PlanImport

pytestmark = pytest.mark.django_db
runner = CliRunner()


def test_import_plan_reads_saves_and_says_what_it_found(plan_docx, users):
    result = runner.invoke(app, ["import-plan", str(plan_docx), "--owning-body", "Police Authority",
                                 "--user", "analyst-user"])
    assert result.exit_code == 0, result.output
    plan = Plan.objects.get()
    assert result.stdout.splitlines() == [
        f"bme-action-plan.docx: '{bme_plan.TITLE}': 5 recommendations, 8 responses, 10 actions "
        "(table 2, header in row 1)",
        "legend: #00B050 = Completed; #FFC000 = Work Underway; #FF0000 = Not Started",
        f"saved as plan {plan.pk}: {bme_plan.TITLE}",
    ]
    assert plan.owning_body == "Police Authority" and Action.objects.count() == 10
    assert PlanImport.objects.get().uploaded_by == users["analyst"]


def test_a_dry_run_saves_nothing(plan_docx):
    result = runner.invoke(app, ["import-plan", str(plan_docx), "--dry-run", "--notes"])
    assert result.exit_code == 0 and "dry run: nothing saved" in result.stdout
    assert "continues the row above" in result.stdout
    assert not Plan.objects.exists() and PlanImport.objects.get().status == "cancelled"


def test_unreadable_cells_stop_the_import_unless_accepted(tmp_path):
    rows = list(bme_plan.ROWS)
    rows[0] = rows[0][:5] + ("Purple", None, "Dec 2011")
    path = tmp_path / "bad.docx"
    bme_plan.build(path, rows=rows)
    result = runner.invoke(app, ["import-plan", str(path)])
    assert result.exit_code == 1
    assert "bad.docx: table 2, row 2, Progress: 'Purple': a status" in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("error: bad.docx: 1 cell could not be read")
    assert not Plan.objects.exists()
    accepted = runner.invoke(app, ["import-plan", str(path), "--accept-problems"])
    assert accepted.exit_code == 0 and Plan.objects.count() == 1


def test_a_file_without_a_plan_is_one_clear_line(tmp_path):
    document = Document()
    document.add_paragraph("Nothing here")
    path = tmp_path / "empty.docx"
    document.save(str(path))
    result = runner.invoke(app, ["import-plan", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: empty.docx: no table with a header row naming the plan's columns")
    bad_source = runner.invoke(app, ["import-plan", str(path), "--source", "rumour"])
    assert bad_source.exit_code == 1 and "--source must be one of" in bad_source.stderr


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "csv"])
def test_export_plan_writes_each_format(imported, users, tmp_path, fmt):
    target = tmp_path / f"board.{fmt}"
    result = runner.invoke(app, ["export-plan", str(imported.pk), "--format", fmt, "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {target}\n" and target.stat().st_size > 1000


def test_export_plan_by_title_with_changes_since_a_meeting(imported, users, tmp_path):
    from django.utils import timezone

    from citizenfocus.plans import services

    meeting = services.meeting_record(plan=imported, user=users["analyst"], title="Board",
                                      held_on=timezone.localdate())
    target = tmp_path / "board.docx"
    result = runner.invoke(app, ["export-plan", imported.title, "--since", str(meeting.pk), "-o", str(target)])
    assert result.exit_code == 0, result.output
    table = Document(str(target)).tables[1]
    assert table.rows[0].cells[-1].text.startswith("Changed since Board")
    missing = runner.invoke(app, ["export-plan", "No such plan"])
    assert missing.exit_code == 1 and missing.stderr.startswith("error: no plan 'No such plan'")
    wrong = runner.invoke(app, ["export-plan", str(imported.pk), "--since", str(Meeting.objects.get().pk + 1)])
    assert wrong.exit_code == 1 and "has no meeting" in wrong.stderr


def test_a_forces_real_plan_imports_without_accepting_anything(tmp_path):
    from .fixtures import scrutiny_word

    path = tmp_path / "scrutiny.docx"
    scrutiny_word.build(path)
    result = runner.invoke(app, ["import-plan", str(path), "--source", "scrutiny_panel"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    plan = Plan.objects.get()
    assert (plan.title, plan.reporting_date.isoformat()) == (scrutiny_word.TITLE, "2014-03-31")
    assert not Action.objects.filter(status__in=["not_started", "unknown"]).exists()
