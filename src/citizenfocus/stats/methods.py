"""Registry entries: every method a user can meet has a key, a title and a
documented section in docs/methodology.md (found by its anchor).

tests/stats/test_methodology_doc.py walks every registry and fails when a
section is missing, so a method cannot ship undocumented.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Method:
    """One documented method: `anchor` is the id of its section in docs/methodology.md."""

    key: str
    title: str
    anchor: str
    summary: str
