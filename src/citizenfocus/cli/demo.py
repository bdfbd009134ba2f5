"""`citizenfocus demo`: the demo force in a local database, one user per role, served."""

import os
import tempfile
from pathlib import Path

import typer

from citizenfocus.secret_key import make_key_beside

from .common import fail, migrate, setup_django
from .progress import progress_bar

DEMO_PASSWORD = "citizenfocus-demo"
DEMO_USERS = (
    ("admin", "administrator"),
    ("analyst", "analyst"),
    ("owner", "action_owner"),
    ("board", "board_member"),
    ("inspector", "inspector"),
    ("supervisor", "supervisor"),
    ("officer", "officer"),
    ("visitor", "no_access"),
)


def _ensure_secret_key(db_path: Path) -> None:
    """A demo on a laptop gets its own random secret, kept beside the database, where every
    other command run against the same database finds it (settings.py)."""
    if os.environ.get("SECRET_KEY") or os.environ.get("DEBUG"):
        return
    os.environ["SECRET_KEY"] = make_key_beside(db_path)


def _load_surveys(size: int | None, seed: int) -> None:
    from citizenfocus.demo import write_survey_file
    from citizenfocus.surveys.importing import survey_import

    with tempfile.TemporaryDirectory(prefix="citizenfocus-demo-") as tmp:
        for survey, rows in (("uss", size), ("confidence", None), ("perception", None), ("kin", None)):
            path = Path(tmp) / f"demo-{survey}.parquet"
            written = write_survey_file(path, survey, size=rows, seed=seed)
            with progress_bar(f"Importing demo {survey}", total=written) as advance:
                summary = survey_import(
                    path=path, survey=survey, user_name="demo", source="demo", progress=advance
                )
            typer.echo(
                f"{survey}: {summary.rows_read} responses: {summary.rows_new} new, "
                f"{summary.rows_changed} changed, {summary.rows_unchanged} unchanged"
            )


def _load_peer_figures() -> None:
    """Most similar forces' figures for the last three financial years' 12-month windows."""
    from citizenfocus.demo.peers import peer_figure_rows
    from citizenfocus.performance.services import peer_figures_store

    periods = ["rolling12:2012-03", "rolling12:2013-03", "rolling12:2014-03"]
    count = peer_figures_store(user=None, rows=peer_figure_rows(periods=periods))
    typer.echo(f"{count} peer figures for 7 most similar forces")


def _load_action_plan() -> None:
    """Last year's action plan, imported from its Word table as an analyst would, with a board meeting, the
    owner's updates since it and a risk register (once)."""
    from django.contrib.auth import get_user_model

    from citizenfocus.demo.plan_demo import demo_plan_load

    users = get_user_model().objects
    plan, loaded = demo_plan_load(analyst=users.get(username="analyst"), owner=users.get(username="owner"))
    if not loaded:
        typer.echo(f"action plan: '{plan.title}' already loaded")
        return
    typer.echo(f"action plan: '{plan.title}' imported from Word, with a board meeting, changes since it and a "
               "risk register")


def _load_victims(seed: int) -> None:
    """Victims' Code records imported from a crime system export, letter templates in English, Polish and
    Urdu, and the demo officer and supervisor in the team whose queue they see."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from citizenfocus.victims.demo_load import demo_victims_load

    users = get_user_model().objects
    summary = demo_victims_load(seed=seed, today=timezone.localdate(), officer=users.get(username="officer"),
                                supervisor=users.get(username="supervisor"), analyst=users.get(username="analyst"))
    typer.echo(f"victims: {summary}")


def _load_equality() -> None:
    """Census profiles, boundaries and a year of stop and search (idempotent); the inspector's home."""
    from citizenfocus.equality.demo import demo_equality_load, demo_inspector_home

    loaded = demo_equality_load()
    demo_inspector_home()
    typer.echo(f"equality: {loaded['census_areas']} census areas, {loaded['boundaries']} boundaries, "
               f"{loaded['searches']} searches ({loaded['searches_added']} new), {loaded['hate_crimes']} hate crimes")


def _load_communities() -> None:
    """A neighbourhood team's KIN, priorities and perceptions, tension returns and an approved public release."""
    from django.contrib.auth import get_user_model

    from citizenfocus.demo.communities_demo import demo_communities_load

    users = get_user_model().objects
    loaded = demo_communities_load(analyst=users.get(username="analyst"), inspector=users.get(username="inspector"),
                                   supervisor=users.get(username="supervisor"))
    typer.echo("communities: a KIN with priorities, tension returns and a public release"
               + (" loaded" if loaded else " already loaded"))


def _create_users() -> None:
    from citizenfocus.accounts.services import user_create_or_update

    typer.echo(f"\nDemo log-ins (password for all: {DEMO_PASSWORD}):")
    for username, role in DEMO_USERS:
        user_create_or_update(username=username, password=DEMO_PASSWORD, role=role)
        typer.echo(f"  {username:<10} {role}")


def demo(
    db: Path = typer.Option(Path("citizenfocus.sqlite3"), help="SQLite file to create or update"),
    size: int = typer.Option(None, help="User satisfaction responses to generate (default about 60,000)"),
    seed: int = typer.Option(2014, help="Random seed: the same seed gives the same force"),
    serve: bool = typer.Option(True, "--serve/--no-serve", help="Serve on http://127.0.0.1:8000 afterwards"),
    port: int = typer.Option(8000, help="Port to serve on"),
) -> None:
    """Create the demo force in a local SQLite database, with one user per role, and serve it.

    Running it again updates the same database: nothing is duplicated.
    """
    if size is not None and size < 100:
        fail("--size must be at least 100 responses")
    db = db.resolve()
    _ensure_secret_key(db)
    os.environ.setdefault("SECURE_COOKIES", "0")  # the demo is served over plain HTTP on this machine
    setup_django(str(db))
    from citizenfocus.areas.services import force_load
    from citizenfocus.demo import demo_force

    migrate()
    force, created = force_load(force=demo_force())
    typer.echo(f"{force.name}: {created} areas created")
    _load_surveys(size, seed)
    _load_peer_figures()
    _create_users()
    _load_action_plan()
    _load_victims(seed)
    _load_equality()
    _load_communities()
    if serve:
        from .server import serve as run_server

        run_server(host="127.0.0.1", port=port, workers=1, threads=8, db=None, trusted_proxy="")


def register(app: typer.Typer) -> None:
    app.command()(demo)
