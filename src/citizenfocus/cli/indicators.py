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

from citizenfocus.core.spreadsheet import spreadsheet_value

from .common import fail

FORMATS = ("json", "csv", "table")

BY_HELP = "Group by these columns, comma-separated (division, neighbourhood, ward, crime_type, ethnic_group, ...)"


def indicators(
    db_path: Annotated[str | None, typer.Argument(
        metavar="[DB_PATH]", show_default=False,
        help="With --db: a SQLite file or database URL instead of DATABASE_URL",
    )] = None,
    input: Annotated[str | None, typer.Option(
        "--input", "-i", help="A CSV or Parquet export in the import format, read in place (DuckDB); or an Ibis "
                              "connection URL with ?table=NAME (pyspark://, trino://, bigquery://, duckdb://), "
                              "or backend:NAME from the file CITIZENFOCUS_BACKENDS names (docs/warehouses.md)",
    )] = None,
    db: Annotated[bool, typer.Option(
        "--db", help="Read the stored responses (DATABASE_URL, or DB_PATH when given)",
    )] = False,
    survey: Annotated[str | None, typer.Option(
        "--survey", "-s", help="uss, confidence, perception, kin, a definition .toml, or (with --db) a stored survey",
    )] = None,
    measure: Annotated[str | None, typer.Option("--measure", "-m", help="A measure key (or its alias)")] = None,
    by: Annotated[str, typer.Option("--by", help=BY_HELP)] = "",
    period: Annotated[str | None, typer.Option(
        "--period", help="rolling12:2014-03, month:2014-03, quarter:2013-Q4, fy:2013, ... "
                         "(default: the 12 months to the latest month in the data)",
    )] = None,
    date_basis: Annotated[str, typer.Option("--date-basis", help="Months of the interview or the incident date")] = "interview",
    strata: Annotated[str | None, typer.Option("--strata", help="A column of sampling strata")] = None,
    weight: Annotated[str, typer.Option("--weight", help="The weight column")] = "weight",
    ci: Annotated[str, typer.Option("--ci", help="Interval: wilson (default), beta, logit, wald or cp")] = "wilson",
    gap: Annotated[str | None, typer.Option(
        "--gap", help="Print the gap between two ethnic groups per group instead, e.g. white,bme",
    )] = None,
    distribution: Annotated[bool, typer.Option(
        "--distribution", help="Each answer's share on the measure's question's scale, per group, instead",
    )] = False,
    format: Annotated[str, typer.Option("--format", "-f", help="json, csv or table")] = "table",
) -> None:
    """A measure's rate with its interval for each group, or the gap between two ethnic groups.

    Rates are proportions (0-1) in JSON and CSV. A group with no responses in the
    period is listed with n = 0. The survey's design factor (deft) applies.
    """
    from citizenfocus.engine import Request, SourceError, gap_rows, indicator_rows

    if survey is None or measure is None:
        fail("--survey and --measure are required, e.g. --survey uss --measure whole_experience")
    if format not in FORMATS:
        fail(f"unknown --format {format!r}; use one of {', '.join(FORMATS)}")
    if date_basis not in ("interview", "incident"):
        fail(f"unknown --date-basis {date_basis!r}; use interview or incident")
    source = _open_source(input=input, db=db, db_path=db_path, survey=survey, shares=distribution)
    for warning in source.warnings:
        typer.echo(f"warning: {warning}", err=True)
    request = Request(
        measure=_measure_key(source.definition, measure),
        by=tuple(c.strip() for c in by.split(",") if c.strip()),
        period=period, strata=strata, weight=weight, ci=ci, date_basis=date_basis,
    )
    shown_by = request.by
    try:
        if distribution:
            rows = _distribution_rows(source, request, gap=gap)
            shown_by = (*request.by, "answer")
        elif gap is None:
            rows = indicator_rows(source, request)
        else:
            rows = gap_rows(source, request, groups=tuple(g.strip() for g in gap.split(",")))
    except (SourceError, ValueError) as exc:
        fail(str(exc))
    print_rows(rows, by=shown_by, format=format, gap=gap is not None)


def _distribution_rows(source, request, *, gap: str | None) -> list[dict]:
    """Each answer code's share among those who answered the measure's question: one set of rows per code,
    the answer named in each row's group."""
    from dataclasses import replace

    from citizenfocus.engine import gap_rows, indicator_rows

    definition = source.definition
    rows = []
    for share in definition.share_measures(definition.measure(request.measure).item_key):
        asked = replace(request, measure=share.key)
        found = indicator_rows(source, asked) if gap is None else gap_rows(
            source, asked, groups=tuple(g.strip() for g in gap.split(",")))
        for row in found:
            row["group"] = {**row["group"], "answer": share.label}
        rows += found
    return rows


def _open_source(*, input: str | None, db: bool, db_path: str | None, survey: str, shares: bool = False):
    from citizenfocus.engine import (
        SourceError,
        is_connection,
        open_connection_source,
        open_db_source,
        open_file_source,
    )
    from citizenfocus.surveys.definition import DefinitionError, get_definition, shipped_definitions

    if (input is None) == (not db):
        fail("give exactly one of --input FILE|URL or --db")
    if db_path and not db:
        fail(f"unexpected argument {db_path!r} (a database path goes after --db)")
    try:
        if db and not survey.endswith(".toml") and survey not in shipped_definitions():
            # A force's own survey, imported with its definition file: read with its stored definition.
            return open_db_source(survey, database=_database(db_path), shares=shares)
        definition = get_definition(survey)
        if input is not None and is_connection(input):
            return open_connection_source(input, definition, shares=shares)
        if input is not None:
            return open_file_source(Path(input), definition, shares=shares)
        shipped = not survey.endswith(".toml")
        return open_db_source(definition.key, definition=None if shipped else definition,
                              database=_database(db_path), shares=shares)
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


# compare -----------------------------------------------------------------------------------

RULES = {"hmic2008": "hmic-2008", "hmic-2008": "hmic-2008", "three-tier": "three-tier"}


def compare(
    rate: Annotated[str | None, typer.Option("--rate", help="The force's rate: 0.553 or 55.3%")] = None,
    n: Annotated[int | None, typer.Option("--n", help="The force's base (unweighted number of responses)")] = None,
    deft: Annotated[float, typer.Option("--deft", help="The force's design factor")] = 1.0,
    peer: Annotated[list[str] | None, typer.Option(
        "--peer", help="A most similar force as RATE:N[:DEFT], e.g. 81.2%:1250:1.2 (repeat for each)",
    )] = None,
    msf_rate: Annotated[str | None, typer.Option("--msf-rate", help="A published MSF average instead")] = None,
    msf_se: Annotated[str | None, typer.Option("--msf-se", help="The published MSF average's standard error")] = None,
    previous: Annotated[str | None, typer.Option(
        "--previous", help="The same period last year as RATE:N[:DEFT]",
    )] = None,
    direction: Annotated[str, typer.Option("--direction", help="higher-better or higher-worse")] = "higher-better",
    rule: Annotated[str, typer.Option("--rule", help="Grading rule: hmic2008 or three-tier")] = "hmic2008",
    format: Annotated[str, typer.Option("--format", "-f", help="json or table")] = "table",
) -> None:
    """A force's rate against its most similar forces and against last year, and its grade.

    Rates may be proportions (0.553) or percentages (55.3%). The MSF average is
    the plain mean of the peers' rates; each rate's standard error is
    deft x sqrt(p(1-p)/n). The grade follows the chosen rule (docs/methodology.md).
    """
    from citizenfocus.stats import DIRECTIONS, trend_comparison
    from citizenfocus.stats.grading import grade
    from citizenfocus.stats.peers import msf_comparison

    if rate is None or n is None:
        fail("--rate and --n are required, e.g. --rate 55.3% --n 1200")
    if format not in ("json", "table"):
        fail(f"unknown --format {format!r}; use json or table")
    if direction not in DIRECTIONS:
        fail(f"unknown --direction {direction!r}; use {' or '.join(DIRECTIONS)}")
    if rule not in RULES:
        fail(f"unknown --rule {rule!r}; use hmic2008 or three-tier")
    force = _published("--rate/--n", parse_rate(rate, "--rate"), n, deft)
    before = None if previous is None else _rate_n_deft(previous, "--previous")
    try:
        msf = msf_comparison((force.rate, n, deft), direction=direction, **_msf_source(peer, msf_rate, msf_se))
        trend = None if before is None else trend_comparison(
            force, _published("--previous", *before), direction=direction)
        graded = grade(RULES[rule], msf_verdict=msf.verdict,
                       trend_verdict=trend.verdict if trend else "no data", direction=direction)
    except ValueError as exc:
        fail(str(exc))
    result = {
        "force": {"rate": force.rate, "n": n, "deft": deft, "se": force.se, "n_eff": force.n_eff,
                  "ci_low": force.ci_low, "ci_high": force.ci_high},
        "msf": msf.as_dict(),
        "previous": None if trend is None else {
            "rate": before[0], "n": before[1], "deft": before[2], **trend.as_dict()},
        "grade": graded.as_dict(),
    }
    typer.echo(json.dumps(result, indent=2) if format == "json" else _compare_text(result))


def parse_rate(text: str, option: str) -> float:
    """0.553 or 55.3% as a proportion; anything outside 0-1 is refused (55.3 without % is ambiguous)."""
    raw = text.strip()
    try:
        value = float(raw[:-1]) / 100 if raw.endswith("%") else float(raw)
    except ValueError:
        fail(f"{option} {text!r} is not a rate; write 0.553 or 55.3%")
    if not 0 <= value <= 1:
        hint = f" (write {raw}% for a percentage)" if not raw.endswith("%") and 1 < value <= 100 else ""
        fail(f"{option} {text!r} is outside 0-1{hint}")
    return value


def _rate_n_deft(text: str, option: str) -> tuple[float, int, float]:
    parts = text.split(":")
    if len(parts) not in (2, 3):
        fail(f"{option} {text!r} should be RATE:N or RATE:N:DEFT, e.g. 55.3%:1200:1.2")
    try:
        n, deft = int(parts[1]), float(parts[2]) if len(parts) == 3 else 1.0
    except ValueError:
        fail(f"{option} {text!r}: N must be a whole number and DEFT a number")
    return parse_rate(parts[0], option), n, deft


def _published(option: str, rate: float, n: int, deft: float):
    """A published rate as a RateEstimate: SE deft·sqrt(p(1−p)/n), n_eff = n/deft², Wilson interval."""
    from citizenfocus.stats import RateEstimate
    from citizenfocus.stats.peers import Peer
    from citizenfocus.stats.rates import effective_n, rate_interval

    if n <= 0:
        fail(f"{option}: n must be above 0 (got {n}); a rate with no responses cannot be compared")
    if deft <= 0:
        fail(f"{option}: deft must be above 0 (got {deft})")
    se = Peer(rate, n, deft).se
    n_eff = effective_n(rate, se * se, total_w=n, total_w2=n, deft=deft)
    low, high = rate_interval(rate, se, n_eff)
    return RateEstimate(n, n_eff, rate, se, low, high, "wilson")


def _msf_source(peers: list[str] | None, msf_rate: str | None, msf_se: str | None) -> dict:
    if peers and (msf_rate is not None or msf_se is not None):
        fail("give --peer ... or --msf-rate with --msf-se, not both")
    if peers:
        parsed = [_rate_n_deft(p, "--peer") for p in peers]
        for _rate, n, _deft in parsed:
            if n <= 0:
                fail(f"--peer: n must be above 0 (got {n})")
        return {"peers": parsed}
    if msf_rate is None or msf_se is None:
        fail("give the peers (--peer RATE:N[:DEFT], repeated) or --msf-rate with --msf-se")
    return {"msf_rate": parse_rate(msf_rate, "--msf-rate"), "msf_se": parse_rate(msf_se, "--msf-se")}


def _compare_text(result: dict) -> str:
    force, msf, previous, graded = result["force"], result["msf"], result["previous"], result["grade"]
    lines = [
        f"Force: {_pct(force['rate'])} (n = {force['n']:,}; 95% CI {_interval(force['ci_low'], force['ci_high'])})",
        f"MSF average: {_pct(msf['msf_rate'])}"
        + (f" of {msf['peers']} forces" if msf["peers"] else " (published)")
        + f"; difference {_pct(msf['diff'], points=True)} points: {msf['sentence']}",
    ]
    if previous:
        lines.append(f"Against the previous period: {previous['sentence']}")
    else:
        lines.append("Against the previous period: not given (--previous RATE:N)")
    lines.append(f"Grade ({graded['rule']}): {graded['label']}. {graded['reason']}")
    return "\n".join(lines)


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
        writer.writerows({k: "" if v is None else spreadsheet_value(v) for k, v in row.items()} for row in rows)
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
    question, share, _ = first.get("measure", "").partition("__code_")
    measure = f"{question}: each answer's share of those who answered" if share else question  # --distribution
    title = f"{measure}, {first.get('period_label', '')}"
    table = Table(title=title, title_justify="left")
    for col in by:
        table.add_column(col)
    if gap:
        a, b = first.get("comparison", "white - bme").split(" - ")
        if not share:  # the strongest evidence first; a distribution's answers stay in the scale's order
            rows = sorted(rows, key=lambda r: (2.0 if r["p_interval"] is None else r["p_interval"],
                                               -abs(r["diff"] or 0)))
        for heading in (f"{a} n", f"{a} rate", f"{b} n", f"{b} rate", "gap (points)", "95% CI (points)", "p",
                        "p (many)", "verdict"):
            table.add_column(heading, justify="right" if heading != "verdict" else "left")
    else:
        for heading in ("n", "rate", "95% CI", "effective n"):
            table.add_column(heading, justify="right")
    for row in rows:
        cells = ["-" if row["group"][c] is None else str(row["group"][c]) for c in by]
        if gap:
            verdict = row["verdict"]
            if row["verdict"].startswith("significantly") and not row["significant_fdr"] and len(rows) > 1:
                verdict += " (alone; not after many comparisons)"
            cells += [f"{row[a]['n']:,}", _pct(row[a]["rate"]), f"{row[b]['n']:,}", _pct(row[b]["rate"]),
                      _pct(row["diff"], points=True), _interval(row["ci_low"], row["ci_high"], points=True),
                      _p(row["p_interval"]), _p(row["p_adjusted"]), verdict]
        else:
            n_eff = "-" if row["n_eff"] is None else f"{row['n_eff']:,.0f}"
            cells += [f"{row['n']:,}", _pct(row["rate"]), _interval(row["ci_low"], row["ci_high"]), n_eff]
        table.add_row(*cells)
    console = Console(width=180)
    console.print(table)
    for note in _notes(rows, gap=gap):
        console.print(note, soft_wrap=True)


def _p(value: float | None) -> str:
    return "-" if value is None else ("<0.001" if value < 0.001 else f"{value:.3f}")


def _notes(rows: list[dict], *, gap: bool) -> list[str]:
    """What a reader must know beside the table: the many comparisons, strata that add nothing."""
    from citizenfocus.stats import chance_sentence

    notes = []
    if gap and len(rows) > 1:
        notes.append(chance_sentence([r["verdict"] for r in rows], [r["significant_fdr"] for r in rows]))
    estimates = [side for r in rows for side in ((r[k] for k in r if isinstance(r[k], dict) and "n" in r[k])
                                               if gap else (r,))]
    lonely = max((e.get("single_unit_strata") or 0 for e in estimates), default=0)
    if lonely:
        notes.append(f"{lonely} {'stratum' if lonely == 1 else 'strata'} of the design "
                     f"{'has' if lonely == 1 else 'have'} a single respondent: it adds nothing to the "
                     "standard error (R survey's lonely.psu = \"certainty\").")
    return notes


def register(app: typer.Typer) -> None:
    app.command()(indicators)
    app.command()(compare)
