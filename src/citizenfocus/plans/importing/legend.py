"""The key to a plan's colour-coded progress: which shading means which status.

A legend is found in shaded cells whose whole text is a status ("Completed",
"Work Underway"), in a cell beside a shaded swatch, or in a line of text such as
"Key: Green - Completed, Amber - Work Underway, Red - Not Started". Without one,
the usual colours are assumed (green completed, amber work underway, red not
started) and the preview says so.
"""

from __future__ import annotations

import colorsys
import re
from dataclasses import dataclass, field

from .grid import Grid
from .text import STATUS_LABELS, find_status, is_status_phrase

DEFAULT_BY_FAMILY = {"green": "completed", "amber": "work_underway", "red": "not_started", "blue": "completed"}
_FAMILY_WORDS = {"green": "green", "amber": "amber", "yellow": "amber", "orange": "amber", "red": "red",
                 "blue": "blue"}
_TEXT_KEY = re.compile(r"\b(green|amber|yellow|orange|red|blue)\s*(?:[-\u2013\u2014:=]|means|is)\s*"
                       r"([A-Za-z][A-Za-z \-]{2,30}?)(?=[,;.\n)]|\s+(?:green|amber|yellow|orange|red|blue)\b|$)",
                       re.IGNORECASE)


def family(fill: str | None) -> str | None:
    """red, amber, green or blue for a shading colour; None for white, grey or black."""
    if not fill or len(fill) != 6:
        return None
    try:
        r, g, b = (int(fill[i:i + 2], 16) / 255 for i in (0, 2, 4))
    except ValueError:
        return None
    hue, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
    if saturation < 0.25 or lightness > 0.97 or lightness < 0.08:
        return None
    degrees = hue * 360
    if degrees < 15 or degrees >= 330:
        return "red"
    if degrees < 70:
        return "amber"
    if degrees < 170:
        return "green"
    if degrees < 260:
        return "blue"
    return None


@dataclass
class Legend:
    by_fill: dict[str, str] = field(default_factory=dict)  # "00B050" -> "completed"
    by_family: dict[str, str] = field(default_factory=dict)  # "green" -> "completed"
    found_in: str = ""

    @property
    def found(self) -> bool:
        return bool(self.by_fill or self.by_family)

    def status_for(self, fill: str | None) -> tuple[str | None, str]:
        """(status, how it was read) for a cell's shading."""
        if not fill:
            return None, ""
        if fill in self.by_fill:
            return self.by_fill[fill], f"colour #{fill} from the legend"
        colour = family(fill)
        if colour is None:
            return None, ""
        if colour in self.by_family:
            return self.by_family[colour], f"{colour} shading, as in the legend"
        if colour in DEFAULT_BY_FAMILY and not self.found:
            status = DEFAULT_BY_FAMILY[colour]
            return status, f"{colour} shading read as {STATUS_LABELS[status]} (no legend in the file)"
        return None, ""

    def status_for_family(self, colour: str) -> tuple[str | None, str]:
        """(status, how) for a colour written as a word ("Green", "A")."""
        if colour in self.by_family:
            return self.by_family[colour], "as in the legend"
        if colour in DEFAULT_BY_FAMILY and not self.found:
            status = DEFAULT_BY_FAMILY[colour]
            return status, f"read as {STATUS_LABELS[status]} (no legend in the file)"
        return None, ""

    def describe(self) -> list[str]:
        out = [f"#{fill} = {STATUS_LABELS[s]}" for fill, s in self.by_fill.items()]
        out += [f"{name} = {STATUS_LABELS[s]}" for name, s in self.by_family.items()
                if not any(family(f) == name for f in self.by_fill)]
        return out

    def as_dict(self) -> dict:
        return {"by_fill": self.by_fill, "by_family": self.by_family, "found_in": self.found_in}


def _add(legend: Legend, fill: str, status: str, where: str) -> None:
    legend.by_fill.setdefault(fill, status)
    colour = family(fill)
    if colour:
        legend.by_family.setdefault(colour, status)
    legend.found_in = legend.found_in or where


def legend_row(row) -> list[tuple[str, str]]:
    """(fill, status) pairs when a row is a legend: shaded status words, or swatches beside them."""
    pairs = []
    for index, cell in enumerate(row):
        if cell.spanned_left or cell.merged_above:
            continue
        if cell.fill and is_status_phrase(cell.text):
            pairs.append((cell.fill, find_status(cell.text)))
        elif cell.fill and not cell.text and index + 1 < len(row) and is_status_phrase(row[index + 1].text) \
                and not row[index + 1].fill:
            pairs.append((cell.fill, find_status(row[index + 1].text)))
    return pairs


def find_legend(grids: list[Grid], paragraphs: list[str], *, skip: tuple[Grid, int, int] | None = None) -> Legend:
    """The legend, from shaded cells outside the plan's data rows and from lines of text."""
    legend = Legend()
    for grid in grids:
        for index, row in enumerate(grid.rows):
            if skip and grid is skip[0] and skip[1] < index < skip[2]:
                continue
            pairs = legend_row(row)
            if len(pairs) >= 2 or (pairs and len([c for c in row if c.text]) <= 2):
                for fill, status in pairs:
                    _add(legend, fill, status, grid.where(index))
    for line in paragraphs:
        if not re.search(r"\b(key|legend|colour|color)\b", line, re.IGNORECASE) and len(_TEXT_KEY.findall(line)) < 2:
            continue
        for colour, words in _TEXT_KEY.findall(line):
            status = find_status(words)
            if status:
                legend.by_family.setdefault(_FAMILY_WORDS[colour.lower()], status)
                legend.found_in = legend.found_in or "the text of the document"
    return legend
