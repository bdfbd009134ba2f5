"""Writing the demo surveys to CSV or Parquet, a batch at a time."""

from __future__ import annotations

from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from .generate import iter_survey_batches, survey_schema

FORMATS = ("csv", "parquet")


def _format_for(path: Path, format: str | None) -> str:
    if format is None:
        format = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}.get(path.suffix.lower())
        if format is None:
            raise ValueError(f"{path}: cannot tell the format from the suffix; use .csv or .parquet")
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
    return format


def _writer(path: Path, format: str, schema):
    if format == "csv":
        # Header names are plain identifiers; values are quoted when they are strings
        # (free-text comments may hold commas), as RFC 4180 allows.
        options = pacsv.WriteOptions(quoting_header="none")
        return pacsv.CSVWriter(str(path), schema, write_options=options)
    # Parquet from Arrow carries no timestamp: the same rows give the same bytes.
    return pq.ParquetWriter(str(path), schema, compression="zstd")


def write_survey_file(
    path: str | Path,
    survey: str,
    *,
    size: int | None = None,
    seed: int = 2014,
    format: str | None = None,
) -> int:
    """Write demo responses for survey to path (CSV or Parquet, from the suffix); return rows written.

    Streams batch by batch, so a file of any size needs the memory of one batch.
    Written beside the target and renamed at the end: a failed run never leaves
    half a file where an import could pick it up.
    """
    path = Path(path)
    format = _format_for(path, format)
    schema = survey_schema(survey)
    batches = iter_survey_batches(survey, size=size, seed=seed)
    partial = path.with_name(f".{path.name}.partial")
    written = 0
    try:
        with _writer(partial, format, schema) as writer:
            for batch in batches:
                writer.write_batch(batch)
                written += batch.num_rows
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return written
