"""The canonical shape every source is turned into, and the columns derived from it.

Whatever a source is (a CSV or Parquet export, the stored responses in SQLite
or PostgreSQL, a warehouse table), the engine sees one table with the same
columns, so one set of Ibis expressions serves every backend:

    interview_date, incident_date          date
    crime_type, division, neighbourhood,   text (names, not ids)
    ward, ethnicity (code), age_band,
    sex, disability
    <one column per measure>               1 positive, 0 negative, NULL missing
    weight                                 float, 1 when the survey is unweighted

plus any other columns the source has (a stratum, another weight), untouched.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from citizenfocus.surveys.definition import EthnicGrouping, SurveyDefinition

DATE_COLUMNS = ("interview_date", "incident_date")
TEXT_COLUMNS = (
    "crime_type", "division", "neighbourhood", "ward", "ethnicity", "age_band", "sex", "disability",
)
DERIVED_COLUMNS = ("ethnic_group", "month")
DATE_BASES = {"interview": "interview_date", "incident": "incident_date"}
ETHNIC_GROUPS = ("white", "bme", "not_stated")


def canonical_columns(definition: SurveyDefinition) -> tuple[str, ...]:
    """Every column of the canonical shape for a survey, in order."""
    return (*DATE_COLUMNS, *TEXT_COLUMNS, *definition.measure_keys, "weight")


def groupable_columns(table: ir.Table, definition: SurveyDefinition) -> tuple[str, ...]:
    """Columns an analyst may group by: the text columns, the derived ones, and any extra text column.

    Measures, dates, weights, ids and free text are excluded: a rate within
    "weight = 1.37" or one response id answers no question anyone asks.
    """
    excluded = set(DATE_COLUMNS) | set(definition.measure_keys) | {"weight", "response_id", "comment"}
    extra = [
        name for name, dtype in table.schema().items()
        if name not in excluded and (dtype.is_string() or dtype.is_integer())
    ]
    return tuple(dict.fromkeys([*TEXT_COLUMNS, *DERIVED_COLUMNS, *extra]))


def ethnic_group_expr(ethnicity: ir.StringValue, grouping: EthnicGrouping) -> ir.StringValue:
    """white / bme / not_stated from a self-defined code; a code in neither list is not stated.

    The same rule as EthnicGrouping.group_of, as one CASE the database evaluates.
    """
    return ibis.cases(
        (ethnicity.isin(sorted(grouping.white)), "white"),
        (ethnicity.isin(sorted(grouping.bme)), "bme"),
        else_="not_stated",
    )


def month_expr(table: ir.Table, *, date_basis: str = "interview") -> ir.DateValue:
    """The first day of the month of the interview (default) or of the incident."""
    if date_basis not in DATE_BASES:
        raise ValueError(f"date basis must be one of {', '.join(DATE_BASES)}, not {date_basis!r}")
    return table[DATE_BASES[date_basis]].truncate("M")


def with_derived_columns(
    table: ir.Table, *, definition: SurveyDefinition, date_basis: str = "interview"
) -> ir.Table:
    """The canonical table plus `ethnic_group` and `month`."""
    return table.mutate(
        ethnic_group=ethnic_group_expr(table.ethnicity, definition.grouping),
        month=month_expr(table, date_basis=date_basis),
    )
