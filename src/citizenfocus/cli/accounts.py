import getpass

import typer

from .common import fail, setup_django


def createuser(
    username: str = typer.Argument(..., help="Log-in name"),
    role: str = typer.Option("no_access", help="administrator, analyst, action_owner, board_member or no_access"),
    password: str = typer.Option(None, help="Password (asked for when not given and a terminal is attached)"),
    email: str = typer.Option("", help="E-mail address (for reminders)"),
    db: str = typer.Option(None, help="SQLite file or database URL (default: DATABASE_URL)"),
) -> None:
    """Create a user with a role, or change an existing user's role (and password)."""
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
    try:
        user, created = user_create_or_update(username=username, password=password, role=role, email=email)
    except ValueError as exc:
        fail(str(exc))
    typer.echo(f"{'created' if created else 'updated'} {user.username} with role {role}")


def register(app: typer.Typer) -> None:
    app.command()(createuser)
