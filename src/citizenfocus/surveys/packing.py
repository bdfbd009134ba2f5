"""A response's answers packed in one text column: two characters a question, at the question's slot.

Each question of a survey has a slot (`SurveyItem`: 0, 1, 2 ... in the order the survey first met them,
never re-used), and a response's `answer_codes` holds its code for the question of slot s at characters
2s + 1 and 2s + 2: the code right-aligned (" 5", "10", "-1"), or two spaces when the question was not
answered. Trailing blank slots are left off, so a response of a survey with more questions than when it was
stored reads them as not answered. One row a response, not one an answer: the write an import pays is the
responses' alone (docs/design-answers.md has the figures that decided it).

Pure functions (numpy, Arrow), no Django: the importer packs with them, the ORM's readers unpack with them,
and the engine reads a slot in SQL (`engine.sources.packed_code`).
"""

from __future__ import annotations

from collections.abc import Mapping

WIDTH = 2
LOWEST, HIGHEST = -9, 99  # the codes two characters hold


def code_text(code: int) -> str:
    """A code as it stands in its slot: " 5", "10", "-1"."""
    if not LOWEST <= code <= HIGHEST:
        raise ValueError(f"answer code {code} is outside {LOWEST} to {HIGHEST}, the codes a survey can store")
    return f"{code:>{WIDTH}d}"


def slot_text(text: str, slot: int) -> str:
    return text[slot * WIDTH:(slot + 1) * WIDTH]


def unpack(text: str | None, slots: Mapping[str, int]) -> dict[str, int]:
    """question → code of one response's packed codes (the questions of `slots` it answered)."""
    out = {}
    for item, slot in slots.items():
        cell = slot_text(text or "", slot).strip()
        if cell:
            out[item] = int(cell)
    return out


def pack(codes: Mapping[str, int | None], slots: Mapping[str, int]) -> str:
    """One response's packed codes from question → code (None or absent: not answered)."""
    width = max(slots.values(), default=-1) + 1
    cells = [" " * WIDTH] * width
    for item, code in codes.items():
        if code is not None:
            cells[slots[item]] = code_text(int(code))
    return "".join(cells).rstrip()


def _slot_texts():
    """Each code's two characters (row code - LOWEST), then a slot not answered (two spaces), as uint8 pairs."""
    import numpy as np

    texts = [code_text(code) for code in range(LOWEST, HIGHEST + 1)] + [" " * WIDTH]
    return np.frombuffer("".join(texts).encode("ascii"), np.uint8).reshape(len(texts), WIDTH)


def pack_columns(columns: Mapping[int, object], rows: int):
    """The packed codes of `rows` responses as an Arrow string array, from slot → that question's codes (an
    Arrow integer array or anything pyarrow takes, nulls where not answered), made in numpy: each code's two
    characters looked up in a table of every code's (code_text)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    width = (max(columns, default=-1) + 1) * WIDTH
    if not rows or not width:
        return pa.array([""] * rows, pa.string())
    texts = _slot_texts()
    chars = np.full((rows, width // WIDTH, WIDTH), ord(" "), np.uint8)
    for slot, column in columns.items():
        array = pa.array(column) if not isinstance(column, pa.Array | pa.ChunkedArray) else column
        bounds = pc.min_max(array)
        low, high = bounds["min"].as_py(), bounds["max"].as_py()
        if low is None:  # nobody answered it
            continue
        if low < LOWEST or high > HIGHEST:
            raise ValueError(f"answer code {low if low < LOWEST else high} is outside {LOWEST} to {HIGHEST}, "
                             "the codes a survey can store")
        code = pc.fill_null(array, HIGHEST + 1).to_numpy(zero_copy_only=False)  # not answered: the blank pair
        chars[:, slot] = texts[code.astype(np.intp) - LOWEST]
    chars = chars.reshape(rows, width)
    # each row's text, trailing blanks left off: Arrow strings from one buffer of the rows end to end
    filled = chars != ord(" ")
    lengths = np.where(filled.any(axis=1), width - np.argmax(filled[:, ::-1], axis=1), 0).astype(np.int32)
    keep = np.arange(width)[None, :] < lengths[:, None]
    data = chars[keep]  # row-major: each row's kept characters in turn
    offsets = np.zeros(rows + 1, np.int32)
    np.cumsum(lengths, out=offsets[1:])
    return pa.StringArray.from_buffers(rows, pa.py_buffer(offsets), pa.py_buffer(data.tobytes()))
