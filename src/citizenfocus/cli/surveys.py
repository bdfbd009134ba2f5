"""`citizenfocus import-survey`: the same import as the web page, with a progress bar."""

from __future__ import annotations

import getpass
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import ProgressColumn
from rich.text import Text

from .common import fail, is_terminal, setup_django

PROBLEMS_SHOWN = 50


def import_survey(
    files: Annotated[list[Path], typer.Argument(
        exists=True, dir_okay=False, readable=True, metavar="FILE", show_default=False,
        help="Survey files: .csv, .xlsx or .parquet. Each file is checked and stored on its own, as its own batch.",
    )],
    survey: Annotated[str, typer.Option(
        "--survey", "-s", help="The survey: uss, confidence, or the path of a definition .toml",
    )],
    mapping: Annotated[Path | None, typer.Option(
        "--mapping", "-m", exists=True, dir_okay=False, readable=True,
        help='Your export\'s own header names: a .toml with a "columns" table ("Their Header" = "our_column"), '
             "or a two-column .csv (their header, our column).",
    )] = None,
    db: Annotated[str | None, typer.Option(help="SQLite file or database URL (default: DATABASE_URL)")] = None,
    user: Annotated[str | None, typer.Option(
        help="Who is importing, kept with each batch (default: your login name)",
    )] = None,
) -> None:
    """Import survey responses from CSV, Excel or Parquet files.

    Every row of a file is checked before anything is stored; a file with any problem
    stores nothing, and every problem is listed (file, row, column, value, what was
    expected). Responses already stored (same survey and response id) are updated, not
    duplicated: the summary says how many were new, changed and unchanged. Exits 1 when
    any file was refused. See docs/importing.md for the columns and answers accepted.
    """
    setup_django(db)
    from django.db import DatabaseError

    name, account = _who(user)
    refused = 0
    try:
        for path in files:
            refused += not _import_one(path, survey=survey, mapping=mapping, name=name, account=account)
    except DatabaseError as exc:
        fail(f"the database is not ready ({exc}); run `citizenfocus migrate` first")
    if refused:
        raise typer.Exit(1)


def _import_one(path: Path, *, survey: str, mapping: Path | None, name: str, account) -> bool:
    from citizenfocus.surveys.importing import ImportRefused, survey_import

    try:
        with _progress(path.name) as progress:
            summary = survey_import(path=path, survey=survey, user=account, user_name=name, source="cli",
                                    mapping=mapping, progress=progress, step=getattr(progress, "step", None))
    except ImportRefused as refusal:
        _print_refusal(path, refusal)
        return False
    typer.echo(
        f"{path.name}: stored as batch {summary.batch.pk}: {summary.rows_read:,} rows read, "
        f"{summary.rows_new:,} new, {summary.rows_changed:,} changed, {summary.rows_unchanged:,} unchanged"
    )
    if summary.ignored_columns:
        typer.echo(f"{path.name}: columns not imported (not part of the {survey} survey): "
                   + ", ".join(f'"{c}"' for c in summary.ignored_columns))
    return True


def _print_refusal(path: Path, refusal) -> None:
    for problem in refusal.errors[:PROBLEMS_SHOWN]:
        typer.echo(str(problem), err=True)
    count = refusal.error_count
    if count > PROBLEMS_SHOWN:
        kept = f" (the first {len(refusal.batch.errors):,} are kept with batch {refusal.batch.pk})" if refusal.batch else ""
        typer.echo(f"... and {count - PROBLEMS_SHOWN:,} more problems{kept}", err=True)
    plural = "s" if count != 1 else ""
    typer.echo(f"error: {path.name}: refused, {count:,} problem{plural}; nothing was stored", err=True)


def _who(user: str | None):
    """The name kept with each batch, and the account of that name if there is one."""
    from django.contrib.auth import get_user_model

    if not user:
        try:
            user = getpass.getuser()
        except (KeyError, OSError):
            user = "command line"
    return user, get_user_model().objects.filter(username=user).first()


@contextmanager
def _progress(name: str):
    """A progress callback drawing a bar on a terminal (rows, rows/s), with `step(words)` for a step that has
    no rows to count (the dashboard's figures summed after the rows are stored); None elsewhere."""
    if not is_terminal():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed:,} rows"),
               RowsPerSecond(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        tasks = {}

        def update(done: int, total: int | None) -> None:
            phase = "checking" if total is None else "storing"
            if phase not in tasks:
                if "checking" in tasks:
                    bar.stop_task(tasks["checking"])  # its clock stops while storing runs
                tasks[phase] = bar.add_task(f"{name}: {phase}", total=total)
            bar.update(tasks[phase], completed=done)

        def step(words: str) -> None:
            for task in tasks.values():
                bar.stop_task(task)
            done = bar.tasks[-1].completed if bar.tasks else 0  # the rows stored, shown beside it
            tasks[words] = bar.add_task(f"{name}: {words}", total=None, completed=done)

        update.step = step
        yield update


class RowsPerSecond(ProgressColumn):
    def render(self, task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f} rows/s" if speed else "")


def register(app: typer.Typer) -> None:
    app.command("import-survey")(import_survey)
