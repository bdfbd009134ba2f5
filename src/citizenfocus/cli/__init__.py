"""The `citizenfocus` command: thin, calling the same code as the web."""

import typer

from . import accounts as _accounts
from . import backup as _backup
from . import demo as _demo
from . import equality as _equality
from . import indicators as _indicators
from . import plans as _plans
from . import privacy as _privacy
from . import reports as _reports
from . import server as _server
from . import surveys as _surveys
from . import victims as _victims

app = typer.Typer(
    help="citizenfocus: victim satisfaction, public confidence and the gap between groups.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for module in (_demo, _server, _accounts, _surveys, _indicators, _plans, _privacy, _backup, _reports):
    module.register(app)
_victims.register(app)
_equality.register(app)


def main() -> None:
    app()
