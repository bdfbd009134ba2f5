import typer

from .common import migrate as run_migrate
from .common import setup_django


def migrate(db: str = typer.Option(None, help="SQLite file or database URL (default: DATABASE_URL)")) -> None:
    """Create or update the database tables."""
    setup_django(db)
    run_migrate(verbosity=1)


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on"),
    port: int = typer.Option(8000, help="Port to listen on"),
    threads: int = typer.Option(8, help="Worker threads"),
    db: str = typer.Option(None, help="SQLite file or database URL (default: DATABASE_URL)"),
    trusted_proxy: str = typer.Option(
        "", envvar="TRUSTED_PROXY",
        help="The reverse proxy's address (e.g. 127.0.0.1): its X-Forwarded-For and X-Forwarded-Proto are "
             "believed, so log-in throttling sees each client's own address and HTTPS is known"),
) -> None:
    """Serve the web app with a production WSGI server (waitress), static files by whitenoise."""
    setup_django(db)
    from django.conf import settings
    from django.core.management import call_command
    from waitress import serve as waitress_serve

    if not settings.DEBUG:
        call_command("collectstatic", interactive=False, verbosity=0)
    # Only now: whitenoise indexes the collected files when the application loads.
    from citizenfocus.performance.warm import start_warmer
    from citizenfocus.wsgi import application

    start_warmer()
    typer.echo(f"citizenfocus serving on http://{host}:{port}/  (Ctrl+C to stop)")
    proxy = {"trusted_proxy": trusted_proxy, "trusted_proxy_count": 1,
             "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"}} if trusted_proxy else {}
    waitress_serve(application, host=host, port=port, threads=threads, ident="citizenfocus", **proxy)


def register(app: typer.Typer) -> None:
    app.command()(migrate)
    app.command()(serve)
