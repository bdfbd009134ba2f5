"""`citizenfocus indicators` and `citizenfocus compare`: the analyst's figures, with intervals and verdicts.

Thin: the engine computes, stats compares; this module reads options, picks a
source and prints rows as JSON, CSV or a table. Every failure is one line on
stderr and a non-zero exit (docs/cli.md is the contract).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Annotated

import typer

from .common import fail

FORMATS = ("json", "csv", "table")

BY_HELP = "Group by these columns, comma-separated (division, neighbourhood, ward, crime_type, ethnic_group, ...)"


def indicators(
    db_path: Annotated[str | None, typer.Argument(
        metavar="[DB_PATH]", show_default=False,
        help="With --db: a SQLite file or database URL instead of DATABASE_URL",
    )] = None,
    input: Annotated[Path | None, typer.Option(
        "--input", "-i", help="A CSV or Parquet export in the import format, read in place (DuckDB)",
    )] = None,
    db: Annotated[bool, typer.Option(
        "--db", help="Read the stored responses (DATABASE_URL, or DB_PATH when given)",
    )] = False,
    survey: Annotated[str, typer.Option("--survey", "-s", help="uss, confidence, or a definition .toml")] = ...,
    measure: Annotated[str, typer.Option("--measure", "-m", help="A measure key (or its alias)")] = ...,
    by: Annotated[str, typer.Option("--by", help=BY_HELP)] = "",
    period: Annotated[str | None, typer.Option(
        "--period", help="rolling12:2014-03, month:2014-03, quarter:2013-Q4, fy:2013, ... "
                         "(default: the 12 months to the latest month in the data)",
    )] = None,
    date_basis: Annotated[str, typer.Option("--date-basis", help="Months of the interview or the incident date")] = "interview",
    strata: Annotated[str | None, typer.Option("--strata", help="A column of sampling strata")] = None,
    weight: Annotated[str, typer.Option("--weight", help="The weight column")] = "weight",
    ci: Annotated[str, typer.Option("--ci", help="Interval: wilson, logit, wald or cp")] = "wilson",
    gap: Annotated[str | None, typer.Option(
        "--gap", help="Print the gap between two ethnic groups per group instead, e.g. white,bme",
    )] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="json, csv or table")] = "table",
) -> None:
    """A measure's rate with its interval for each group, or the gap between two ethnic groups.

    Rates are proportions (0-1) in JSON and CSV. A group with no responses in the
    period is listed with n = 0. The survey's design factor (deft) applies.
    """
    from citizenfocus.engine import SourceError, gap_rows, indicator_rows

    if format not in FORMATS:
        fail(f"unknown --format {format!r}; use one of {', '.join(FORMATS)}")
    if date_basis not in ("interview", "incident"):
        fail(f"unknown --date-basis {date_basis!r}; use interview or incident")
    source = _open_source(input=input, db=db, db_path=db_path, survey=survey)
    for warning in source.warnings:
        typer.echo(f"warning: {warning}", err=True)
    request = {
        "measure": _measure_key(source.definition, measure),
        "by": tuple(c.strip() for c in by.split(",") if c.strip()),
        "period": period, "strata": strata, "weight": weight, "ci": ci, "date_basis": date_basis,
    }
    try:
        if gap is None:
            rows = indicator_rows(source, **request)
        else:
            rows = gap_rows(source, groups=tuple(g.strip() for g in gap.split(",")), **request)
    except (SourceError, ValueError) as exc:
        fail(str(exc))
    print_rows(rows, by=request["by"], format=format, gap=gap is not None)


def _open_source(*, input: Path | None, db: bool, db_path: str | None, survey: str):
    from citizenfocus.engine import SourceError, open_db_source, open_file_source
    from citizenfocus.surveys.definition import DefinitionError, get_definition

    if (input is None) == (not db):
        fail("give exactly one of --input FILE or --db")
    if db_path and not db:
        fail(f"unexpected argument {db_path!r} (a database path goes after --db)")
    try:
        definition = get_definition(survey)
        if input is not None:
            return open_file_source(input, definition)
        shipped = not survey.endswith(".toml")
        return open_db_source(definition.key, definition=None if shipped else definition,
                              database=_database(db_path))
    except (SourceError, DefinitionError) as exc:
        fail(str(exc))


def _database(db_path: str | None) -> dict:
    """The Django database entry: DB_PATH (a SQLite file or URL) when given, else Django's settings."""
    if db_path:
        import dj_database_url

        url = db_path if "://" in db_path else f"sqlite:///{Path(db_path).resolve()}"
        return dj_database_url.parse(url)
    from .common import setup_django

    setup_django(None)
    from django.conf import settings

    return settings.DATABASES["default"]


def _measure_key(definition, text: str) -> str:
    """A measure key from its key, label or an alias (as headers are matched)."""
    def norm(value: str) -> str:
        return " ".join(value.lower().replace("_", " ").replace("-", " ").split())

    for m in definition.measures:
        if norm(text) in {norm(m.key), norm(m.label), *(norm(a) for a in m.aliases)}:
            return m.key
    fail(f"unknown measure {text!r} for survey {definition.key!r}; known: {', '.join(definition.measure_keys)}")


# Output ----------------------------------------------------------------------------------


def print_rows(rows: list[dict], *, by: tuple[str, ...], format: str, gap: bool) -> None:
    """JSON (a list of rows, as the engine returns them), CSV (flattened) or a table for people."""
    if format == "json":
        typer.echo(json.dumps(rows, indent=2))
    elif format == "csv":
        _print_csv([_flat(row) for row in rows])
    else:
        _print_table(rows, by=by, gap=gap)


def _flat(row: dict) -> dict:
    """group's columns by their own names; a nested estimate (a gap's side) as side_field."""
    out = {}
    for key, value in row.items():
        if isinstance(value, dict):
            prefix = "" if key == "group" else f"{key}_"
            out.update({f"{prefix}{k}": v for k, v in value.items()})
        else:
            out[key] = value
    return out


def _print_csv(rows: list[dict]) -> None:
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: "" if v is None else v for k, v in row.items()} for row in rows)
    typer.echo(buffer.getvalue(), nl=False)


def _pct(value: float | None, *, points: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value * 100:+.1f}" if points else f"{value * 100:.1f}%"


def _interval(low: float | None, high: float | None, *, points: bool = False) -> str:
    if low is None or high is None:
        return "-"
    return f"{_pct(low, points=points)} to {_pct(high, points=points)}"


def _print_table(rows: list[dict], *, by: tuple[str, ...], gap: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    first = rows[0] if rows else {}
    title = f"{first.get('measure', '')}, {first.get('period', '')}"
    table = Table(title=title, title_justify="left")
    for col in by:
        table.add_column(col)
    if gap:
        a, b = first.get("comparison", "white - bme").split(" - ")
        for heading in (f"{a} n", f"{a} rate", f"{b} n", f"{b} rate", "gap (points)", "95% CI (points)", "verdict"):
            table.add_column(heading, justify="right" if heading != "verdict" else "left")
    else:
        for heading in ("n", "rate", "95% CI", "effective n"):
            table.add_column(heading, justify="right")
    for row in rows:
        cells = ["-" if row["group"][c] is None else str(row["group"][c]) for c in by]
        if gap:
            cells += [f"{row[a]['n']:,}", _pct(row[a]["rate"]), f"{row[b]['n']:,}", _pct(row[b]["rate"]),
                      _pct(row["diff"], points=True), _interval(row["ci_low"], row["ci_high"], points=True),
                      row["verdict"]]
        else:
            n_eff = "-" if row["n_eff"] is None else f"{row['n_eff']:,.0f}"
            cells += [f"{row['n']:,}", _pct(row["rate"]), _interval(row["ci_low"], row["ci_high"]), n_eff]
        table.add_row(*cells)
    Console(width=160).print(table)


def register(app: typer.Typer) -> None:
    app.command()(indicators)
