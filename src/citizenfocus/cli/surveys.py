import typer


def register(app: typer.Typer) -> None:
    """Commands added by the surveys work."""
