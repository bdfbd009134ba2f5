"""Turning a chunk's numpy arrays into Arrow columns without a Python object per row."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def labels(names: tuple[str, ...], index: np.ndarray) -> pa.Array:
    """A string column: names[index[i]] for every row, built by Arrow's take."""
    return pa.array(names, type=pa.string()).take(pa.array(index, type=pa.int64()))


def answer_codes(codes: np.ndarray) -> pa.Array:
    """Answer codes as small integers; code 0 (blank: not asked, no answer) becomes null."""
    return pa.array(codes.astype(np.int8), type=pa.int8(), mask=codes == 0)


def dates(day_numbers: np.ndarray) -> pa.Array:
    return pa.array(day_numbers.astype(np.int32), type=pa.date32())


def response_ids(prefix: str, start: int, stop: int, size: int) -> pa.Array:
    """'USS-0000001'...: numbered from 1, zero-padded to a width fixed by the file's size."""
    width = max(7, len(str(size)))
    numbers = pc.cast(pa.array(np.arange(start + 1, stop + 1, dtype=np.int64)), pa.string())
    padded = pc.utf8_lpad(numbers, width=width, padding="0")
    return pc.binary_join_element_wise(f"{prefix}-", padded, "")


def weights(values: np.ndarray) -> pa.Array:
    """Weights rounded to 4 decimals, as a survey supplier would send them."""
    return pa.array(np.round(values, 4), type=pa.float64())
