"""The pack as a list of blocks, written once and rendered to PDF (HTML) and Word alike.

Paragraphs are numbered as UK committee reports number them (section.paragraph: 3.2), here, so
both renderers print the same numbers.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import Future
from dataclasses import dataclass, field

from citizenfocus.performance.pages.base import Table

from . import formatting as fmt


@dataclass
class Heading:
    text: str
    level: int  # 1: a numbered section; 2, 3: its parts
    number: str = ""


@dataclass
class Para:
    text: str
    number: str = ""


@dataclass
class TableBlock:
    caption: str
    header: list[str]
    rows: list[list[str]]
    numeric: list[bool]  # right-aligned columns
    icons: dict[int, list[str]] = field(default_factory=dict)  # column → each row's icon key (grid.ICONS)


@dataclass
class Chart:
    title: str
    alt: str
    spec: dict
    png: bytes = b""
    drawing: Future | None = field(default=None, repr=False, compare=False)

    def start(self) -> None:
        """Start drawing the picture (in the chart worker) unless it is drawn or being drawn."""
        if not self.png and self.drawing is None:
            from .chart_images import picture

            self.drawing = picture(self.spec)

    def image(self) -> bytes:
        """The PNG, waiting for the worker if it is still drawing (drawn here if the worker failed)."""
        if not self.png:
            self.start()
            try:
                self.png = self.drawing.result()
            except Exception:  # a worker that died: the picture still gets drawn
                from .chart_images import draw

                self.png = draw(self.spec)
            self.drawing = None
        return self.png


@dataclass
class Cover:
    title: str
    body: str
    meeting: str
    date: dt.date
    author: str
    marking: str
    area: str
    period: str


@dataclass
class Pack:
    cover: Cover
    blocks: list = field(default_factory=list)
    draw_charts: bool = False  # start each chart's picture as soon as it is added
    _section: int = 0
    _paragraph: int = 0

    def section(self, text: str) -> None:
        self._section += 1
        self._paragraph = 0
        self.blocks.append(Heading(text, 1, f"{self._section}."))

    def heading(self, text: str, level: int = 2) -> None:
        self.blocks.append(Heading(text, level))

    def para(self, text: str) -> None:
        self._paragraph += 1
        self.blocks.append(Para(text, f"{self._section}.{self._paragraph}"))

    def table(self, block: TableBlock) -> None:
        self.blocks.append(block)

    def chart(self, spec: dict) -> None:
        title = spec.get("title") or ""
        alt = f"{title}. {spec.get('description', '')}. The table after the chart gives its figures."
        chart = Chart(title=title, alt=alt, spec=spec)
        if self.draw_charts:
            chart.start()
        self.blocks.append(chart)

    @property
    def charts(self) -> list[Chart]:
        return [b for b in self.blocks if isinstance(b, Chart)]


NUMERIC_KINDS = ("rate", "diff", "int", "number", "p")


def page_table(table: Table, keys: tuple[str, ...] | None = None, *, caption: str | None = None) -> TableBlock:
    """A dashboard page's table as the board reads it (the same rows, formatted; low bases flagged)."""
    columns = [c for c in table.columns if keys is None or c.key in keys]
    if keys is not None:
        columns.sort(key=lambda c: keys.index(c.key))
    rows = [[fmt.cell(row.get(c.key), c.kind) for c in columns] for row in table.rows]
    block = TableBlock(caption=caption or table.caption, header=[c.label.replace("points", "pts") for c in columns],
                       rows=rows, numeric=[c.kind in NUMERIC_KINDS for c in columns])
    for c in range(len(block.header) - 1, 0, -1):
        if block.header[c] == "to" and block.header[c - 1].endswith(" from"):
            join_columns(block, c - 1, block.header[c - 1].removesuffix(" from"))
    return block


def join_columns(block: TableBlock, first: int, header: str) -> TableBlock:
    """Columns `first` and the one after it as one, headed `header`, each cell "low to high": an interval
    as a reader says it ("+1.9 to +2.7 pts"), where a column headed "to" meant nothing read on its own
    (a screen reader gives each cell with its column's header), and one cell fewer a row to lay out."""
    second = first + 1
    for row in block.rows:
        low, high = row[first], row.pop(second)
        if low == fmt.DASH and high == fmt.DASH:
            row[first] = fmt.DASH
        else:
            if low.endswith(" pts") and high.endswith(" pts"):
                low = low.removesuffix(" pts")
            row[first] = f"{low} to {high}"
    block.header[first] = header
    del block.header[second]
    numeric = block.numeric.pop(second)
    block.numeric[first] = block.numeric[first] and numeric
    block.icons.pop(second, None)
    block.icons = {c - (c > second): icons for c, icons in block.icons.items()}
    return block
