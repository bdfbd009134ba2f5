"""`citizenfocus backup` and `citizenfocus restore`: the whole database as one file, and back."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from .common import fail, setup_django

DB = Annotated[str | None, typer.Option(help="SQLite file or database URL (default: DATABASE_URL)")]


def _database():
    from django.db import connections

    from citizenfocus.core.backup import Database

    return Database.from_settings(connections["default"].settings_dict)


def backup(
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="The backup file to write (default: citizenfocus-backup-<date and time> here)")] = None,
    db: DB = None,
) -> None:
    """Back up the whole database to one file, while the server runs.

    SQLite: SQLite's online backup (a consistent copy, never a file copy of a database in
    use). PostgreSQL: pg_dump's custom format. Restore it with `citizenfocus restore`.
    """
    setup_django(db)
    from citizenfocus.core.backup import BackupError, database_backup

    database = _database()
    suffix = ".sqlite3" if database.vendor == "sqlite" else ".dump"
    target = output or Path(f"citizenfocus-backup-{datetime.now():%Y%m%d-%H%M%S}{suffix}")
    try:
        written = database_backup(database=database, target=target)
    except BackupError as exc:
        fail(str(exc))
    typer.echo(f"backed up the {database.vendor} database to {written} ({written.stat().st_size:,} bytes)")


def restore(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, metavar="FILE",
                                         help="A backup made by `citizenfocus backup`")],
    yes: Annotated[bool, typer.Option("--yes", help="Replace the database's contents: required")] = False,
    db: DB = None,
) -> None:
    """Replace the whole database with a backup made by `citizenfocus backup`.

    Everything stored since the backup is lost, so it asks for --yes. Stop the server first.
    """
    if not yes:
        fail("restore replaces everything in the database with the backup: add --yes to go ahead "
             "(and stop the server first)")
    setup_django(db)
    from citizenfocus.core.backup import BackupError, database_restore

    database = _database()
    try:
        database_restore(database=database, source=file)
    except BackupError as exc:
        fail(str(exc))
    typer.echo(f"restored the {database.vendor} database from {file}")


def register(app: typer.Typer) -> None:
    app.command()(backup)
    app.command()(restore)
