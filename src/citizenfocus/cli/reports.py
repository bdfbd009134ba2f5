"""`citizenfocus board-pack` and `send-packs`: the board's paper as Word or PDF, from the dashboard's figures."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .common import fail, setup_django

DB = Annotated[str | None, typer.Option(help="SQLite file or database URL (default: DATABASE_URL)")]


def board_pack(
    format: Annotated[str, typer.Option("--format", "-f", help="pdf (tagged, PDF/UA-1) or docx (editable Word)")],
    survey: Annotated[str, typer.Option(help="The survey the pack reports")] = "uss",
    division: Annotated[str | None, typer.Option(help="A division's name or code (default: the whole force)")] = None,
    period: Annotated[str | None, typer.Option(
        help="The rolling 12 months to report: rolling12:YYYY-MM or YYYY-MM (default: to the latest month)")] = None,
    meeting: Annotated[int | None, typer.Option(
        help="A board meeting's number: the action plans show what changed since it (default: each plan's "
             "latest meeting)")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="The file, or a folder, to write "
                                                "(default: a name with the area and period, here)")] = None,
    template: Annotated[Path | None, typer.Option(help="The force's Word template (.docx or .dotx) for --format "
                                                  "docx")] = None,
    body: Annotated[str, typer.Option(help="Who the report goes to (default: the plan's owning body)")] = "",
    author: Annotated[str, typer.Option(help="The report's author (default: the force)")] = "",
    recommendation: Annotated[str, typer.Option(
        help="The recommendation paragraph (default: that the board notes the report)")] = "",
    crime_type: Annotated[str | None, typer.Option(
        help="The crime type the findings give satisfaction with and without (default: the one that moves it "
             "most)")] = None,
    db: DB = None,
) -> None:
    """Write the board pack (cover, summary grid, key findings, each measure, action plans, appendix)
    and print its path."""
    if format == "pdf":  # the chart workers start their runtimes while this process loads Django and the pages
        from citizenfocus.reports.chart_images import start

        start()
    setup_django(db)
    from django.db import DatabaseError

    from citizenfocus.reports.build import PackError, PackRequest
    from citizenfocus.reports.files import board_pack_write

    request = PackRequest(survey=survey, division=division, period=period, meeting=meeting, body=body,
                          author=author, recommendation=recommendation, crime_type=crime_type)

    def progress(step: int, total: int, words: str) -> None:
        typer.echo(f"[{step}/{total}] {words}", err=True)

    try:
        path = board_pack_write(request, fmt=format, output=output, template=template, progress=progress)
    except PackError as exc:
        fail(str(exc))
    except DatabaseError as exc:
        fail(f"the database is not ready ({exc}); run `citizenfocus migrate` first")
    typer.echo(str(path))




def send_packs(
    survey: Annotated[str, typer.Option(help="The survey the packs report")] = "uss",
    period: Annotated[str | None, typer.Option(
        help="rolling12:YYYY-MM (default: the 12 months to the latest month with data)")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say who would get which pack; send nothing")] = False,
    db: DB = None,
) -> None:
    """E-mail each division's monthly board pack to its recipients (run daily by cron).

    Recipients are kept in the administration pages (Pack recipients). Each recipient gets a period's
    pack once; exits 1 if any e-mail could not be sent.
    """
    setup_django(db)
    from django.db import DatabaseError

    from citizenfocus.reports.build import PackError
    from citizenfocus.reports.schedule import packs_send

    try:
        result = packs_send(survey=survey, period=period, dry_run=dry_run)
    except PackError as exc:
        fail(str(exc))
    except DatabaseError as exc:
        fail(f"the database is not ready ({exc}); run `citizenfocus migrate` first")
    verb = "would send" if dry_run else "sent"
    typer.echo(f"{verb} {len(result.sent)} pack e-mail{'s' if len(result.sent) != 1 else ''}")
    for line in result.lines():
        typer.echo(f"  {line}")
    if result.failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("board-pack")(board_pack)
    app.command("send-packs")(send_packs)
