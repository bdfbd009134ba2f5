"""`citizenfocus import-plan`, `export-plan` and `remind`: the same services as the plan pages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from .common import fail, setup_django

DB = Annotated[str | None, typer.Option(help="SQLite file or database URL (default: DATABASE_URL)")]


def import_plan(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, metavar="FILE",
                                         help="The plan: a Word .docx with its table, or an .xlsx or .csv file")],
    title: Annotated[str, typer.Option(help="The plan's title (default: the document's first heading)")] = "",
    source: Annotated[str, typer.Option(help="scrutiny_panel, hmic_inspection, equality_scheme, gold_group or "
                                             "internal")] = "scrutiny_panel",
    kind: Annotated[str, typer.Option(help="recommendations, or objectives (an equality scheme's R1 to R7)")]
    = "recommendations",
    owning_body: Annotated[str, typer.Option(help="Who the plan answers to")] = "",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what was understood; save nothing")] = False,
    accept_problems: Annotated[bool, typer.Option(
        "--accept-problems", help="Save even when some cells could not be read (as the preview describes)")] = False,
    notes: Annotated[bool, typer.Option("--notes", help="Also print how each row was read")] = False,
    user: Annotated[str | None, typer.Option(help="Who is importing (default: your login name)")] = None,
    db: DB = None,
) -> None:
    """Import an action plan from a Word table, an Excel sheet or a CSV file.

    Prints what was understood and every cell that could not be read. Saves the whole plan,
    or nothing: a file with unreadable cells is saved only with --accept-problems.
    """
    setup_django(db)
    from django.db import DatabaseError

    from citizenfocus.plans import services
    from citizenfocus.plans.importing import ParsedPlan, UnreadableFile
    from citizenfocus.plans.models import Plan

    if source not in Plan.Source.values:
        fail(f"--source must be one of {', '.join(Plan.Source.values)}")
    if kind not in Plan.Kind.values:
        fail(f"--kind must be one of {', '.join(Plan.Kind.values)}")
    name, account = _who(user)
    try:
        preview = services.plan_import_preview(path=file, user=account, who_name=name, title=title, source=source,
                                               kind=kind, owning_body=owning_body)
    except UnreadableFile as exc:
        fail(str(exc))
    except DatabaseError as exc:
        fail(f"the database is not ready ({exc}); run `citizenfocus migrate` first")
    parsed = ParsedPlan.from_dict(preview.parsed)
    counts = parsed.counts
    typer.echo(f"{file.name}: '{preview.title}': {counts['recommendations']} recommendations, "
               f"{counts['responses']} responses, {counts['actions']} actions ({parsed.table})")
    if parsed.legend:
        typer.echo("legend: " + "; ".join(parsed.legend))
    for note in parsed.notes if notes else []:
        typer.echo(f"  {note}")
    for problem in parsed.problems:
        typer.echo(f"{file.name}: {problem}", err=True)
    if dry_run:
        services.plan_import_cancel(plan_import=preview, user=account)
        typer.echo("dry run: nothing saved")
        return
    try:
        plan = services.plan_import(plan_import=preview, user=account, who_name=name, accept_problems=accept_problems)
    except services.ImportNotSaved as exc:
        services.plan_import_cancel(plan_import=preview, user=account)
        fail(f"{exc}; nothing saved (--accept-problems saves it as shown)")
    typer.echo(f"saved as plan {plan.pk}: {plan.title}")


def export_plan(
    plan: Annotated[str, typer.Argument(help="The plan's number, or its exact title")],
    format: Annotated[str, typer.Option("--format", "-f", help="docx (the board's Word table), xlsx or csv")]
    = "docx",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Where to write (default: a file named "
                                                                       "after the plan, here)")] = None,
    since: Annotated[int | None, typer.Option(help="A meeting's number: highlight every change since it")] = None,
    db: DB = None,
) -> None:
    """Export a plan as the board's Word table, an Excel workbook or CSV."""
    setup_django(db)
    from django.utils import timezone

    from citizenfocus.plans.board import file_stem
    from citizenfocus.plans.exporting import CONTENT_TYPES, plan_export
    from citizenfocus.plans.models import Meeting, Plan

    if format not in CONTENT_TYPES:
        fail("--format must be docx, xlsx or csv")
    found = Plan.objects.filter(pk=int(plan)) if plan.isdigit() else Plan.objects.filter(title=plan)
    if found.count() != 1:
        known = "; ".join(f"{p.pk}: {p.title}" for p in Plan.objects.filter(archived=False)[:20])
        fail(f"no plan {plan!r}" + (f" (plans: {known})" if known else "") if not found else
             f"{found.count()} plans are called {plan!r}: give its number")
    chosen = found.get()
    meeting = None
    if since is not None:
        meeting = Meeting.objects.filter(pk=since, plan=chosen).first()
        if meeting is None:
            fail(f"plan {chosen.pk} has no meeting {since}")
    today = timezone.localdate()
    target = output or Path(f"{file_stem(chosen, today)}.{format}")
    target.write_bytes(plan_export(chosen, format, today=today, since=meeting))
    typer.echo(f"wrote {target}")


def remind(
    days: Annotated[int | None, typer.Option(help="Remind about actions due within this many days "
                                                  "(default: CITIZENFOCUS_PLANS_DUE_SOON_DAYS, 28)")] = None,
    today: Annotated[str | None, typer.Option(help="Run as if today were YYYY-MM-DD")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say who would be e-mailed; send nothing")] = False,
    db: DB = None,
) -> None:
    """E-mail each action manager their actions overdue or due soon (run daily by cron).

    One e-mail per person; an action is reminded about at most once a day. Exits 1 if any
    e-mail could not be sent.
    """
    setup_django(db)
    from django.db import DatabaseError
    from django.utils import timezone

    from citizenfocus.plans import rag
    from citizenfocus.plans.remind import reminders_send

    try:
        day = dt.date.fromisoformat(today) if today else timezone.localdate()
    except ValueError:
        fail(f"--today {today!r} is not a date: give YYYY-MM-DD")
    window = days if days is not None else rag.due_soon_days()
    try:
        summary = reminders_send(today=day, days=window, dry_run=dry_run)
    except DatabaseError as exc:
        fail(f"the database is not ready ({exc}); run `citizenfocus migrate` first")
    verb = "would send" if dry_run else "sent"
    typer.echo(f"{day:%Y-%m-%d}: {verb} {len(summary.sent)} reminder e-mail{'s' if len(summary.sent) != 1 else ''} "
               f"(actions overdue or due within {window} days)")
    for line in summary.lines():
        typer.echo(f"  {line}")
    if summary.failed:
        raise typer.Exit(1)


def _who(user: str | None):
    import getpass

    from django.contrib.auth import get_user_model

    if not user:
        try:
            user = getpass.getuser()
        except (KeyError, OSError):
            user = "command line"
    return user, get_user_model().objects.filter(username=user).first()


def register(app: typer.Typer) -> None:
    app.command("import-plan")(import_plan)
    app.command("export-plan")(export_plan)
    app.command("remind")(remind)
