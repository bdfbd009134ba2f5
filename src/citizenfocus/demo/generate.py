"""Streaming the demo surveys as Arrow record batches.

Rows are drawn in fixed chunks of CHUNK_ROWS, each from its own generator
seeded by (seed, survey, chunk number). So the output depends only on
(survey, size, seed): never on the batch size the caller asks for, and a
million rows need no more memory than one chunk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from .confidence import CONFIDENCE_COLUMNS, confidence_chunk
from .perception import KIN_COLUMNS, PERCEPTION_COLUMNS, kin_chunk, perception_chunk
from .uss import USS_COLUMNS, uss_chunk

CHUNK_ROWS = 50_000


@dataclass(frozen=True)
class DemoSurvey:
    key: str
    salt: int  # keeps the two surveys' random streams apart for the same seed
    default_size: int
    columns: tuple[str, ...]
    chunk: Callable[[np.random.Generator, int, int, int], pa.RecordBatch]


DEMO_SURVEYS = {
    # About 20,000 victims a year for three years.
    "uss": DemoSurvey("uss", 1, 60_000, USS_COLUMNS, uss_chunk),
    # About 1,000 residents a quarter for twelve quarters.
    "confidence": DemoSurvey("confidence", 2, 12_000, CONFIDENCE_COLUMNS, confidence_chunk),
    # A force's own perception survey: about 500 residents a quarter.
    "perception": DemoSurvey("perception", 3, 6_000, PERCEPTION_COLUMNS, perception_chunk),
    # Key individuals: about 8 in each of the 60 neighbourhoods, every quarter.
    "kin": DemoSurvey("kin", 4, 5_760, KIN_COLUMNS, kin_chunk),
}


def demo_survey(survey: str) -> DemoSurvey:
    try:
        return DEMO_SURVEYS[survey]
    except KeyError:
        known = ", ".join(DEMO_SURVEYS)
        raise ValueError(f"no demo data for survey {survey!r}; demo surveys: {known}") from None


def _chunks(spec: DemoSurvey, size: int, seed: int) -> Iterator[pa.RecordBatch]:
    for number, start in enumerate(range(0, size, CHUNK_ROWS)):
        stop = min(start + CHUNK_ROWS, size)
        rng = np.random.default_rng([seed, spec.salt, number])
        yield spec.chunk(rng, start, stop, size)


def _rebatch(chunks: Iterator[pa.RecordBatch], batch_rows: int) -> Iterator[pa.RecordBatch]:
    """Re-cut the fixed chunks into batches of batch_rows (the last may be shorter)."""
    pending: list[pa.RecordBatch] = []
    pending_rows = 0
    for chunk in chunks:
        pending.append(chunk)
        pending_rows += chunk.num_rows
        while pending_rows >= batch_rows:
            table = pa.Table.from_batches(pending)
            yield table.slice(0, batch_rows).combine_chunks().to_batches()[0]
            rest = table.slice(batch_rows)
            pending, pending_rows = rest.to_batches(), rest.num_rows
    if pending_rows:
        yield pa.Table.from_batches(pending).combine_chunks().to_batches()[0]


def iter_survey_batches(
    survey: str, *, size: int | None = None, seed: int = 2014, batch_rows: int = 100_000
) -> Iterator[pa.RecordBatch]:
    """Demo responses for survey ('uss' or 'confidence') as Arrow record batches.

    The same (survey, size, seed) always gives the same rows, whatever
    batch_rows is; memory stays bounded however large size is.
    """
    spec = demo_survey(survey)
    size = spec.default_size if size is None else size
    if size < 0:
        raise ValueError(f"size must be 0 or more, not {size}")
    if batch_rows < 1:
        raise ValueError(f"batch_rows must be at least 1, not {batch_rows}")
    if seed < 0:
        raise ValueError(f"seed must be 0 or more, not {seed}")
    return _rebatch(_chunks(spec, size, seed), batch_rows)


def survey_schema(survey: str) -> pa.Schema:
    """The Arrow schema of a demo survey's batches (also right for an empty file)."""
    spec = demo_survey(survey)
    return spec.chunk(np.random.default_rng(0), 0, 1, 1).schema
