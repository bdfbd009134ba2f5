"""`citizenfocus import-census`, `import-boundaries`, `import-stop-search` and `stop-search`: the same
services as the equality pages."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Annotated

import typer

from .common import fail, setup_django

DB = Annotated[str | None, typer.Option(help="SQLite file or database URL (default: DATABASE_URL)")]
FILES = Annotated[list[Path], typer.Argument(exists=True, dir_okay=False, readable=True, metavar="FILE ...")]
USER = Annotated[str | None, typer.Option(help="Who is importing (default: your login name)")]


def _who(user: str | None):
    import getpass

    from django.contrib.auth import get_user_model

    if not user:
        try:
            user = getpass.getuser()
        except (KeyError, OSError):
            user = "command line"
    return user, get_user_model().objects.filter(username=user).first()


def _run(work):
    """Run an import; a refusal or a database not yet migrated is one clear line and a non-zero exit."""
    from django.db import DatabaseError

    from citizenfocus.equality.files import EqualityImportRefused

    try:
        return work()
    except EqualityImportRefused as refused:
        for problem in refused.problems[:20]:
            typer.echo(f"  {problem}", err=True)
        more = f" ({refused.count - 20} more not shown)" if refused.count > 20 else ""
        fail(f"refused, nothing stored: {refused.count} problem(s){more}")
    except DatabaseError as exc:
        fail(f"the database is not ready ({exc}); run `citizenfocus migrate` first")


def _said(record) -> str:
    return (f"{record.file_name}: {record.rows} rows: {record.added} added, {record.changed} changed, "
            f"{record.unchanged} unchanged" + (f", {record.removed} removed" if record.removed else ""))


def import_census(
    files: FILES,
    lookup: Annotated[Path | None, typer.Option(exists=True, dir_okay=False, help="CSV: area code → neighbourhood_code")]
    = None,
    user: USER = None,
    db: DB = None,
) -> None:
    """Import census tables in the bulk CSV layout (geography code, geography, one column per category):
    ethnic group (TS021: 5 groups and 19 categories) or age by sex. All files or none; re-import updates."""
    setup_django(db)
    from django.db import transaction

    from citizenfocus.equality.census import census_import, lookup_import

    name, account = _who(user)

    def work():
        with transaction.atomic():
            records = [census_import(path=f, user=account, who_name=name) for f in files]
            if lookup:
                records.append(lookup_import(path=lookup, user=account, who_name=name))
        return records

    for record in _run(work):
        typer.echo(_said(record))


def import_boundaries(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, metavar="FILE.geojson")],
    level: Annotated[str, typer.Option(help="ward or neighbourhood")] = "neighbourhood",
    user: USER = None,
    db: DB = None,
) -> None:
    """Import ward or neighbourhood boundaries from a GeoJSON FeatureCollection (longitude/latitude)."""
    setup_django(db)
    from citizenfocus.equality.boundaries import boundaries_import

    name, account = _who(user)
    typer.echo(_said(_run(lambda: boundaries_import(path=file, level=level, user=account, who_name=name))))


def import_stop_search(
    files: FILES,
    mapping: Annotated[Path | None, typer.Option(exists=True, dir_okay=False,
                                                 help="A force export's mapping: CSV of 'their column,police.uk column'")]
    = None,
    user: USER = None,
    db: DB = None,
) -> None:
    """Import police.uk stop-and-search CSVs exactly as published, many months at once (all or none).
    Re-importing a file changes nothing; a re-published month replaces the rows no longer in it."""
    setup_django(db)
    from citizenfocus.equality.stop_search import read_mapping, stop_search_import

    name, account = _who(user)
    columns = _run(lambda: read_mapping(mapping)) if mapping else None
    for record in _run(lambda: stop_search_import(paths=files, mapping=columns, user=account, who_name=name)):
        typer.echo(_said(record))


BY = ("ethnic_group", "officer_ethnic_group", "age", "sex")


def stop_search(
    by: Annotated[str, typer.Option(help="ethnic_group (self-defined), officer_ethnic_group, age (police.uk's "
                                         "ranges) or sex")] = "ethnic_group",
    period: Annotated[str | None, typer.Option(help="Months FIRST:LAST as YYYY-MM:YYYY-MM (default: the last 12)")]
    = None,
    section_60: Annotated[str, typer.Option("--section-60", help="all, only or exclude")] = "all",
    neighbourhood: Annotated[str | None, typer.Option(help="A neighbourhood's code (default: the force)")] = None,
    publication: Annotated[bool, typer.Option("--publication", help="Suppress small counts, as for publishing")]
    = False,
    format: Annotated[str, typer.Option("--format", "-f", help="json or csv")] = "json",
    db: DB = None,
) -> None:
    """Searches per 1,000 residents by ethnic group (self-defined or officer-defined, said which), age or
    sex, the ratio to a reference group (White people, people over 34, females) with its interval, and for
    ethnic groups the find and arrest rates with their gaps to White people."""
    setup_django(db)
    from citizenfocus.equality.searches import (
        SearchFilters,
        age_rows,
        default_months,
        group_rows,
        sex_rows,
    )

    if by not in BY:
        fail(f"unknown --by {by!r}; use {', '.join(BY)}")
    if section_60 not in ("all", "only", "exclude"):
        fail(f"unknown --section-60 {section_60!r}; use all, only or exclude")
    if format not in ("json", "csv"):
        fail(f"unknown --format {format!r}; use json or csv")
    first, last = _months(period) if period else default_months()
    basis = "officer" if by.startswith("officer") else "self"
    filters = SearchFilters(basis, first, last, section_60, _neighbourhood(neighbourhood))
    problems: list[str] = []
    if by == "age":
        rows, problems = age_rows(filters)
        label = filters.label().rsplit(", by ", 1)[0] + ", by age range (police.uk)"
    elif by == "sex":
        rows, label = sex_rows(filters), filters.label().rsplit(", by ", 1)[0] + ", by sex"
    else:
        rows, label = group_rows(filters), filters.label()
    for problem in problems:
        typer.echo(f"warning: no rate where {problem}", err=True)
    if publication:  # the page's publication rule: counts under 5 hidden, and what rests on them
        from citizenfocus.equality.publication import suppress_counts
        from citizenfocus.equality.stop_search_page import PUBLICATION_RULES, build

        name = {"age": "ages", "sex": "sex"}.get(by, "groups")
        rows = suppress_counts(build(filters).tables[name], PUBLICATION_RULES[name]).rows
    if format == "json":
        out = {"filters": label, "rows": rows, "problems": problems, "publication": publication}
        if by.endswith("ethnic_group"):
            out["ethnicity"] = f"{basis}-defined"
        typer.echo(json.dumps(out, indent=2, default=str))
        return
    if by.endswith("ethnic_group"):  # say in the header which ethnicity the rows are: never mixed
        key = f"ethnic_group_{basis}_defined"
        rows = [{key: row["group"], **{k: v for k, v in row.items() if k != "group"}} for row in rows]
    _print_csv(rows)


def import_hate_crime(
    files: FILES,
    mapping: Annotated[Path | None, typer.Option(exists=True, dir_okay=False,
                                                 help="CSV of 'their column,our column' rows for a crime system export")]
    = None,
    total: Annotated[list[str] | None, typer.Option(help="All recorded crime in a year: 2013/14=59870 (repeatable)")]
    = None,
    user: USER = None,
    db: DB = None,
) -> None:
    """Import hate crime records (crime reference, date, neighbourhood, strands, actual and perceived religion,
    religion-involved marker, outcome, repeat victim). All files or none; re-import updates by reference."""
    setup_django(db)
    from django.db import transaction

    from citizenfocus.equality.hate_crime import COLUMNS, hate_crime_import, recorded_crime_set
    from citizenfocus.equality.stop_search import read_mapping

    name, account = _who(user)
    columns = _run(lambda: read_mapping(mapping, allowed=COLUMNS)) if mapping else None
    totals = [_year_total(text) for text in total or []]

    def work():
        with transaction.atomic():
            records = hate_crime_import(paths=files, mapping=columns, user=account, who_name=name)
            for year, count in totals:
                try:
                    recorded_crime_set(year=year, total=count, who_name=name)
                except ValueError as exc:
                    fail(str(exc))
        return records

    for record in _run(work):
        typer.echo(_said(record))
    for year, count in totals:
        typer.echo(f"all recorded crime {year}: {count:,}")


def _year_total(text: str) -> tuple[str, int]:
    year, _, count = text.partition("=")
    if not count.strip().isdigit():
        fail(f"--total {text!r} is not YEAR=COUNT, e.g. 2013/14=59870")
    return year.strip(), int(count)


def hate_crime(
    table: Annotated[str, typer.Option(help="religion, actual_religion, strand, outcomes, repeat or share")]
    = "religion",
    years: Annotated[str | None, typer.Option(help="Last year and this: 2012/13,2013/14 (default: the latest two)")]
    = None,
    publication: Annotated[bool, typer.Option("--publication", help="Suppress small counts, as for publishing")]
    = False,
    format: Annotated[str, typer.Option("--format", "-f", help="json or csv")] = "json",
    db: DB = None,
) -> None:
    """A board's hate crime table: counts this year and last, shares computed from the counts, the change
    with its interval."""
    setup_django(db)
    from citizenfocus.equality.hate_crime_figures import latest_years
    from citizenfocus.equality.hate_crime_page import build

    names = {"religion": "perceived_religion", "actual_religion": "actual_religion", "strand": "strands",
             "outcomes": "outcomes", "repeat": "repeat", "share": "share_of_crime"}
    if table not in names:
        fail(f"unknown --table {table!r}; use one of {', '.join(names)}")
    if format not in ("json", "csv"):
        fail(f"unknown --format {format!r}; use json or csv")
    chosen = [y.strip() for y in years.split(",")] if years else latest_years()
    if len(chosen) != 2:
        fail(f"--years {years!r} is not two financial years, e.g. 2012/13,2013/14")
    try:
        result = build(*chosen, publication=publication)
    except ValueError as exc:
        fail(str(exc))
    found = result.tables[names[table]]
    if format == "json":
        typer.echo(json.dumps({"caption": found.caption, "rows": found.rows}, indent=2, default=str))
        return
    _print_csv([{c.label: row.get(c.key) for c in found.columns} for row in found.rows])


def _months(text: str):
    import datetime as dt

    try:
        first, last = (dt.datetime.strptime(part, "%Y-%m").date() for part in text.split(":"))
    except ValueError:
        fail(f"--period {text!r} is not FIRST:LAST as YYYY-MM:YYYY-MM (e.g. 2013-04:2014-03)")
    if first > last:
        fail(f"--period {text!r}: the first month is after the last")
    return first, last


def _neighbourhood(code: str | None):
    from citizenfocus.areas.models import Neighbourhood

    if code is None:
        return None
    found = Neighbourhood.objects.filter(code=code).first()
    if found is None:
        fail(f"no neighbourhood with code {code!r}")
    return found


def _print_csv(rows: list[dict]) -> None:
    from citizenfocus.core.spreadsheet import safe_csv_writer

    fields = list(dict.fromkeys(key for row in rows for key in row))
    buffer = io.StringIO()
    writer = safe_csv_writer(csv.writer(buffer, lineterminator="\n"))
    writer.writerow(fields)
    for row in rows:
        writer.writerow(["" if row.get(f) is None else row.get(f) for f in fields])
    typer.echo(buffer.getvalue(), nl=False)


def register(app: typer.Typer) -> None:
    app.command("import-census")(import_census)
    app.command("import-boundaries")(import_boundaries)
    app.command("import-stop-search")(import_stop_search)
    app.command("stop-search")(stop_search)
    app.command("import-hate-crime")(import_hate_crime)
    app.command("hate-crime")(hate_crime)
