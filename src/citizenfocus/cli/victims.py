"""`import-victims`, `victim-queue`, `victims-compliance`, `letter`, `victims-digest`: serving victims from the
command line. The command line has the database's whole access (like an administrator); every read of victim
records is logged all the same."""

from __future__ import annotations

import csv
import getpass
import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from .common import fail, setup_django

DB = Annotated[str | None, typer.Option(help="SQLite file or database URL (default: DATABASE_URL)")]


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"--as-at {text!r} is not a date: write YYYY-MM-DD")


def import_victims(
    files: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False, readable=True, metavar="FILE",
                                                help="Crime system exports: a crimes file and/or an events file "
                                                     "(.csv or .xlsx); all are checked, then stored together")],
    mapping: Annotated[Path | None, typer.Option("--mapping", "-m", exists=True, dir_okay=False,
                                                 help="Your export's header names: .toml [columns] or two-column .csv")] = None,
    db: DB = None,
) -> None:
    """Import Victims' Code records (crimes and their events): every row checked, all or nothing, re-import safe."""
    setup_django(db)
    from citizenfocus.surveys.importing.errors import ImportRefused
    from citizenfocus.victims.importing import victims_import

    try:
        summary = victims_import(paths=list(files), mapping=mapping, user_name=getpass.getuser())
    except ImportRefused as refused:
        for problem in refused.errors[:50]:
            typer.echo(str(problem), err=True)
        more = refused.error_count - min(len(refused.errors), 50)
        fail(f"refused, nothing stored: {refused.error_count} problem{'s' * (refused.error_count != 1)}"
             + (f" ({more} more not shown)" if more > 0 else ""))
    typer.echo(str(summary))


def _emit(rows: list[dict], columns, fmt: str) -> None:
    if fmt == "json":
        typer.echo(json.dumps(rows, indent=2, default=str))
        return
    if fmt == "csv":
        from citizenfocus.core.spreadsheet import safe_csv_writer

        writer = safe_csv_writer(csv.writer(sys.stdout))
        writer.writerow(columns)
        writer.writerows([[r.get(c, "") for c in columns] for r in rows])
        return
    for r in rows:
        typer.echo("  ".join(str(r.get(c, "")) for c in columns))


def victim_queue(
    officer: Annotated[str, typer.Option(help="Officer: collar number or user name")] = "",
    team: Annotated[str, typer.Option(help="Team name")] = "",
    division: Annotated[str, typer.Option(help="Division name or code")] = "",
    as_at: Annotated[str | None, typer.Option("--as-at", help="The day to count from, YYYY-MM-DD (default today)")] = None,
    fmt: Annotated[str, typer.Option("--format", help="json, csv or table")] = "table",
    db: DB = None,
) -> None:
    """The Victims' Code queue: one row per open case with something due: reference, due date, days left, RAG, why."""
    if fmt not in ("json", "csv", "table"):
        fail(f"--format {fmt!r}: use json, csv or table")
    setup_django(db)
    from django.contrib.auth.models import AnonymousUser
    from django.utils import timezone

    from citizenfocus.victims.models import VictimRecord
    from citizenfocus.victims.queue import QueueFilter, narrowed, queue_rows
    from citizenfocus.victims.rules import RulesError, load_rules
    from citizenfocus.victims.services import victim_access_record

    filters = QueueFilter(officer, team, division)
    records = narrowed(VictimRecord.objects.all(), filters)
    try:
        rules = load_rules()
    except RulesError as exc:
        fail(str(exc))
    rows = [r.as_dict() for r in queue_rows(records=records, rules=rules, as_at=_day(as_at) or timezone.localdate(),
                                            identified=True)]
    victim_access_record(user=AnonymousUser(), kind="command", filters=filters.as_dict(), rows=len(rows),
                         path="victim-queue")
    _emit(rows, ("crime", "due_on", "days_left", "rag", "status", "what", "why"), fmt)


def victims_compliance(
    by: Annotated[str, typer.Option(help="Comma-separated: division, team, crime_type, ethnic_group, month, quarter")]
    = "division,ethnic_group",
    period: Annotated[str | None, typer.Option(help="rolling12:2014-03, quarter:2013-Q4, fy:2013, month:2014-03")]
    = None,
    fmt: Annotated[str, typer.Option("--format", help="json or csv")] = "json",
    db: DB = None,
) -> None:
    """The PCC's compliance measures by group with intervals, the white − BME gap and kept-informed satisfaction."""
    if fmt not in ("json", "csv"):
        fail(f"--format {fmt!r}: use json or csv")
    setup_django(db)
    from django.utils import timezone

    from citizenfocus.victims.compliance import ComplianceError
    from citizenfocus.victims.compliance_views import TABLES, compliance_result

    try:
        result = compliance_result(by=tuple(b.strip() for b in by.split(",") if b.strip()), period=period,
                                   measure="updates_on_time", as_at=timezone.localdate())
    except ComplianceError as exc:
        fail(str(exc))
    if fmt == "json":
        typer.echo(json.dumps(result, indent=2, default=str))
        return
    rows = [{**r, "group": ", ".join(str(v) for v in r["group"].values())} for r in result["rows"]]
    _emit(rows, TABLES["compliance"], "csv")


def letter(
    crime_ref: Annotated[str, typer.Argument(metavar="CRIME_REF", help="The crime reference")],
    event: Annotated[str, typer.Option(help="acknowledgement, update, key_event or closure")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The file to write: .docx or .pdf")],
    language: Annotated[str | None, typer.Option(help="Language code (default: the victim's preferred)")] = None,
    db: DB = None,
) -> None:
    """A letter for one case in the victim's language, as .docx or PDF; recorded on the case as sent."""
    fmt = output.suffix.lower().lstrip(".")
    if fmt not in ("docx", "pdf"):
        fail(f"-o {output}: the file must end in .docx or .pdf")
    setup_django(db)
    from citizenfocus.victims.letters import LetterError, letter_send
    from citizenfocus.victims.models import VictimRecord

    record = VictimRecord.objects.filter(crime_reference=crime_ref).first()
    if record is None:
        fail(f"no case with crime reference {crime_ref!r}")
    try:
        content, _ = letter_send(record=record, event=event, user=None, language=language, fmt=fmt)
    except LetterError as exc:
        fail(str(exc))
    output.write_bytes(content)
    typer.echo(f"{output}: {event} letter for {crime_ref} in {language or record.language}")


def victims_digest(
    as_at: Annotated[str | None, typer.Option("--as-at", help="The day to count from, YYYY-MM-DD (default today)")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say who would get what; send nothing")] = False,
    db: DB = None,
) -> None:
    """E-mail each officer and team leader the cases breached or red in their queue (run daily from cron)."""
    setup_django(db)
    from django.utils import timezone

    from citizenfocus.victims.digest import digest_send
    from citizenfocus.victims.rules import RulesError, load_rules

    try:
        rules = load_rules()
    except RulesError as exc:
        fail(str(exc))
    summary = digest_send(rules=rules, as_at=_day(as_at) or timezone.localdate(), dry_run=dry_run)
    for line in summary.lines() or ["nothing breached or red: no e-mail sent"]:
        typer.echo(line)


def callback_resurvey(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, metavar="FILE",
                                         help="CSV: earlier response id, later (re-survey) response id")],
    survey: Annotated[str, typer.Option(help="The survey both responses are stored in")] = "uss",
    db: DB = None,
) -> None:
    """Link re-survey responses to the call-backs of the victims' earlier responses (all or nothing), so an
    evaluation can compare the arms."""
    setup_django(db)
    from citizenfocus.victims.evaluation import EvaluationError, resurvey_link

    try:
        count = resurvey_link(path=file, survey=survey)
    except EvaluationError as exc:
        fail(f"refused, nothing linked: {exc}")
    typer.echo(f"{count} re-survey responses linked to their call-backs")


def register(app: typer.Typer) -> None:
    app.command("import-victims")(import_victims)
    app.command("victim-queue")(victim_queue)
    app.command("victims-compliance")(victims_compliance)
    app.command("letter")(letter)
    app.command("victims-digest")(victims_digest)
    app.command("callback-resurvey")(callback_resurvey)
