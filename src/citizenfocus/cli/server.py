import typer

from .common import fail, setup_django
from .common import migrate as run_migrate


def migrate(db: str = typer.Option(None, help="SQLite file or database URL (default: DATABASE_URL)")) -> None:
    """Create or update the database tables."""
    setup_django(db)
    run_migrate(verbosity=1)


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on"),
    port: int = typer.Option(8000, help="Port to listen on"),
    workers: int = typer.Option(1, min=1, help="Server processes: 1 is waitress, more are gunicorn "
                                               "(Linux and macOS), each with --threads threads"),
    threads: int = typer.Option(8, min=1, help="Worker threads (per process)"),
    db: str = typer.Option(None, help="SQLite file or database URL (default: DATABASE_URL)"),
    trusted_proxy: str = typer.Option(
        "", envvar="TRUSTED_PROXY",
        help="The reverse proxy's address (e.g. 127.0.0.1): its X-Forwarded-For and X-Forwarded-Proto are "
             "believed, so log-in throttling sees each client's own address and HTTPS is known"),
) -> None:
    """Serve the web app with a production WSGI server (waitress, or gunicorn with --workers above 1),
    static files by whitenoise."""
    setup_django(db)
    from django.conf import settings
    from django.core.management import call_command

    from citizenfocus.serving import serve_processes, serve_threads

    if not settings.DEBUG:
        call_command("collectstatic", interactive=False, verbosity=0)
    # Only now, in each process: whitenoise indexes the collected files when the application loads.
    banner = f"citizenfocus serving on http://{host}:{port}/  (Ctrl+C to stop)"
    if workers == 1:
        typer.echo(banner)
        serve_threads(host=host, port=port, threads=threads, trusted_proxy=trusted_proxy)
        return
    from django.db import connections

    connections.close_all()  # nothing opened here is carried into the workers
    try:
        serve_processes(host=host, port=port, workers=workers, threads=threads, trusted_proxy=trusted_proxy,
                        on_ready=lambda: typer.echo(f"{banner}, {workers} processes × {threads} threads"))
    except RuntimeError as exc:
        fail(str(exc))


def register(app: typer.Typer) -> None:
    app.command()(migrate)
    app.command()(serve)
