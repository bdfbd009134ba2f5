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
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import duckdb
import ibis
import ibis.expr.datatypes as dt
import numpy as np
import pyarrow as pa
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.models import Count, Q, Sum, Value
from django.utils import timezone

from .columns import DATE_BASES, with_derived_columns
from .cube import STANDARD_DIMENSIONS, Cube, CubeKey
from .sums import STATISTICS, MonthlySums, month_number, month_start, sums_expr, to_monthly_sums

logger = logging.getLogger(__name__)
FETCH_ROWS = 10_000  # cells read from the GROUP BY at a time
CELLS_AT_A_TIME = 5_000  # cells written by one executemany
DUCKDB_MEMORY = "128MB"  # summing an import's rows: DuckDB keeps its hash tables within this, spilling to disk beyond it
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


def _cells_expr(con, survey, definition, *, months: Iterable[int] | None, basis: str, wide: bool = False):
    """The one GROUP BY (engine.sums.sums_expr over the canonical stored table) for `months`, as an Ibis
    expression over `con`'s tables (wide: see sources._canonical_db_table)."""
    from .sources import _canonical_db_table

    where = None
    if months is not None:
        months = set(months)
        if months and min(months) >= 0:  # the responses of those months' span only (an indexed range)
            lo, hi = month_start(min(months)), month_start(max(months) + 1)
            column = DATE_BASES[basis]
            where = lambda r: (r[column] >= lo) & (r[column] < hi)  # noqa: E731
    table = _canonical_db_table(con, survey_id=survey.pk, definition=definition,
                                measures=definition.measures, where=where, wide=wide)
    table = with_derived_columns(table, definition=definition, date_basis=basis)
    if months is not None:
        dated = sorted(month_start(m) for m in months if m >= 0)
        condition = table.month.isin(dated) if dated else ibis.literal(False)
        if -1 in months:
            condition |= table.month.isnull()
        table = table.filter(condition)
    return sums_expr(table, measures=definition.measure_keys, by=STANDARD_DIMENSIONS)


def cells_sql(survey, *, months: Iterable[int] | None = None, basis: str = BASIS,
              using: str = DEFAULT_DB_ALIAS) -> tuple[str, tuple[str, ...]]:
    """The one GROUP BY (engine.sums.sums_expr over the canonical stored table) for `months`, as the
    database's SQL, and the measures it sums."""
    definition = _definition(survey)
    expr = _cells_expr(_Tables(), survey, definition, months=months, basis=basis)
    return ibis.to_sql(expr, dialect=DIALECTS[connections[using].vendor]), definition.measure_keys


def _run(sql: str, measures: tuple[str, ...], using: str = DEFAULT_DB_ALIAS) -> MonthlySums:
    """Run the GROUP BY and read its rows a slice at a time into Arrow columns: a whole survey's cells
    (a row of 6 keys and 5 sums per measure each) held as Python tuples at once are several hundred MiB."""
    parts = []
    with connections[using].cursor() as cursor:
        cursor.execute(sql)
        names = [d[0] for d in cursor.description]
        while rows := cursor.fetchmany(FETCH_ROWS):
            columns = list(zip(*rows, strict=True))
            del rows
            parts.append(pa.table({name: pa.array(list(values)) for name, values in zip(names, columns, strict=True)}))
    if not parts:
        return _empty(measures)
    result = pa.concat_tables(parts, promote_options="default")  # a slice of NULLs only is typed null
    return to_monthly_sums(result, by=STANDARD_DIMENSIONS, strata=None, measures=measures)


def _empty(measures: tuple[str, ...]) -> MonthlySums:
    return MonthlySums(STANDARD_DIMENSIONS, None, measures, np.zeros(0, dtype=np.int64),
                       {d: np.array([], dtype=object) for d in STANDARD_DIMENSIONS}, None,
                       {m: dict.fromkeys(STATISTICS, np.zeros(0)) for m in measures}, np.zeros(0))


def fresh_sums(survey, *, months: Iterable[int] | None = None, basis: str = BASIS,
               using: str = DEFAULT_DB_ALIAS) -> MonthlySums:
    """The months' sums computed now from the stored responses (all months by default)."""
    return _run(*cells_sql(survey, months=months, basis=basis, using=using), using=using)


@dataclass(frozen=True)
class ImportedRows:
    """The checked rows an import has just stored, as the import kept them (surveys.importing.columnar's
    stored_schema: ROW_FIELDS with area ids, one code column per question): `batches()` reads them again."""

    batch_id: int
    batches: Callable[[], Iterable[pa.RecordBatch]]


def refresh_months(survey, months: Iterable[int] | None, *, basis: str = BASIS,
                   using: str = DEFAULT_DB_ALIAS, imported: ImportedRows | None = None) -> int:
    """Recompute the persisted cells of `months` (month numbers; -1 undated; None: every month) from the
    stored responses, in the caller's transaction. A definition changed since the cells were written
    (other measures, another ethnic grouping) rebuilds every month. Returns the cells written.

    With `imported` (the rows an import has just stored), the months whose stored responses are all
    rows of that import are summed from those rows (imported_sums: no pivot of the stored answers), the
    other months by the GROUP BY of the stored responses (fresh_sums)."""
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
        stale = CubeCell.objects.using(using).filter(survey_id=survey.pk, basis=basis)
        (stale if months is None else stale.filter(month__in=months)).delete()
        parts = ([fresh_sums(survey, months=months, basis=basis, using=using)] if imported is None
                 else _sums_after_import(survey, months, imported, basis=basis, using=using))
        written = 0
        try:
            for sums in parts:  # the cells of the stored responses, or of the import's rows a slice at a time
                _insert_cells(_cells(survey.pk, basis, sums), using=using)
                written += len(sums)
        except duckdb.Error:  # summing the import's rows failed (no room to spill, say): the stored ones
            logger.exception("summing the imported rows of survey %s failed; grouping the stored ones", survey.pk)
            (stale if months is None else stale.filter(month__in=months)).delete()
            sums = fresh_sums(survey, months=months, basis=basis, using=using)
            _insert_cells(_cells(survey.pk, basis, sums), using=using)
            written = len(sums)
        CubeLayout.objects.using(using).update_or_create(
            survey_id=survey.pk, basis=basis,
            defaults={"measures": list(measures), "definition_sha256": digest, "refreshed_at": timezone.now()})
    return written


def _cells(survey_id: int, basis: str, sums: MonthlySums) -> Iterator[list[tuple]]:
    """CubeCell rows of the sums, a slice at a time (a whole survey's rows at once would be hundreds of MiB)."""
    for start in range(0, len(sums), CELLS_AT_A_TIME):
        part = slice(start, start + CELLS_AT_A_TIME)
        count = len(sums.month[part])
        matrix = np.ascontiguousarray(
            np.stack([sums.sums[m][s][part] for m in sums.measures for s in STATISTICS], axis=1)
            if sums.measures else np.zeros((count, 0)), dtype="<f8")
        yield list(zip([survey_id] * count, [basis] * count, sums.month[part].tolist(),
                       *(sums.keys[d][part].tolist() for d in STANDARD_DIMENSIONS),
                       sums.rows[part].astype(np.int64).tolist(), [row.tobytes() for row in matrix], strict=True))


def _month_counts(survey, batch_id: int | None, *, basis: str, using: str = DEFAULT_DB_ALIAS) \
        -> dict[int, tuple[int, int]]:
    """month → (stored responses of the survey, those of them the batch wrote): one GROUP BY of the date
    itself (the index's column; SQLite truncates a date to its month by a Python function per row), added up
    by month here."""
    from citizenfocus.surveys.models import Response

    column = DATE_BASES[basis]
    counts = (Count("pk", filter=Q(batch_id=batch_id)) if batch_id is not None else Value(0))
    found = (Response.objects.using(using).filter(survey_id=survey.pk).values(column)
             .annotate(total=Count("pk"), mine=counts).values_list(column, "total", "mine").order_by())
    months: dict[int, tuple[int, int]] = {}
    for day, total, mine in found:
        month = month_number(day) if day is not None else -1
        was = months.get(month, (0, 0))
        months[month] = (was[0] + total, was[1] + mine)
    return months


def _sums_after_import(survey, months: list[int] | None, imported: ImportedRows, *, basis: str,
                       using: str) -> Iterator[MonthlySums]:
    """The sums of `months` (None: every month) after an import, a part at a time.

    A month whose every stored response the import wrote (new, or changed by it) holds exactly the
    import's checked rows of that month that were stored: the store writes those values and answers as
    they are, and leaves unchanged rows under their earlier batch. The rows of the file it did not store
    (an erased respondent's, withheld by the database) are told by the count: such a month's rows in
    the file outnumber its stored responses. Those months are summed from the import's rows, by the same
    expression over DuckDB; every other month by the GROUP BY of the stored responses."""
    counts = _month_counts(survey, imported.batch_id, basis=basis, using=using)
    wanted = set(counts) if months is None else set(months)
    in_file = _rows_by_month(imported.batches, basis)
    whole = {m for m in wanted if counts.get(m, (0, 0))[0] == counts.get(m, (0, 0))[1] == in_file.get(m, 0)}
    if whole:
        yield from _imported_parts(survey, imported.batches, months=whole, basis=basis, using=using)
    rest = wanted - whole
    if rest:
        yield fresh_sums(survey, months=None if rest == set(counts) and months is None else rest, basis=basis,
                         using=using)


def _rows_by_month(batches: Callable[[], Iterable[pa.RecordBatch]], basis: str) -> dict[int, int]:
    """month → the import's checked rows dated in it (-1: undated), read from its file."""
    import pyarrow.compute as pc

    found: dict[int, int] = {}
    for batch in batches():
        day = batch.column(DATE_BASES[basis])
        numbers = pc.fill_null(pc.add(pc.multiply(pc.year(day), 12), pc.subtract(pc.month(day), 1)), -1)
        counted = pc.value_counts(numbers)
        for month, count in zip(counted.field("values").to_pylist(), counted.field("counts").to_pylist(),
                                strict=True):
            found[month] = found.get(month, 0) + count
    return found


def imported_sums(survey, batches: Callable[[], Iterable[pa.RecordBatch]], *, months: Iterable[int] | None,
                  basis: str = BASIS, using: str = DEFAULT_DB_ALIAS) -> MonthlySums:
    """The cells of `months` (None: all) summed from an import's checked rows rather than the stored ones
    (see _imported_parts), as one MonthlySums."""
    parts = list(_imported_parts(survey, batches, months=months, basis=basis, using=using))
    return _concat(parts) if parts else _empty(_definition(survey).measure_keys)


def _imported_parts(survey, batches: Callable[[], Iterable[pa.RecordBatch]], *, months: Iterable[int] | None,
                    basis: str = BASIS, using: str = DEFAULT_DB_ALIAS) -> Iterator[MonthlySums]:
    """The cells of `months` summed from an import's checked rows: the expression of fresh_sums
    (sources._canonical_db_table with the codes already one column per question, the same measures derived
    from them, sums.sums_expr), run by an in-memory DuckDB that reads the rows from the import's file a batch
    at a time, with the area names of Django's database; its cells come back a slice at a time (a whole
    survey's cells at once, as Arrow and as numpy, were most of a first import's peak memory)."""
    import tempfile

    definition = _definition(survey)
    models = _Tables().models
    spill = tempfile.TemporaryDirectory(prefix="citizenfocus-cells-")
    con = ibis.duckdb.connect(threads=1, memory_limit=DUCKDB_MEMORY, temp_directory=spill.name,
                              preserve_insertion_order=False)
    try:
        for table in ("areas_division", "areas_neighbourhood", "areas_ward"):
            found = list(models[table].objects.using(using).values_list("pk", "name"))
            con.con.register(table, pa.table({"id": pa.array([pk for pk, _ in found], pa.int64()),
                                              "name": pa.array([name for _, name in found], pa.string())}))
        reader = _as_responses(survey.pk, batches, definition.item_keys)
        con.con.register("surveys_response", reader)
        expr = _cells_expr(con, survey, definition, months=months, basis=basis, wide=True)
        for batch in con.con.sql(ibis.to_sql(expr, dialect="duckdb")).to_arrow_reader(FETCH_ROWS):
            yield to_monthly_sums(pa.Table.from_batches([batch]), by=STANDARD_DIMENSIONS, strata=None,
                                  measures=definition.measure_keys)
    finally:
        con.disconnect()
        spill.cleanup()


_RESPONSE_COLUMNS = {  # the surveys_response columns the canonical table reads, from the checked rows' fields
    "response_id": "response_id", "interview_date": "interview_date", "incident_date": "incident_date",
    "crime_type": "crime_type", "division_id": "division", "neighbourhood_id": "neighbourhood",
    "ward_id": "ward", "ethnicity": "ethnicity", "age_band": "age_band", "sex": "sex",
    "disability": "disability", "weight": "weight",
}


def _as_responses(survey_id: int, batches, items: tuple[str, ...]) -> pa.RecordBatchReader:
    """The checked rows as surveys_response rows with a code column per question (int16, as the pivot
    of the stored answers gives them), read lazily: one batch in memory at a time."""
    def projected():
        for batch in batches():
            n = batch.num_rows
            names = batch.schema.names
            columns = [batch.column(field) for field in _RESPONSE_COLUMNS.values()]
            columns.append(pa.array(np.full(n, survey_id, dtype=np.int64)))
            columns += [batch.column(item).cast(pa.int16()) if item in names else pa.nulls(n, pa.int16())
                        for item in items]
            yield pa.RecordBatch.from_arrays(columns, schema=schema)

    fields = {"response_id": pa.string(), "interview_date": pa.date32(), "incident_date": pa.date32(),
              "division_id": pa.int64(), "neighbourhood_id": pa.int64(), "ward_id": pa.int64(), "weight": pa.float64()}
    schema = pa.schema([*((name, fields.get(name, pa.string())) for name in _RESPONSE_COLUMNS),
                        ("survey_id", pa.int64()), *((item, pa.int16()) for item in items)])
    return pa.RecordBatchReader.from_batches(schema, projected())


def _concat(parts: list[MonthlySums]) -> MonthlySums:
    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    return MonthlySums(first.by, first.strata, first.measures, np.concatenate([p.month for p in parts]),
                       {d: np.concatenate([p.keys[d] for p in parts]) for d in first.by}, None,
                       {m: {s: np.concatenate([p.sums[m][s] for p in parts]) for s in STATISTICS}
                        for m in first.measures}, np.concatenate([p.rows for p in parts]))


def _insert_cells(cells: Iterable[list[tuple]], *, using: str) -> None:
    """One prepared INSERT for every cell (executemany), a slice of cells at a time."""
    from citizenfocus.surveys.models import CubeCell

    connection = connections[using]
    fields = ("survey_id", "basis", "month", *STANDARD_DIMENSIONS, "rows", "sums")
    names = ", ".join(connection.ops.quote_name(f) for f in fields)
    sql = (f"INSERT INTO {connection.ops.quote_name(CubeCell._meta.db_table)} ({names}) "  # noqa: S608
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    with connection.cursor() as cursor:
        for part in cells:
            cursor.executemany(sql, part)


def changed_months(survey, *, batch=None, basis: str = BASIS) -> set[int]:
    """The months an import (or an erasure, a purge) may have changed: those of the batch's new and changed
    rows, and every month whose count of stored responses is no longer the count its cells hold (a changed
    row that moved out of a month, an erased one). Two small GROUP BYs on indexed columns."""
    from citizenfocus.surveys.models import CubeCell

    counts = _month_counts(survey, getattr(batch, "pk", batch), basis=basis)
    months = {m for m, (_, mine) in counts.items() if mine}
    held = dict(CubeCell.objects.filter(survey_id=survey.pk, basis=basis).values("month")
                .annotate(total=Sum("rows")).values_list("month", "total"))
    months |= {m for m in held.keys() | counts.keys() if held.get(m, 0) != counts.get(m, (0, 0))[0]}
    return months


def refresh_changed(survey, *, batch=None, months: Iterable[int] = (), basis: str = BASIS,
                    imported: Callable[[], Iterable[pa.RecordBatch]] | None = None) -> int:
    """refresh_months for `months` and every month changed_months finds: the one call a writer makes.
    An import passes `imported`, its checked rows (a fresh iterator of record batches at each call), with
    its batch: the months only it holds are summed from them (refresh_months)."""
    rows = ImportedRows(getattr(batch, "pk", batch), imported) if imported is not None and batch is not None \
        else None
    return refresh_months(survey, set(months) | changed_months(survey, batch=batch, basis=basis), basis=basis,
                          imported=rows)


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
    return Cube(cube.data, key=key, definition=source.definition, survey_key=source.stored_survey)


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
