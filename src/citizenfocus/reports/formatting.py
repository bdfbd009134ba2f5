"""Numbers as a board reads them: 77.1%, +2.3 pts, 1,766, low bases flagged, verdicts in words."""

from __future__ import annotations

from citizenfocus.performance.words import LOW_BASE

DASH = "\u2013"  # an en dash: no figure


def rate(value: float | None, digits: int = 1) -> str:
    return DASH if value is None else f"{value * 100:.{digits}f}%"


def points(value: float | None, digits: int = 1) -> str:
    """A difference of two rates in percentage points, always signed: '+2.3 pts', '\u22120.4 pts'."""
    if value is None:
        return DASH
    text = f"{value * 100:+.{digits}f}"
    if float(text) == 0:
        text = f"{0:.{digits}f}"
    return text.replace("-", "\u2212") + " pts"


def base(value: float | None) -> str:
    return DASH if value is None else f"{round(value):,}"


def low_base(value: float | None) -> bool:
    return value is not None and 0 < value < LOW_BASE


def base_flagged(value: float | None) -> str:
    """A base, with 'low base' beside it when it is under the threshold every page uses."""
    return f"{base(value)} (low base)" if low_base(value) else base(value)


def p_value(value: float | None) -> str:
    if value is None:
        return DASH
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def number(value: float | None, digits: int = 2) -> str:
    return DASH if value is None else f"{value:,.{digits}f}"


def cell(value, kind: str) -> str:
    """A table cell by its column kind (performance.pages.base.Column.kind)."""
    if value is None or value == "":
        return DASH if kind != "text" else ""
    formats = {"rate": rate, "diff": points, "int": base_flagged, "number": number, "p": p_value}
    if kind in formats:
        return formats[kind](value)
    return str(value)


def change_words(diff: float) -> str:
    """A movement of a rolling rate in words: a slight rise is under a point."""
    size = abs(diff) * 100
    if round(size, 1) == 0:
        return "no change"
    direction = "rise" if diff > 0 else "fall"
    return f"a slight {direction}" if size < 1 else f"a {direction}"
