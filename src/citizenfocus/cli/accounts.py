import getpass

import typer

from .common import fail, setup_django


def createuser(
    username: str = typer.Argument(..., help="Log-in name"),
    role: str = typer.Option("no_access", help="administrator, analyst, action_owner, board_member, inspector, supervisor, officer or no_access"),
    password: str = typer.Option(None, help="Password (asked for when not given and a terminal is attached)"),
    email: str = typer.Option("", help="E-mail address (for reminders)"),
    neighbourhood: str = typer.Option(None, help="Home neighbourhood (a neighbourhood inspector's pages open there)"),
    division: str = typer.Option(None, help="Home division (pages open there)"),
    db: str = typer.Option(None, help="SQLite file or database URL (default: DATABASE_URL)"),
    by: str = typer.Option(None, help="Who is making the change, kept in the role history (default: your login name)"),
) -> None:
    """Create a user with a role, or change an existing user's role (and password). Role changes are recorded."""
    setup_django(db)
    from django.contrib.auth.password_validation import ValidationError, validate_password

    from citizenfocus.accounts.services import user_create_or_update

    if password is None:
        try:
            password = getpass.getpass("Password: ")
        except (EOFError, KeyboardInterrupt):
            fail("no password given (use --password)")
    try:
        validate_password(password)
    except ValidationError as exc:
        fail("password refused: " + " ".join(exc.messages))
    home = _home_area(division, neighbourhood)
    try:
        user, created = user_create_or_update(username=username, password=password, role=role, email=email,
                                              by_name=by or _login_name(), **home)
    except ValueError as exc:
        fail(str(exc))
    typer.echo(f"{'created' if created else 'updated'} {user.username} with role {role}")


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "command line"


def _home_area(division: str | None, neighbourhood: str | None) -> dict:
    """The named areas as objects; an unknown name fails with the known ones listed."""
    from citizenfocus.areas.models import Division, Neighbourhood

    home = {"division": None, "neighbourhood": None}
    if neighbourhood:
        home["neighbourhood"] = Neighbourhood.objects.filter(name__iexact=neighbourhood).first()
        if home["neighbourhood"] is None:
            fail(f"unknown neighbourhood {neighbourhood!r}")
        home["division"] = home["neighbourhood"].division
    if division:
        found = Division.objects.filter(name__iexact=division).first()
        if found is None:
            known = ", ".join(Division.objects.values_list("name", flat=True))
            fail(f"unknown division {division!r}; divisions: {known}")
        if home["neighbourhood"] and home["neighbourhood"].division_id != found.pk:
            fail(f"{home['neighbourhood'].name} is not in {found.name}")
        home["division"] = found
    return home


def register(app: typer.Typer) -> None:
    app.command()(createuser)
