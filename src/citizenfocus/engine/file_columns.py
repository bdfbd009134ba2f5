"""Turning an export file's columns into the canonical shape.

Headers are matched as the import matches them (case, spaces, '_' and '-'
ignored; a measure also by its aliases). Answers and ethnicity may be codes or
labels: their distinct values are few, so they are read once and each is
mapped in Python with the definition's own Scale.code_for, the same rule the
import applies; the database then only does exact IN-list matches.
"""

from __future__ import annotations

import re
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.parquet as pq

from citizenfocus.surveys.definition import Scale, SurveyDefinition

from .columns import DATE_COLUMNS, TEXT_COLUMNS

# Day-first dates, as UK spreadsheets write them, when a column is not ISO dates.
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d/%m/%y")


def _norm(text: str) -> str:
    """As the import's header_key: case, spaces, '_', '-' and punctuation do not matter."""
    return " ".join(re.sub(r"[^0-9a-z+]+", " ", str(text).lower()).split())


def match_headers(file_columns: list[str], definition: SurveyDefinition) -> dict[str, str]:
    """canonical name → the file's column, for every canonical column the file has.

    A column's own name wins over an alias; a file column is used once.
    """
    by_norm = {}
    for column in file_columns:
        by_norm.setdefault(_norm(column), column)
    wanted = {name: (name,) for name in (*DATE_COLUMNS, *TEXT_COLUMNS, "weight")}
    for item in definition.items:
        wanted[item.key] = (item.key, item.label, *item.aliases)
    found = {c: by_norm[_norm(c)] for c in wanted if _norm(c) in by_norm}
    for canonical, names in wanted.items():
        taken = set(found.values())
        hits = [by_norm[_norm(n)] for n in names if _norm(n) in by_norm and by_norm[_norm(n)] not in taken]
        if canonical not in found and hits:
            found[canonical] = hits[0]
    return found


def _probe(raw: ir.Table, columns: dict[str, str], *, exact: set[str], known: dict) -> dict:
    """One scan: distinct values of the `exact` columns, min and max of the others (unless `known`)."""
    aggs = {}
    for key, col in columns.items():
        if key in exact:
            aggs[key] = raw[col].collect(distinct=True)
        elif col not in known:
            aggs[f"{key}__min"], aggs[f"{key}__max"] = raw[col].min(), raw[col].max()
    found = raw.aggregate(**aggs).to_pyarrow().to_pylist()[0] if aggs else {}
    for key, col in columns.items():
        if key not in exact and col in known:
            found[f"{key}__min"], found[f"{key}__max"] = known[col]
    return found


def parquet_ranges(path: Path, columns: list[str]) -> dict[str, tuple]:
    """(min, max) of integer columns from a Parquet footer's statistics: no scan at all.

    A column is left out when any row group lacks statistics, and is then scanned.
    """
    try:
        metadata = pq.ParquetFile(path).metadata
    except (OSError, pa.ArrowException):
        return {}
    names = [metadata.schema.column(i).name for i in range(metadata.num_columns)]
    ranges = {}
    for col in columns:
        if col not in names:
            continue
        lows, highs = [], []
        for group in range(metadata.num_row_groups):
            stats = metadata.row_group(group).column(names.index(col)).statistics
            if stats is None or not stats.has_min_max:
                if stats is not None and stats.null_count == metadata.row_group(group).num_rows:
                    continue  # an all-empty row group has no min or max, and needs none
                break
            lows.append(stats.min)
            highs.append(stats.max)
        else:
            ranges[col] = (min(lows), max(highs)) if lows else (None, None)
    return ranges


def _contiguous(codes) -> bool:
    codes = sorted(codes)
    return codes == list(range(codes[0], codes[-1] + 1))


def answer_values(
    raw: ir.Table, *, headers: dict[str, str], definition: SurveyDefinition, known: dict
) -> dict[str, list | None]:
    """The distinct values of each answer column and ethnicity; None where codes are known to be valid.

    An integer column whose values lie within a scale's run of consecutive codes
    needs no distinct scan (min and max say enough): the common, large case.
    """
    measures = [m for m in definition.items if m.key in headers]
    columns = {m.key: headers[m.key] for m in measures} | {"ethnicity": headers["ethnicity"]}
    cheap = {
        m.key for m in measures
        if raw[headers[m.key]].type().is_integer() and _contiguous(m.scale.labels)
    }
    probed = _probe(raw, columns, exact=set(columns) - cheap, known=known)
    values = {key: probed.get(key) or [] for key in columns if key not in cheap}
    recheck = {}
    for measure in (m for m in measures if m.key in cheap):
        low, high = probed[f"{measure.key}__min"], probed[f"{measure.key}__max"]
        within = low is None or (low >= min(measure.scale.labels) and high <= max(measure.scale.labels))
        if within:
            values[measure.key] = None
        else:
            recheck[measure.key] = columns[measure.key]
    if recheck:
        values.update({k: v or [] for k, v in _probe(raw, recheck, exact=set(recheck), known={}).items()})
    return values


def answer_maps(
    raw: ir.Table, *, headers: dict[str, str], definition: SurveyDefinition, known: dict | None = None
) -> tuple[dict[str, dict | None], list[str]]:
    """For each question, its file values → code (None: integer codes, read by the measures in SQL);
    for ethnicity, labels → codes. Also one warning per column holding values the survey does not know.
    """
    values = answer_values(raw, headers=headers, definition=definition, known=known or {})
    maps, warnings = {}, []
    for measure in definition.items:
        if measure.key not in headers:
            continue
        found = values[measure.key]
        unknown = [] if found is None else sorted(str(v) for v in found if measure.scale.code_for(v) is None)
        if found is None or raw[headers[measure.key]].type().is_integer():
            maps[measure.key] = None
        else:
            maps[measure.key] = {v: c for v in found if (c := measure.scale.code_for(v)) is not None}
        if unknown:
            warnings.append(
                f"{measure.key}: {len(unknown)} value(s) the scale does not know, left out of the base: "
                + ", ".join(repr(v) for v in unknown[:5])
            )
    maps["ethnicity"], unknown = _ethnicity_map(values["ethnicity"], definition)
    if unknown:
        warnings.append(
            "ethnicity: value(s) that are neither a code nor a label, counted as not stated: "
            + ", ".join(repr(v) for v in unknown[:5])
        )
    return maps, warnings


def _ethnicity_map(values: list, definition: SurveyDefinition) -> tuple[dict, list[str]]:
    labels = {_norm(label): code for code, label in definition.ethnicity_labels.items()}
    codes = {code.upper(): code for code in definition.ethnicity_labels}
    mapping, unknown = {}, []
    for value in values:
        if value is None or str(value).strip() == "":
            continue  # blank: not stated, as the grouping says
        text = str(value).strip()
        code = codes.get(text.upper()) or labels.get(_norm(text))
        if code is None:
            unknown.append(text)
        elif code != value:
            mapping[value] = code
    return mapping, sorted(unknown)


def _runs(codes) -> list[tuple[int, int]]:
    """Consecutive runs of codes, as (first, last): IN (1,2,3) becomes BETWEEN 1 AND 3, which is faster."""
    runs: list[list[int]] = []
    for code in sorted(codes):
        if runs and code == runs[-1][1] + 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return [(a, b) for a, b in runs]


def _in_codes(column: ir.Value, codes) -> ir.BooleanValue:
    conditions = [column.between(a, b) if a != b else column == a for a, b in _runs(codes)]
    if not conditions:
        return ibis.literal(False)
    condition = conditions[0]
    for more in conditions[1:]:
        condition = condition | more
    return condition


def _outcome(column: ir.Value, mapping: dict | None, scale: Scale) -> ir.IntegerValue:
    """1 / 0 / NULL: integer codes through the scale's code lists; other values through `mapping`."""
    if mapping is None:
        positive, negative = _in_codes(column, scale.positive), _in_codes(column, scale.negative)
    else:
        pos = [v for v, c in mapping.items() if c in scale.positive]
        neg = [v for v, c in mapping.items() if c in scale.negative]
        positive = column.isin(pos) if pos else ibis.literal(False)
        negative = column.isin(neg) if neg else ibis.literal(False)
    one, zero = ibis.literal(1, "int8"), ibis.literal(0, "int8")
    return ibis.cases((positive, one), (negative, zero), else_=ibis.null("int8"))


def _date(column: ir.Value) -> ir.DateValue:
    """A date column as dates: ISO text is cast; day-first text parsed with the format its values fit."""
    dtype = column.type()
    if dtype.is_date():
        return column
    if dtype.is_timestamp():
        return column.date()
    text = column.cast("string").strip()
    sample = [v for v in text.name("v").as_table().filter(text.notnull()).limit(50).to_pyarrow()["v"].to_pylist()]
    fmt = _date_format(sample)
    return text.try_cast("date") if fmt is None else text.as_date(fmt)


def _date_format(sample: list[str]) -> str | None:
    """None for ISO dates (or nothing to go on), else the first day-first format all values fit."""
    from datetime import date, datetime

    def fits(fmt: str | None) -> bool:
        try:
            for value in sample:
                date.fromisoformat(value) if fmt is None else datetime.strptime(value, fmt)
        except ValueError:
            return False
        return True

    return next((fmt for fmt in (None, *DATE_FORMATS) if fits(fmt)), None)


def _ethnicity(column: ir.Value, mapping: dict) -> ir.StringValue:
    text = column.cast("string")
    if not mapping:
        return text
    return ibis.cases(*((text == str(v), code) for v, code in sorted(mapping.items())), else_=text)


def canonical_file_table(
    raw: ir.Table, *, headers: dict[str, str], definition: SurveyDefinition, maps: dict[str, dict],
    measures: tuple | None = None,
) -> ir.Table:
    """The file as the canonical shape, with its other columns kept under their own names."""
    columns = {}
    for name in DATE_COLUMNS:
        columns[name] = _date(raw[headers[name]]) if name in headers else ibis.null("date")
    for name in TEXT_COLUMNS:
        columns[name] = raw[headers[name]].cast("string") if name in headers else ibis.null("string")
    columns["ethnicity"] = _ethnicity(raw[headers["ethnicity"]], maps["ethnicity"])
    for measure in definition.measures if measures is None else measures:
        item = measure.item_key
        columns[measure.key] = (_outcome(raw[headers[item]], maps[item], measure.scale) if item in headers
                                else ibis.null("int8"))
    weight = raw[headers["weight"]].cast("float64").fill_null(1.0) if "weight" in headers else ibis.literal(1.0)
    columns["weight"] = weight
    used = set(headers.values())
    extra = {c: raw[c] for c in raw.columns if c not in used and c not in columns}
    return raw.select(**columns, **extra)
