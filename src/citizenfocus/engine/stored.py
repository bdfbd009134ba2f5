"""The dashboard's cube kept in the database, up to date at every import, erasure and purge.

The standard cube (engine.cube.STANDARD_DIMENSIONS, by month of interview) is persisted as CubeMonth rows
(surveys.models): one row per month packing every cell of the month as arrays (each cell's dimension values as
codes, its count of responses, every measure's five sums and every answer-code share measure's five sums).
`refresh_months(survey, months)` recomputes the given months over the stored responses of those months, a
group of whole months at a time: one query gives the group's responses with their cells' columns (month and
the dimensions, derived as every engine query derives them), weight and each question's code
(_coded_rows_expr, compiled to the database's SQL and run through Django's own connection, so it runs inside
the caller's transaction and sees what the import has just written), and numpy counts them per cell and code
(_sums_of_coded_rows): every measure's five sums follow from its codes' counts, since a measure is 1 for its
positive codes and 0 for its negative ones. Those months' rows are then replaced. After an import, the months
only it holds are counted the same way from its own checked rows (the same expression over DuckDB).
`load_cube(survey_key)` reads them back as an engine Cube (`shares=True`: the distribution's cube of answer-code
shares): a page after an import reads a row per month, not a million responses, and every server process
reads the same rows.

Called from the import's store step (surveys/importing/service.py), erasure (surveys/respondents.py),
purge (surveys/retention.py) and migration surveys 0007 (every month of an existing database).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import duckdb
import ibis
import ibis.expr.datatypes as dt
import numpy as np
import pandas as pd
import pyarrow as pa
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.models import Count, Q, Value
from django.utils import timezone

from .columns import DATE_BASES, with_derived_columns
from .cube import STANDARD_DIMENSIONS, Cube, CubeKey
from .sums import STATISTICS, MonthlySums, month_number, month_start

logger = logging.getLogger(__name__)
FETCH_ROWS = 10_000  # rows read from the database's query at a time (fewer when a row is wide: FETCH_VALUES)
FETCH_VALUES = 1_000_000  # values read from the database's query at a time
ROWS_PER_QUERY = 10_000  # an import's rows summed by one DuckDB query at most (whole months, more if a month has more)
STORED_ROWS_PER_QUERY = 20_000  # stored responses read by one query of the database at most (likewise)
# summing an import's rows: DuckDB keeps a group's rows and its hash tables within this, spilling to disk beyond
# it (1,000,000 x 20 questions: 128 MB peaked 580 MiB, 64 MB 541 MiB, 32 MB ran out and fell back to SQLite)
DUCKDB_MEMORY = "64MB"
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


def _slots(con, survey, wide: bool) -> dict[str, int] | None:
    """The survey's questions' slots in its stored responses' packed codes, read by Django when `con` is the
    database's unbound tables (_Tables); None when con can be read (sources.stored_slots reads its
    surveys_surveyitem) or for an import's rows (wide), which hold a code column per question."""
    if wide or not isinstance(con, _Tables):
        return None
    from citizenfocus.surveys.models import SurveyItem

    return SurveyItem.slots(survey.pk)


def _definition(survey):
    from .sources import _stored_definition

    return _stored_definition(survey.key, survey.definition_toml)


def _digest(survey) -> str:
    return hashlib.sha256((survey.definition_toml or "").encode()).hexdigest()


def _measure_keys(definition) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The persisted measures: the survey's own (the rates' cube) and its answer-code shares (the distribution's)."""
    return definition.measure_keys, tuple(m.key for m in definition.all_share_measures)


def _months_where(months: set[int] | None, basis: str):
    """The responses of `months`' span only (an indexed range on the date), or None (every response)."""
    if months and min(months) >= 0:
        lo, hi = month_start(min(months)), month_start(max(months) + 1)
        column = DATE_BASES[basis]
        return lambda r: (r[column] >= lo) & (r[column] < hi)
    return None


def _in_months(table, months: set[int] | None):
    """The rows (with derived columns) of exactly `months` (-1: undated); all rows when None."""
    if months is None:
        return table
    dated = sorted(month_start(m) for m in months if m >= 0)
    condition = table.month.isin(dated) if dated else ibis.literal(False)
    if -1 in months:
        condition |= table.month.isnull()
    return table.filter(condition)


def _coded_rows_expr(con, survey, definition, *, basis: str, months: Iterable[int] | None = None,
                     wide: bool = False):
    """The responses of `months` (None: all) with the cells' columns (month and STANDARD_DIMENSIONS, derived
    as every engine query derives them: columns.with_derived_columns), the weight and every question's code:
    what _sums_of_coded_rows counts. The stored responses with each question's code read from their packed
    codes (sources._canonical_db_table), or (`wide`) an import's rows, con's surveys_response in DuckDB, which
    hold a code column per question already."""
    from .sources import _canonical_db_table

    months = None if months is None else set(months)
    table = _canonical_db_table(con, survey_id=survey.pk, definition=definition, measures=(),
                                where=_months_where(months, basis), wide=wide, with_codes=True,
                                slots=_slots(con, survey, wide))
    table = _in_months(with_derived_columns(table, definition=definition, date_basis=basis), months)
    return table.select("month", *STANDARD_DIMENSIONS, "weight", *definition.item_keys)


def coded_rows_sql(survey, *, months: Iterable[int] | None = None, basis: str = BASIS,
                   using: str = DEFAULT_DB_ALIAS) -> str:
    """The one query a refresh reads the stored responses of `months` with (_coded_rows_expr), as the
    database's SQL: their cells' columns, weight and each question's code, which _sums_of_coded_rows counts."""
    return ibis.to_sql(_coded_rows_expr(_Tables(), survey, _definition(survey), basis=basis, months=months),
                       dialect=DIALECTS[connections[using].vendor])


def _read_table(sql: str, types: dict[str, pa.DataType], using: str = DEFAULT_DB_ALIAS) -> pa.Table:
    """Run a query through Django's connection and read its rows a slice at a time into one Arrow table (as
    Python tuples a row costs about 30 bytes a column: a slice of FETCH_VALUES values at most), the columns
    named in `types` of those types (SQLite hands dates back as text; a column of NULLs has no type)."""
    with connections[using].cursor() as cursor:
        cursor.execute(sql)
        names = [d[0] for d in cursor.description]
        at_a_time = max(100, min(FETCH_ROWS, FETCH_VALUES // len(names)))
        slices = []
        while rows := cursor.fetchmany(at_a_time):
            columns = list(zip(*rows, strict=True))
            del rows
            slices.append(pa.table({name: pa.array(list(values)) for name, values in zip(names, columns, strict=True)}))
    table = pa.concat_tables(slices, promote_options="permissive") if slices \
        else pa.table({name: pa.array([], pa.null()) for name in names})
    return table.cast(pa.schema([pa.field(f.name, types.get(f.name, f.type)) for f in table.schema]))


def _empty(measures: tuple[str, ...]) -> MonthlySums:
    return MonthlySums(STANDARD_DIMENSIONS, None, measures, np.zeros(0, dtype=np.int64),
                       {d: np.array([], dtype=object) for d in STANDARD_DIMENSIONS}, None,
                       {m: dict.fromkeys(STATISTICS, np.zeros(0)) for m in measures}, np.zeros(0))


def fresh_parts(survey, *, months: Iterable[int] | None = None, basis: str = BASIS,
                using: str = DEFAULT_DB_ALIAS) -> Iterator[MonthlySums]:
    """The months' sums computed now from the stored responses (all months by default), as refresh_months
    persists them, a group of whole months at a time (_month_groups: at most STORED_ROWS_PER_QUERY
    responses, counted by _month_counts): the group's responses with their cells' columns and codes (one
    query, _coded_rows_expr), counted into the cells' sums in numpy (_sums_of_coded_rows), as after an
    import. One query is open at a time and each reads one group's responses, not the whole survey's."""
    definition = _definition(survey)
    layout = _share_layout(definition)
    counts = {month: total for month, (total, _) in _month_counts(survey, None, basis=basis, using=using).items()}
    wanted = set(counts) if months is None else set(months) & set(counts)  # a month with no response: no cells
    # as an import's rows hold them: _sums_of_coded_rows reads a NULL code or weight as NaN
    coded_types = {"month": pa.date32(), "weight": pa.float64(), **dict.fromkeys(definition.item_keys, pa.int16())}
    for group in _month_groups(wanted, counts, limit=STORED_ROWS_PER_QUERY):
        rows = _read_table(coded_rows_sql(survey, months=group, basis=basis, using=using), coded_types, using=using)
        if rows.num_rows:  # else its responses have gone since they were counted
            yield _sums_of_coded_rows(rows, definition, layout)


def fresh_sums(survey, *, months: Iterable[int] | None = None, basis: str = BASIS,
               using: str = DEFAULT_DB_ALIAS) -> MonthlySums:
    """fresh_parts as one MonthlySums."""
    parts = list(fresh_parts(survey, months=months, basis=basis, using=using))
    return _concat(parts) if parts else _empty(_all_keys(_definition(survey)))


def _all_keys(definition) -> tuple[str, ...]:
    """The measures of a refresh's sums: the survey's own, then its share measures."""
    return (*definition.measure_keys, *(m.key for m in definition.all_share_measures))


def _share_layout(definition) -> list[tuple[str, np.ndarray, tuple[str, ...]]]:
    """Per question, in order: its key, its valid codes (sorted: its share measures' order) and their keys."""
    layout = []
    for item in definition.items:
        shares = definition.share_measures(item.key)
        codes = np.array(sorted(int(m.key.rpartition("__code_")[2]) for m in shares), dtype=np.int64)
        layout.append((item.key, codes, tuple(m.key for m in shares)))
    return layout


def _month_numbers_arrow(day: pa.ChunkedArray | pa.Array):
    """Month numbers (-1: undated) of a column of dates, as engine.sums.to_monthly_sums reads them, in Arrow."""
    import pyarrow.compute as pc

    if pa.types.is_string(day.type):  # SQLite can hand dates back as text
        day = pc.cast(day, pa.date32())
    return pc.fill_null(pc.add(pc.multiply(pc.year(day), 12), pc.subtract(pc.month(day), 1)), -1)


def _month_numbers(month: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """Month numbers (-1: undated) of a column of dates, in numpy."""
    return _month_numbers_arrow(month).to_numpy().astype(np.int64)


def _cells_of(coded: pa.Table) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray], np.ndarray]:
    """The cells (month and STANDARD_DIMENSIONS) the rows fall in, ordered by month: each row's cell, and each
    cell's month number, dimension values (None: NULL, a value of its own) and count of rows. Each column's
    values numbered (Arrow's dictionary encoding), the numbers combined column by column (pd.factorize)."""
    import pyarrow.compute as pc

    month = _month_numbers(coded.column("month"))
    key = pd.factorize(month)[0].astype(np.int64)
    for d in STANDARD_DIMENSIONS:
        encoded = pc.dictionary_encode(coded.column(d).combine_chunks(), null_encoding="encode")
        codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        key = pd.factorize(key * (len(encoded.dictionary) + 1) + codes)[0].astype(np.int64)
    count = int(key.max()) + 1
    first = np.unique(key, return_index=True)[1]  # each cell's first row, cells in the order they first appear
    order = np.argsort(month[first], kind="stable")
    rank = np.empty(count, dtype=np.int64)
    rank[order] = np.arange(count)
    first = first[order]
    keys = {d: np.array(coded.column(d).take(pa.array(first)).to_pylist(), dtype=object) for d in STANDARD_DIMENSIONS}
    cell = rank[key]
    return cell, month[first], keys, np.bincount(cell, minlength=count).astype(np.float64)


def _code_positions(column: pa.ChunkedArray | pa.Array, codes: np.ndarray) -> np.ndarray:
    """Each row's code's position among `codes` (sorted), -1 where it is not one of them or not answered (NULL),
    by a table of their range."""
    import pyarrow.compute as pc

    low, high = int(codes[0]), int(codes[-1])
    code = pc.fill_null(column, low - 1).to_numpy(zero_copy_only=False)  # no answer: below every counted code
    table = np.full(high - low + 3, -1, dtype=np.int64)
    table[codes - low + 1] = np.arange(len(codes))
    return table[np.clip(code, low - 1, high + 1).astype(np.intp) - (low - 1)]


def _sums_of_coded_rows(coded: pa.Table, definition, layout) -> MonthlySums:
    """The cells of the responses with their cells' columns, weight and a code column per question
    (_coded_rows_expr: the stored responses, or an import's rows) and every persisted measure's five sums
    (_all_keys), counted in numpy with np.bincount by cell. A measure is 1 for its positive codes and 0 for its
    negative ones (sources.measure_outcome), so its n, Σw and Σw² are those of the rows with one of its codes,
    and its Σwy and Σw²y those of the rows with a positive one; an answer-code share's base is its question's
    valid codes (a NULL weight counted in n, not summed). The share measures' sums are columns of one matrix in
    the layout a month stores them in (_share_matrix): per question n, Σw, Σw², then Σwy, Σw²y per code, in
    code order. What engine.sums.sums_by's GROUP BY gives for the same rows (tests/engine/test_share_sums.py
    holds them equal)."""
    measures = definition.measures
    if not coded.num_rows:
        return _empty(_all_keys(definition))
    cell, month, keys, rows = _cells_of(coded)
    cells = len(month)
    weight = coded.column("weight").to_numpy(zero_copy_only=False).astype(np.float64)
    weight = np.where(np.isnan(weight), 0.0, weight)
    weight2 = weight * weight

    shares_of = {item: (codes, share_keys) for item, codes, share_keys in layout}
    measures_of: dict[str, list] = {}
    for m in measures:
        measures_of.setdefault(m.item_key, []).append(m)
    starts = dict(zip((item for item, _, _ in layout), _share_offsets(layout).tolist(), strict=True))
    matrix = np.zeros((cells, sum(3 + 2 * len(codes) for _, codes, _ in layout)))
    sums: dict[str, dict[str, np.ndarray]] = {}
    for item in dict.fromkeys([*shares_of, *measures_of]):  # a question at a time
        valid = shares_of.get(item, (np.zeros(0, dtype=np.int64), ()))[0]
        counted = set(valid.tolist())  # its valid codes and its measures' (a migrated outcome's stand-in code)
        for m in measures_of.get(item, ()):
            counted.update(set().union(*m.outcome_codes()))
        ordered = np.array(sorted(counted), dtype=np.int64)
        k = len(ordered)
        # n, Σw and Σw² of each cell's rows with each counted code [cell × code]: three counts a question, from
        # which every measure and share of it is summed (the rows of a code set are those of its codes)
        if item in coded.column_names and k:
            position = _code_positions(coded.column(item), ordered)
            flat = np.where(position >= 0, cell * k + position, cells * k)  # cells * k: left out
            by_code = [np.bincount(flat, weights=weights, minlength=cells * k + 1)[:cells * k].reshape(cells, k)
                       for weights in (None, weight, weight2)]
            by_code[0] = by_code[0].astype(np.float64)
        else:
            by_code = [np.zeros((cells, k)) for _ in range(3)]

        def summed(chosen, ordered=ordered, by_code=by_code) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            """n, Σw and Σw² by cell of the rows with one of the codes `chosen`."""
            at = np.searchsorted(ordered, np.array(sorted(chosen), dtype=np.int64))
            return tuple(statistic[:, at].sum(axis=1) for statistic in by_code)

        for m in measures_of.get(item, ()):
            positive, negative = m.outcome_codes()
            n, sw, sw2 = summed(positive | negative)
            _, swy, sw2y = summed(positive)
            sums[m.key] = {"n": n, "sw": sw, "swy": swy, "sw2": sw2, "sw2y": sw2y}
        if item not in shares_of or not len(valid):
            continue
        # the question's columns of the matrix: n, Σw, Σw² of its valid answers (its base), then each code's Σwy
        # and Σw²y (its Σw and Σw²), side by side as a month stores them
        at, width = starts[item], 3 + 2 * len(valid)
        matrix[:, at], matrix[:, at + 1], matrix[:, at + 2] = summed(valid.tolist())
        of_valid = np.searchsorted(ordered, valid)
        matrix[:, at + 3:at + width:2] = by_code[1][:, of_valid]
        matrix[:, at + 4:at + width:2] = by_code[2][:, of_valid]
    at = 0
    for _, valid, share_keys in layout:  # the share measures' arrays: columns of the matrix
        base_of = {"n": matrix[:, at], "sw": matrix[:, at + 1], "sw2": matrix[:, at + 2]}
        for i, key in enumerate(share_keys):
            sums[key] = {**base_of, "swy": matrix[:, at + 3 + 2 * i], "sw2y": matrix[:, at + 4 + 2 * i]}
        at += 3 + 2 * len(valid)
    return MonthlySums(STANDARD_DIMENSIONS, None, _all_keys(definition), month, keys, None, sums, rows,
                       share_matrix=matrix)


def _share_offsets(layout) -> np.ndarray:
    """Where each question's columns start in the share matrix: its base (n, Σw, Σw²), then Σwy, Σw²y per code."""
    return np.cumsum([0, *(3 + 2 * len(codes) for _, codes, _ in layout)])[:-1]


# A month's matrices are kept compressed (zstd, level 1, through pyarrow): at 1,000,000 responses × 20 questions
# they were 491 MB as plain float64 (about half of them zeros: cells with no answer to a question, codes nobody
# in a cell gave), 10-15 times less compressed, which is written and read at about 600-900 MB/s. A blob without
# zstd's frame magic is plain float64, as written before (its first value is a count, whose low bytes are 0).
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


def _compressed(data: bytes) -> bytes:
    import pyarrow as pa

    if not data:
        return data
    return pa.Codec("zstd", compression_level=1).compress(data, asbytes=True)


def _plain(blob: bytes, size: int) -> bytes:
    """A stored matrix's float64 bytes (`size` of them), from its compressed or plain form."""
    import pyarrow as pa

    if blob[:4] != ZSTD_MAGIC:
        return blob
    return pa.Codec("zstd").decompress(blob, decompressed_size=size, asbytes=True)


def _matrix(sums: MonthlySums, measures: tuple[str, ...], rows: np.ndarray) -> bytes:
    """float64 [cell × measure × statistic] of the given rows, little-endian."""
    if not measures:
        return b""
    return np.ascontiguousarray(
        np.stack([sums.sums[m][s][rows] for m in measures for s in STATISTICS], axis=1), dtype="<f8").tobytes()


def _questions(shares: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The share measures grouped by question, in order (`item__code_N`: definition.share_key)."""
    groups: dict[str, list[str]] = {}
    for key in shares:
        groups.setdefault(key.partition("__code_")[0], []).append(key)
    return [tuple(keys) for keys in groups.values()]


def _share_matrix(sums: MonthlySums, shares: tuple[str, ...], rows: np.ndarray) -> bytes:
    """The share measures' sums, float64 [cell × per question: n, Σw, Σw² (the same for every code of the
    question: its base is whoever answered on its scale), then Σwy, Σw²y per code], little-endian: about half
    the width of five sums per code."""
    questions = _questions(shares)
    if not questions:
        return b""
    width = sum(3 + 2 * len(keys) for keys in questions)
    if sums.share_matrix is not None and sums.share_matrix.shape[1] == width:  # counted in this layout: its rows
        return np.ascontiguousarray(sums.share_matrix[rows], dtype="<f8").tobytes()
    out = np.empty((len(rows), width), dtype="<f8")  # filled in place
    at = 0
    for keys in questions:
        base = sums.sums[keys[0]]
        for key in keys[1:]:
            for stat in ("n", "sw", "sw2"):
                if sums.sums[key][stat] is not base[stat] \
                        and not np.array_equal(sums.sums[key][stat][rows], base[stat][rows]):
                    raise RuntimeError(f"share measure {key}: {stat} differs from its question's base")
        for stat in ("n", "sw", "sw2"):
            out[:, at] = base[stat][rows]
            at += 1
        for key in keys:
            for stat in ("swy", "sw2y"):
                out[:, at] = sums.sums[key][stat][rows]
                at += 1
    return out.tobytes()


def _pack(survey, sums: MonthlySums, *, basis: str, measures: tuple[str, ...], shares: tuple[str, ...],
          cells: np.ndarray | None = None) -> list:
    """One CubeMonth per month of `sums` (of its `cells` only, positions, when given: no copy of the rest):
    its cells' dimension values as codes, rows and sums as arrays."""
    from citizenfocus.surveys.models import CubeMonth

    packed = []
    if cells is None:
        cells = np.arange(len(sums))
    if not len(cells):  # the months asked for have no responses left (the last one erased): no rows
        return packed
    order = cells[np.argsort(sums.month[cells], kind="stable")]
    months, starts = np.unique(sums.month[order], return_index=True)
    for month, chosen in zip(months.tolist(), np.split(order, starts[1:]), strict=True):
        keys, codes = {}, np.empty((len(chosen), len(STANDARD_DIMENSIONS)), dtype="<i4")
        for j, d in enumerate(STANDARD_DIMENSIONS):
            found, uniques = pd.factorize(np.asarray(sums.keys[d][chosen], dtype=object), use_na_sentinel=True)
            keys[d] = [*uniques.tolist(), None]  # a missing value (-1) is the last position
            codes[:, j] = np.where(found < 0, len(uniques), found)
        rows = sums.rows[chosen]
        packed.append(CubeMonth(
            survey_id=survey.pk, basis=basis, month=month, responses=int(rows.sum()), cells=len(chosen),
            keys=json.dumps(keys), codes=codes.tobytes(), rows=np.ascontiguousarray(rows, dtype="<f8").tobytes(),
            sums=_compressed(_matrix(sums, measures, chosen)),
            shares=_compressed(_share_matrix(sums, shares, chosen))))
    return packed


@dataclass(frozen=True)
class ImportedRows:
    """The checked rows an import has just stored, as the import kept them (surveys.importing.columnar's
    stored_schema: ROW_FIELDS with area ids, one code column per question): `batches()` reads them again."""

    batch_id: int
    batches: Callable[[], Iterable[pa.RecordBatch]]
    # month → (stored responses, those the batch wrote), counted under the survey's lock (refresh_changed)
    counts: dict[int, tuple[int, int]]


def refresh_months(survey, months: Iterable[int] | None, *, basis: str = BASIS,
                   using: str = DEFAULT_DB_ALIAS, imported: ImportedRows | None = None) -> int:
    """Recompute the persisted cells of `months` (month numbers; -1 undated; None: every month) from the
    stored responses, in the caller's transaction. A definition changed since the cells were written
    (other measures, another ethnic grouping) rebuilds every month. Returns the cells written.

    With `imported` (the rows an import has just stored), the months whose stored responses are all
    rows of that import are summed from those rows (imported_sums: the stored responses are not read
    back), the other months from the stored responses (fresh_sums)."""
    from citizenfocus.surveys.models import CubeLayout, CubeMonth

    with transaction.atomic(using=using):
        _lock(survey, using)
        digest = _digest(survey)
        layout = CubeLayout.objects.using(using).filter(survey_id=survey.pk, basis=basis).first()
        measures, shares = _measure_keys(_definition(survey))
        if layout is None or not _current(layout, digest, measures, shares):
            months = None
        elif months is not None:
            months = sorted(set(months))
            if not months:
                return 0
        stale = CubeMonth.objects.using(using).filter(survey_id=survey.pk, basis=basis)

        def write(parts: Iterable[MonthlySums]) -> int:
            (stale if months is None else stale.filter(month__in=months)).delete()
            written = 0
            for packed in _packed(survey, parts, basis=basis, measures=measures, shares=shares):
                _insert_months(packed, using)
                written += sum(p.cells for p in packed)
            return written

        if imported is None:
            written = write(fresh_parts(survey, months=months, basis=basis, using=using))
        else:
            try:
                written = write(_sums_after_import(survey, months, imported, basis=basis, using=using))
            except duckdb.Error:  # summing the import's rows failed (no room to spill, say): the stored ones
                logger.exception("summing the imported rows of survey %s failed; grouping the stored ones",
                                 survey.pk)
                written = write(fresh_parts(survey, months=months, basis=basis, using=using))
        CubeLayout.objects.using(using).update_or_create(
            survey_id=survey.pk, basis=basis,
            defaults={"measures": list(measures), "share_measures": list(shares), "definition_sha256": digest,
                      "refreshed_at": timezone.now()})
    return written


def _lock(survey, using: str) -> None:
    """One refresh of a survey at a time (PostgreSQL), until the caller's transaction ends: two processes
    building its first cells, or two imports, must not both delete and then both insert (NO KEY: an import's
    own rows that refer to the survey take a key-share lock on it, which this must not wait for)."""
    from citizenfocus.surveys.models import Survey

    list(Survey.objects.using(using).select_for_update(no_key=True).filter(pk=survey.pk).values_list("pk"))


_MONTH_FIELDS = ("survey", "basis", "month", "responses", "cells", "keys", "codes", "rows", "sums", "shares")
_MONTH_TYPES = ("bigint", "text", "integer", "bigint", "integer", "text", "bytea", "bytea", "bytea", "bytea")


def _insert_months(packed: list, using: str) -> None:
    """INSERT the packed months; on PostgreSQL one binary COPY, which sends the arrays as they are (an INSERT
    writes each as an escaped literal, which the client makes and the server parses: about a tenth of a
    first import's CPU there)."""
    from citizenfocus.surveys.models import CubeMonth

    connection = connections[using]
    if connection.vendor != "postgresql" or not packed:
        CubeMonth.objects.using(using).bulk_create(packed, batch_size=100)
        return
    meta = CubeMonth._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in _MONTH_FIELDS)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        if not hasattr(raw, "copy"):  # psycopg 2
            CubeMonth.objects.using(using).bulk_create(packed, batch_size=100)
            return
        import psycopg

        try:
            with raw.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(list(_MONTH_TYPES))
                for m in packed:
                    copy.write_row((m.survey_id, m.basis, m.month, m.responses, m.cells, m.keys, m.codes, m.rows,
                                    m.sums, m.shares))
        except psycopg.Error as exc:  # COPY runs on psycopg's own cursor, outside Django's error wrapping
            raise DatabaseError(str(exc)) from exc


def _packed(survey, parts: Iterable[MonthlySums], *, basis: str, measures: tuple[str, ...],
            shares: tuple[str, ...]) -> Iterator[list]:
    """CubeMonth rows of a stream of sums in which each month's cells come together (_sums_of_coded_rows orders
    them by month), packed as each month completes: only one month's cells are held beyond the slice read."""
    def pack(sums: MonthlySums, cells: np.ndarray) -> list:
        return _pack(survey, sums, basis=basis, measures=measures, shares=shares, cells=cells)

    # the last month's cells of the part before, kept as (that part, their positions): copied only when the
    # next part goes on with the same month (a slice of the database's rows); a part of whole months (an
    # import's group) is packed as it is
    carry: tuple[MonthlySums, np.ndarray] | None = None
    for part in parts:
        if not len(part):
            continue
        if carry is None:
            sums = part
        elif part.month[0] == carry[0].month[carry[1][0]]:
            sums = _concat([_take(*carry), part])
        else:
            yield pack(*carry)
            sums = part
        last = sums.month[-1]
        done = np.flatnonzero(sums.month != last)
        if len(done):
            yield pack(sums, done)
        carry = (sums, np.flatnonzero(sums.month == last))
    if carry is not None:
        yield pack(*carry)


def _take(sums: MonthlySums, rows: np.ndarray) -> MonthlySums:
    """The given rows (cells) of the sums (an array several share measures share, their question's base,
    taken once and shared again)."""
    memo: dict[int, np.ndarray] = {}

    def take(values: np.ndarray) -> np.ndarray:
        if id(values) not in memo:
            memo[id(values)] = values[rows]
        return memo[id(values)]

    return MonthlySums(sums.by, sums.strata, sums.measures, sums.month[rows], {d: sums.keys[d][rows] for d in sums.by},
                       None if sums.stratum is None else sums.stratum[rows],
                       {m: {s: take(sums.sums[m][s]) for s in STATISTICS} for m in sums.measures}, sums.rows[rows])


def _current(layout, digest: str, measures: tuple[str, ...], shares: tuple[str, ...]) -> bool:
    """Whether a layout's rows were written with this definition, these measures and share measures."""
    return (layout.definition_sha256 == digest and tuple(layout.measures) == measures
            and tuple(layout.share_measures) == shares)


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
    expression over DuckDB; every other month from the stored responses (fresh_parts)."""
    counts = imported.counts
    wanted = set(counts) if months is None else set(months)
    in_file = _rows_by_month(imported.batches, basis)
    whole = {m for m in wanted if counts.get(m, (0, 0))[0] == counts.get(m, (0, 0))[1] == in_file.get(m, 0)}
    if whole:
        yield from _imported_parts(survey, imported.batches, months=whole, basis=basis, using=using,
                                   rows_by_month=in_file)
    rest = wanted - whole
    if rest:
        yield from fresh_parts(survey, months=None if rest == set(counts) and months is None else rest,
                               basis=basis, using=using)


def _rows_by_month(batches: Callable[[], Iterable[pa.RecordBatch]], basis: str) -> dict[int, int]:
    """month → the import's checked rows dated in it (-1: undated), read from its file."""
    import pyarrow.compute as pc

    found: dict[int, int] = {}
    for batch in batches():
        counted = pc.value_counts(_month_numbers_of(batch, basis))
        for month, count in zip(counted.field("values").to_pylist(), counted.field("counts").to_pylist(),
                                strict=True):
            found[month] = found.get(month, 0) + count
    return found


def imported_sums(survey, batches: Callable[[], Iterable[pa.RecordBatch]], *, months: Iterable[int] | None,
                  basis: str = BASIS, using: str = DEFAULT_DB_ALIAS) -> MonthlySums:
    """The cells of `months` (None: all) summed from an import's checked rows rather than the stored ones
    (see _imported_parts), as one MonthlySums."""
    parts = list(_imported_parts(survey, batches, months=months, basis=basis, using=using))
    return _concat(parts) if parts else _empty(_all_keys(_definition(survey)))


def _month_groups(months: Iterable[int], rows_by_month: dict[int, int], *, limit: int | None = None) \
        -> list[set[int]]:
    """The months in order, in groups of at most `limit` rows (ROWS_PER_QUERY: an import's rows; a month
    with more is a group of its own)."""
    limit = ROWS_PER_QUERY if limit is None else limit
    groups: list[set[int]] = []
    rows = 0
    for month in sorted(months):
        if not groups or rows + rows_by_month.get(month, 0) > limit:
            groups.append(set())
            rows = 0
        groups[-1].add(month)
        rows += rows_by_month.get(month, 0)
    return groups


def _imported_parts(survey, batches: Callable[[], Iterable[pa.RecordBatch]], *, months: Iterable[int] | None,
                    basis: str = BASIS, using: str = DEFAULT_DB_ALIAS,
                    rows_by_month: dict[int, int] | None = None) -> Iterator[MonthlySums]:
    """The cells of `months` summed from an import's checked rows: the responses' expression of fresh_parts
    (_coded_rows_expr: sources._canonical_db_table with the codes already one column per question, the
    cells' columns derived as every engine query derives them) run by an in-memory DuckDB over the rows read
    from the import's file, with the area names of Django's database, and counted in numpy
    (_sums_of_coded_rows).

    With `rows_by_month` (the import's rows per month), the months are summed a group at a time
    (_month_groups): the import's file is read once, each of its rows written to its group's own file
    (_split_by_group), and each group's rows read by one query, so nothing holds more than a group's rows
    and cells."""
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
        layout = _share_layout(definition)
        grouped = rows_by_month is not None and months is not None
        if grouped:
            groups = _month_groups(months, rows_by_month)
            readers = _split_by_group(batches, groups, basis=basis, directory=spill.name,
                                      columns=(*_RESPONSE_COLUMNS.values(), *definition.item_keys))
        else:
            chosen = None if months is None else set(months)
            readers = [lambda: _filtered(batches(), chosen, basis)]
        coded_sql = None
        for rows_of_group in readers:
            # the group's rows, read once by the one query (its table holds only the wanted months)
            con.con.register("surveys_response", _as_responses(survey.pk, rows_of_group, definition.item_keys))
            if coded_sql is None:
                coded_sql = ibis.to_sql(_coded_rows_expr(con, survey, definition, basis=basis, wide=True),
                                        dialect="duckdb")
            coded = con.con.sql(coded_sql).to_arrow_table()
            con.con.unregister("surveys_response")
            if coded.num_rows:
                yield _sums_of_coded_rows(coded, definition, layout)
    finally:
        con.disconnect()
        spill.cleanup()


def _month_numbers_of(batch: pa.RecordBatch, basis: str) -> pa.Array:
    """Each checked row's month number (-1: undated)."""
    return _month_numbers_arrow(batch.column(DATE_BASES[basis]))


def _filtered(batches: Iterable[pa.RecordBatch], months: set[int] | None, basis: str) -> Iterator[pa.RecordBatch]:
    """The batches' rows dated in `months` (None: all)."""
    import pyarrow.compute as pc

    wanted = None if months is None else pa.array(sorted(months), pa.int64())
    for batch in batches:
        if wanted is not None:
            batch = batch.filter(pc.is_in(_month_numbers_of(batch, basis), value_set=wanted))
        if batch.num_rows:
            yield batch


def _split_by_group(batches: Callable[[], Iterable[pa.RecordBatch]], groups: list[set[int]], *, basis: str,
                    directory: str, columns: Iterable[str]) -> list[Callable[[], Iterator[pa.RecordBatch]]]:
    """The import's rows of each group of months, read once and written to a file of the group's own (Arrow
    IPC, in `directory`), with only the given `columns` (those summed): for each group, a function giving its
    rows. Memory: one batch; disk: the rows of the groups once more (an import's rows in months of no group
    are left out)."""
    import os

    known = np.array(sorted(m for g in groups for m in g), dtype=np.int64)
    if not len(known):
        return []
    kept = set(columns)
    group_of = np.empty(len(known), dtype=np.int64)
    for g, group in enumerate(groups):
        group_of[np.searchsorted(known, sorted(group))] = g
    paths = [os.path.join(directory, f"group-{g}.arrow") for g in range(len(groups))]
    writers: dict[int, pa.ipc.RecordBatchStreamWriter] = {}
    try:
        for batch in batches():
            if not batch.num_rows:
                continue
            month = _month_numbers_of(batch, basis).to_numpy()
            batch = batch.select([name for name in batch.schema.names if name in kept])
            at = np.minimum(np.searchsorted(known, month), len(known) - 1)
            group = np.where(known[at] == month, group_of[at], -1)
            order = np.argsort(group, kind="stable")
            ordered = group[order]
            starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
            ends = np.r_[starts[1:], len(ordered)]
            for start, end in zip(starts, ends, strict=True):
                g = int(ordered[start])
                if g < 0:
                    continue
                if g not in writers:
                    writers[g] = pa.ipc.new_stream(paths[g], batch.schema)
                writers[g].write_batch(batch.take(pa.array(order[start:end])))
    finally:
        for writer in writers.values():
            writer.close()

    def reader(g: int) -> Callable[[], Iterator[pa.RecordBatch]]:
        def read() -> Iterator[pa.RecordBatch]:
            if g in writers:
                with pa.memory_map(paths[g]) as source:
                    yield from pa.ipc.open_stream(source)
        return read

    return [reader(g) for g in range(len(groups))]


_RESPONSE_COLUMNS = {  # the surveys_response columns the canonical table reads, from the checked rows' fields
    "response_id": "response_id", "interview_date": "interview_date", "incident_date": "incident_date",
    "crime_type": "crime_type", "division_id": "division", "neighbourhood_id": "neighbourhood",
    "ward_id": "ward", "ethnicity": "ethnicity", "age_band": "age_band", "sex": "sex",
    "disability": "disability", "weight": "weight",
}


def _as_responses(survey_id: int, batches: Callable[[], Iterable[pa.RecordBatch]], items: tuple[str, ...]) \
        -> pa.RecordBatchReader:
    """The checked rows as surveys_response rows with a code column per question (int16, as the stored codes
    read as a column per question give them), read lazily: one batch in memory at a time."""
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
    """The parts' cells one after another (arrays shared by share measures in every part stay shared)."""
    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    memo: dict[tuple[int, ...], np.ndarray] = {}

    def concat(m: str, s: str) -> np.ndarray:
        key = tuple(id(p.sums[m][s]) for p in parts)
        if key not in memo:
            memo[key] = np.concatenate([p.sums[m][s] for p in parts])
        return memo[key]

    return MonthlySums(first.by, first.strata, first.measures, np.concatenate([p.month for p in parts]),
                       {d: np.concatenate([p.keys[d] for p in parts]) for d in first.by}, None,
                       {m: {s: concat(m, s) for s in STATISTICS} for m in first.measures},
                       np.concatenate([p.rows for p in parts]))


def changed_months(survey, *, batch=None, basis: str = BASIS) -> set[int]:
    """The months an import (or an erasure, a purge) may have changed: those of the batch's new and changed
    rows, and every month whose count of stored responses is no longer the count its cells hold (a changed
    row that moved out of a month, an erased one). Two small GROUP BYs on indexed columns."""
    return _changed_months(survey, _month_counts(survey, getattr(batch, "pk", batch), basis=basis), basis=basis)


def _changed_months(survey, counts: dict[int, tuple[int, int]], *, basis: str) -> set[int]:
    from citizenfocus.surveys.models import CubeMonth

    months = {m for m, (_, mine) in counts.items() if mine}
    held = dict(CubeMonth.objects.filter(survey_id=survey.pk, basis=basis).values_list("month", "responses"))
    months |= {m for m in held.keys() | counts.keys() if held.get(m, 0) != counts.get(m, (0, 0))[0]}
    return months


def refresh_changed(survey, *, batch=None, months: Iterable[int] = (), basis: str = BASIS,
                    imported: Callable[[], Iterable[pa.RecordBatch]] | None = None) -> int:
    """refresh_months for `months` and every month changed_months finds: the one call a writer makes.
    An import passes `imported`, its checked rows (a fresh iterator of record batches at each call), with
    its batch: the months only it holds are summed from them (refresh_months). The months' responses are
    counted once, under the survey's lock (so no other refresh commits between the count and the sums)."""
    batch_id = getattr(batch, "pk", batch)
    with transaction.atomic():
        _lock(survey, DEFAULT_DB_ALIAS)
        counts = _month_counts(survey, batch_id, basis=basis)
        rows = ImportedRows(batch_id, imported, counts) if imported is not None and batch is not None else None
        return refresh_months(survey, set(months) | _changed_months(survey, counts, basis=basis), basis=basis,
                              imported=rows)


def load_cube(survey_key: str, *, version: tuple = (), basis: str = BASIS, build: bool = True,
              shares: bool = False) -> Cube | None:
    """The survey's standard cube from its persisted rows (built first when it has none, or a changed
    definition made them stale; with build=False, None then); None when the survey has no responses.
    `shares`: the cube of every question's answer-code shares (the distribution page's) instead."""
    from citizenfocus.surveys.models import CubeLayout, Survey

    survey = Survey.objects.filter(key=survey_key).first()
    if survey is None:
        return None
    definition = _definition(survey)
    measures, share_keys = _measure_keys(definition)
    layout = CubeLayout.objects.filter(survey=survey, basis=basis).first()
    if layout is None or not _current(layout, _digest(survey), measures, share_keys):
        if not build:
            return None
        refresh_months(survey, None, basis=basis)
    chosen = share_keys if shares else measures
    sums = read_sums(survey, chosen, basis=basis, shares=shares)
    if not len(sums):
        return None
    key = CubeKey(STANDARD_DIMENSIONS, definition.strata, chosen, "weight", basis)
    return Cube(sums, key=key, definition=definition, survey_key=survey_key, version=version)


def cube_for(source, *, dimensions: tuple[str, ...], strata: str | None, measures: tuple[str, ...],
             weight: str = "weight", date_basis: str = "interview") -> Cube | None:
    """The persisted cube, keyed for this request, when it holds what the request groups by (the source is
    Django's own stored responses of a survey, by month of interview, the stored weight, the survey's own
    measures — or its answer-code share measures — dimensions and strata among the standard ones, its rows
    current); else None (group the responses: Cube.from_source)."""
    if (getattr(source, "stored_survey", None) is None or date_basis != BASIS or weight != "weight"
            or not set(dimensions) <= set(STANDARD_DIMENSIONS)
            or (strata is not None and strata not in STANDARD_DIMENSIONS)):
        return None
    own, share_keys = _measure_keys(source.definition)
    if set(measures) <= set(own):
        shares = False
    elif set(measures) <= set(share_keys):
        shares = True
    else:
        return None
    try:
        cube = load_cube(source.stored_survey, build=False, shares=shares)
    except (DatabaseError, RuntimeError):  # Django's connection is not usable here (not migrated, or not
        return None                         # allowed in this process): group the responses instead
    if cube is None:
        return None
    key = CubeKey(STANDARD_DIMENSIONS, strata, tuple(measures), weight, date_basis)
    return cube.rekeyed(key, definition=source.definition, survey_key=source.stored_survey)


def read_sums(survey, measures: tuple[str, ...], *, basis: str = BASIS, shares: bool = False) -> MonthlySums:
    """The persisted cells as MonthlySums: a row per month read with one cursor, its arrays decoded with
    np.frombuffer (`shares`: the share measures' sums, else the measures'). `measures` names the measures of
    the stored matrix, in the layout's order (all of them: the matrix's width follows from them)."""
    from citizenfocus.surveys.models import CubeMonth

    connection = connections[DEFAULT_DB_ALIAS]
    table = connection.ops.quote_name(CubeMonth._meta.db_table)
    matrix_column = "shares" if shares else "sums"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT month, cells, keys, codes, rows, {matrix_column} FROM {table} "  # noqa: S608
                       "WHERE survey_id = %s AND basis = %s ORDER BY month", [survey.pk, basis])
        found = cursor.fetchall()
    count = sum(cells for _, cells, *_ in found)
    if count == 0:
        return _empty(measures)
    width = sum(3 + 2 * len(keys) for keys in _questions(measures)) if shares else 5 * len(measures)
    month = np.repeat(np.array([m for m, *_ in found], dtype=np.int64), [c for _, c, *_ in found])
    rows = np.frombuffer(b"".join(bytes(r[4]) for r in found), dtype="<f8").astype(float)
    matrix = np.frombuffer(b"".join(_plain(bytes(r[5]), r[1] * width * 8) for r in found),
                           dtype="<f8").reshape(count, width)
    codes = [np.frombuffer(bytes(r[3]), dtype="<i4").reshape(r[1], len(STANDARD_DIMENSIONS)) for r in found]
    values = [json.loads(r[2]) for r in found]
    keys = {}
    for j, d in enumerate(STANDARD_DIMENSIONS):
        parts = []
        for month_values, month_codes in zip(values, codes, strict=True):
            lookup = np.empty(len(month_values[d]), dtype=object)
            lookup[:] = month_values[d]
            parts.append(lookup[month_codes[:, j]])
        keys[d] = np.concatenate(parts)
    if shares:
        sums, at = {}, 0
        for codes_of in _questions(measures):
            base = {s: matrix[:, at + k].copy() for k, s in enumerate(("n", "sw", "sw2"))}
            for i, key in enumerate(codes_of):
                sums[key] = {**base, "swy": matrix[:, at + 3 + 2 * i].copy(), "sw2y": matrix[:, at + 4 + 2 * i].copy()}
            at += 3 + 2 * len(codes_of)
    else:
        sums = {m: {s: matrix[:, 5 * i + k].copy() for k, s in enumerate(STATISTICS)} for i, m in enumerate(measures)}
    return MonthlySums(STANDARD_DIMENSIONS, None, measures, month, keys, None, sums, rows)
