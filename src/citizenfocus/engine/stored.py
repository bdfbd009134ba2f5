"""The dashboard's cube kept in the database, up to date at every import, erasure and purge.

The standard cube (engine.cube.STANDARD_DIMENSIONS, by month of interview, the survey's measures)
is persisted as CubeCell rows (surveys.models): one row per cell with its count of responses and
every measure's five sums. `refresh_months(survey, months)` recomputes the given months with ONE
GROUP BY over the stored responses of those months — the Ibis expression of engine.sums.sums_by,
compiled to the database's SQL and run through Django's own connection, so it runs inside the
caller's transaction and sees what the import has just written — and replaces those months'
cells. `load_cube(survey_key)` reads the cells back as an engine Cube: a page after an import reads
thousands of cells, not a million responses, and every server process reads the same cells.

Called from the import's store step (surveys/importing/service.py), erasure (surveys/respondents.py),
purge (surveys/retention.py) and migration surveys 0005 (every month of an existing database).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import ibis
import ibis.expr.datatypes as dt
import numpy as np
import pyarrow as pa
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from .columns import DATE_BASES, with_derived_columns
from .cube import STANDARD_DIMENSIONS, Cube, CubeKey
from .sums import STATISTICS, MonthlySums, month_number, month_start, sums_expr, to_monthly_sums

BASIS = "interview"  # every dashboard page is by month of interview (reports/lag.py reads incident dates itself)
DIALECTS = {"sqlite": "sqlite", "postgresql": "postgres"}
_TYPES = {
    "AutoField": dt.int64, "BigAutoField": dt.int64, "ForeignKey": dt.int64, "IntegerField": dt.int64,
    "BigIntegerField": dt.int64, "PositiveIntegerField": dt.int64, "SmallIntegerField": dt.int16,
    "PositiveSmallIntegerField": dt.int16, "FloatField": dt.float64, "DateField": dt.date,
    "DateTimeField": dt.timestamp, "BooleanField": dt.boolean,
}


class _Tables:
    """Stands in for an Ibis connection: each table as its Django model declares it, unbound, so the
    expression compiles to SQL that Django's connection runs (in the caller's transaction)."""

    def __init__(self):
        from django.apps import apps

        self.models = {m._meta.db_table: m for m in apps.get_models()}

    def table(self, name: str):
        model = self.models[name]
        schema = {f.column: _TYPES.get(f.get_internal_type(), dt.string) for f in model._meta.concrete_fields}
        return ibis.table(schema, name=name)


def _definition(survey):
    from .sources import _stored_definition

    return _stored_definition(survey.key, survey.definition_toml)


def _digest(survey) -> str:
    return hashlib.sha256((survey.definition_toml or "").encode()).hexdigest()


def cells_sql(survey, *, months: Iterable[int] | None = None, basis: str = BASIS,
              using: str = DEFAULT_DB_ALIAS) -> tuple[str, tuple[str, ...]]:
    """The one GROUP BY (engine.sums.sums_expr over the canonical stored table) for `months`, as the
    database's SQL, and the measures it sums."""
    from .sources import _canonical_db_table

    definition = _definition(survey)
    where = None
    if months is not None:
        months = set(months)
        if months and min(months) >= 0:  # the responses of those months' span only (an indexed range)
            lo, hi = month_start(min(months)), month_start(max(months) + 1)
            column = DATE_BASES[basis]
            where = lambda r: (r[column] >= lo) & (r[column] < hi)  # noqa: E731
    table = _canonical_db_table(_Tables(), survey_id=survey.pk, definition=definition,
                                measures=definition.measures, where=where)
    table = with_derived_columns(table, definition=definition, date_basis=basis)
    if months is not None:
        dated = sorted(month_start(m) for m in months if m >= 0)
        condition = table.month.isin(dated) if dated else ibis.literal(False)
        if -1 in months:
            condition |= table.month.isnull()
        table = table.filter(condition)
    measures = definition.measure_keys
    expr = sums_expr(table, measures=measures, by=STANDARD_DIMENSIONS)
    return ibis.to_sql(expr, dialect=DIALECTS[connections[using].vendor]), measures


def _run(sql: str, measures: tuple[str, ...], using: str = DEFAULT_DB_ALIAS) -> MonthlySums:
    with connections[using].cursor() as cursor:
        cursor.execute(sql)
        names = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    if not rows:
        return _empty(measures)
    columns = list(zip(*rows, strict=True))
    result = pa.table({name: pa.array(list(values)) for name, values in zip(names, columns, strict=True)})
    return to_monthly_sums(result, by=STANDARD_DIMENSIONS, strata=None, measures=measures)


def _empty(measures: tuple[str, ...]) -> MonthlySums:
    return MonthlySums(STANDARD_DIMENSIONS, None, measures, np.zeros(0, dtype=np.int64),
                       {d: np.array([], dtype=object) for d in STANDARD_DIMENSIONS}, None,
                       {m: dict.fromkeys(STATISTICS, np.zeros(0)) for m in measures}, np.zeros(0))


def fresh_sums(survey, *, months: Iterable[int] | None = None, basis: str = BASIS,
               using: str = DEFAULT_DB_ALIAS) -> MonthlySums:
    """The months' sums computed now from the stored responses (all months by default)."""
    return _run(*cells_sql(survey, months=months, basis=basis, using=using), using=using)


def refresh_months(survey, months: Iterable[int] | None, *, basis: str = BASIS,
                   using: str = DEFAULT_DB_ALIAS) -> int:
    """Recompute the persisted cells of `months` (month numbers; -1 undated; None: every month) from the
    stored responses, in the caller's transaction. A definition changed since the cells were written
    (other measures, another ethnic grouping) rebuilds every month. Returns the cells written."""
    from citizenfocus.surveys.models import CubeCell, CubeLayout, Survey

    with transaction.atomic(using=using):
        # one refresh of a survey at a time (PostgreSQL): two processes building its first cells, or two
        # imports, must not both delete and then both insert (NO KEY: an import's own rows that refer to the
        # survey take a key-share lock on it, which this must not wait for)
        list(Survey.objects.using(using).select_for_update(no_key=True).filter(pk=survey.pk).values_list("pk"))
        digest = _digest(survey)
        layout = CubeLayout.objects.using(using).filter(survey_id=survey.pk, basis=basis).first()
        measures = _definition(survey).measure_keys
        if layout is None or layout.definition_sha256 != digest or tuple(layout.measures) != measures:
            months = None
        elif months is not None:
            months = sorted(set(months))
            if not months:
                return 0
        sums = fresh_sums(survey, months=months, basis=basis, using=using)
        stale = CubeCell.objects.using(using).filter(survey_id=survey.pk, basis=basis)
        (stale if months is None else stale.filter(month__in=months)).delete()
        matrix = np.ascontiguousarray(
            np.stack([sums.sums[m][s] for m in sums.measures for s in STATISTICS], axis=1)
            if len(sums) and sums.measures else np.zeros((len(sums), 5 * len(sums.measures))), dtype="<f8")
        cells = list(zip([survey.pk] * len(sums), [basis] * len(sums), sums.month.tolist(),
                         *(sums.keys[d].tolist() for d in STANDARD_DIMENSIONS), sums.rows.astype(np.int64).tolist(),
                         [row.tobytes() for row in matrix], strict=True))
        _insert_cells(cells, using=using)
        CubeLayout.objects.using(using).update_or_create(
            survey_id=survey.pk, basis=basis,
            defaults={"measures": list(measures), "definition_sha256": digest, "refreshed_at": timezone.now()})
    return len(cells)


def _insert_cells(cells: list[tuple], *, using: str) -> None:
    """One prepared INSERT for every cell (executemany): a full rebuild writes a cell per row of the GROUP BY."""
    from citizenfocus.surveys.models import CubeCell

    connection = connections[using]
    fields = ("survey_id", "basis", "month", *STANDARD_DIMENSIONS, "rows", "sums")
    names = ", ".join(connection.ops.quote_name(f) for f in fields)
    sql = (f"INSERT INTO {connection.ops.quote_name(CubeCell._meta.db_table)} ({names}) "  # noqa: S608
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    with connection.cursor() as cursor:
        for start in range(0, len(cells), 5000):
            cursor.executemany(sql, cells[start:start + 5000])


def changed_months(survey, *, batch=None, basis: str = BASIS) -> set[int]:
    """The months an import (or an erasure, a purge) may have changed: those of the batch's new and changed
    rows, and every month whose count of stored responses is no longer the count its cells hold (a changed
    row that moved out of a month, an erased one). Two small GROUP BYs on indexed columns."""
    from citizenfocus.surveys.models import CubeCell, Response

    column = DATE_BASES[basis]
    responses = Response.objects.filter(survey_id=survey.pk)
    months: set[int] = set()
    if batch is not None:
        months |= {month_number(d) for d in responses.filter(batch_id=getattr(batch, "pk", batch)).dates(column, "month")}
    held = dict(CubeCell.objects.filter(survey_id=survey.pk, basis=basis).values("month")
                .annotate(total=Sum("rows")).values_list("month", "total"))
    counted = {(month_number(m) if m is not None else -1): c
               for m, c in responses.annotate(m=TruncMonth(column)).values("m").annotate(c=Count("pk"))
               .values_list("m", "c")}
    months |= {m for m in held.keys() | counted.keys() if held.get(m, 0) != counted.get(m, 0)}
    return months


def refresh_changed(survey, *, batch=None, months: Iterable[int] = (), basis: str = BASIS) -> int:
    """refresh_months for `months` and every month changed_months finds: the one call a writer makes."""
    return refresh_months(survey, set(months) | changed_months(survey, batch=batch, basis=basis), basis=basis)


def load_cube(survey_key: str, *, version: tuple = (), basis: str = BASIS, build: bool = True) -> Cube | None:
    """The survey's standard cube from its persisted cells (built first when it has none, or a changed
    definition made them stale; with build=False, None then); None when the survey has no responses."""
    from citizenfocus.surveys.models import CubeLayout, Survey

    survey = Survey.objects.filter(key=survey_key).first()
    if survey is None:
        return None
    definition = _definition(survey)
    layout = CubeLayout.objects.filter(survey=survey, basis=basis).first()
    if layout is None or layout.definition_sha256 != _digest(survey) or tuple(layout.measures) != \
            definition.measure_keys:
        if not build:
            return None
        refresh_months(survey, None, basis=basis)
    sums = _read_cells(survey, definition.measure_keys, basis=basis)
    if not len(sums):
        return None
    key = CubeKey(STANDARD_DIMENSIONS, definition.strata, definition.measure_keys, "weight", basis)
    return Cube(sums, key=key, definition=definition, survey_key=survey_key, version=version)


def cube_for(source, *, dimensions: tuple[str, ...], strata: str | None, measures: tuple[str, ...],
             weight: str = "weight", date_basis: str = "interview") -> Cube | None:
    """The persisted cube, keyed for this request, when it holds what the request groups by (the source is
    Django's own stored responses of a survey, by month of interview, the stored weight, the survey's own
    measures, dimensions and strata among the standard ones, its cells current); else None (group the
    responses: Cube.from_source)."""
    if (getattr(source, "stored_survey", None) is None or date_basis != BASIS or weight != "weight"
            or not set(dimensions) <= set(STANDARD_DIMENSIONS)
            or (strata is not None and strata not in STANDARD_DIMENSIONS)
            or not set(measures) <= set(source.definition.measure_keys)):
        return None
    try:
        cube = load_cube(source.stored_survey, build=False)
    except (DatabaseError, RuntimeError):  # Django's connection is not usable here (not migrated, or not
        return None                         # allowed in this process): group the responses instead
    if cube is None:
        return None
    key = CubeKey(STANDARD_DIMENSIONS, strata, tuple(measures), weight, date_basis)
    return cube.rekeyed(key, definition=source.definition, survey_key=source.stored_survey)


def _read_cells(survey, measures: tuple[str, ...], *, basis: str) -> MonthlySums:
    from citizenfocus.surveys.models import CubeCell

    connection = connections[DEFAULT_DB_ALIAS]
    table = connection.ops.quote_name(CubeCell._meta.db_table)
    columns = ", ".join(("month", *STANDARD_DIMENSIONS, "rows", "sums"))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} WHERE survey_id = %s AND basis = %s",  # noqa: S608
                       [survey.pk, basis])
        rows = cursor.fetchall()
    count = len(rows)
    if count == 0:
        return _empty(measures)
    columns = list(zip(*rows, strict=True))
    matrix = np.frombuffer(b"".join(columns[-1]), dtype="<f8").reshape(count, -1)
    sums = {m: {s: matrix[:, 5 * j + k].copy() for k, s in enumerate(STATISTICS)} for j, m in enumerate(measures)}
    keys = {}
    for i, d in enumerate(STANDARD_DIMENSIONS):
        keys[d] = np.empty(count, dtype=object)
        keys[d][:] = columns[1 + i]
    return MonthlySums(STANDARD_DIMENSIONS, None, measures, np.fromiter(columns[0], dtype=np.int64, count=count),
                       keys, None, sums, np.fromiter(columns[-2], dtype=float, count=count))
