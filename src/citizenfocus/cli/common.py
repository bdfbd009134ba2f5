"""What every command shares: Django set-up and one-line errors."""

import os
import sys
from pathlib import Path

import typer


def fail(message: str, code: int = 1) -> None:
    """Print one clear line on stderr and exit non-zero."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def setup_django(db: str | None = None) -> None:
    """Configure Django; --db PATH (a SQLite file) or a URL overrides DATABASE_URL."""
    if db:
        os.environ["DATABASE_URL"] = db if "://" in db else f"sqlite:///{Path(db).resolve()}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citizenfocus.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        fail(str(exc))


def migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def is_terminal() -> bool:
    return sys.stderr.isatty()
