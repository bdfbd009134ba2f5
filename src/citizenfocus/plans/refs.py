"""Refs as people write them (1, 1.1, 1.1.A, R3.2) and the order they sort in.

"1.10" sorts after "1.9", "R2" before "R10" and "1.1.AA" after "1.1.Z": runs of
digits are padded, runs of letters upper-cased and led by their length, so a plain
string sort keeps refs in order.
"""

import re

_PART = re.compile(r"\d+|[A-Za-z]+")


def ref_sort_key(ref: str) -> str:
    """A string that sorts refs in the order a reader expects."""
    parts = []
    for part in _PART.findall(ref or ""):
        parts.append(f"{int(part):08d}" if part.isdigit() else f"~{len(part):02d}{part.upper()}")
    return ".".join(parts)[:200]


def clean_ref(ref: str) -> str:
    """A ref without surrounding space or a trailing full stop: "1.1.A." -> "1.1.A"."""
    return (ref or "").strip().rstrip(".:)").strip()


def next_child_ref(parent_ref: str, sibling_refs: list[str], *, letters: bool) -> str:
    """The next free ref under a parent: 1 -> 1.3 (numbers) or 1.1 -> 1.1.C (letters)."""
    taken = {r.upper() for r in sibling_refs}
    prefix = f"{parent_ref}." if parent_ref else ""
    index = 1
    while True:
        tail = _letters(index) if letters else str(index)
        candidate = f"{prefix}{tail}"
        if candidate.upper() not in taken:
            return candidate
        index += 1


def _letters(index: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA."""
    out = ""
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out
