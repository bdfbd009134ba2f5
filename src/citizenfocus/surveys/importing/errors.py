"""Import problems: each names the file, row, column, value and what was expected."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date, datetime

# Kept in memory while checking a file: enough to show and store, bounded for a file
# where every one of a million rows is wrong (the count is always exact).
KEEP_IN_MEMORY = 10_000
VALUE_SHOWN = 100
# Control characters other than tab and line breaks cannot be seen in a sheet, and PostgreSQL
# cannot store NUL at all (not even in the refusal's JSON): they are shown as \x00 and friends.
_INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def printable(text: str) -> str:
    """Text with its invisible control characters written out (NUL as \\x00)."""
    return _INVISIBLE.sub(lambda m: f"\\x{ord(m[0]):02x}", text)


def shown(value: object) -> str:
    """A cell value as a person would see it in the sheet."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds").removesuffix(" 00:00:00")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = printable(str(value).strip())
    return text if len(text) <= VALUE_SHOWN else text[: VALUE_SHOWN - 1] + "…"


@dataclass(frozen=True)
class ImportError_:  # noqa: N801 - the trailing underscore keeps Python's ImportError usable
    """One problem: row is the row number a person sees in the sheet (the header is row 1)."""

    file: str
    row: int | None
    column: str
    value: str
    expected: str

    def __post_init__(self) -> None:
        for name in ("file", "column", "value", "expected"):
            object.__setattr__(self, name, printable(str(getattr(self, name))))

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file} row {self.row}"
        if self.column:
            where += f', column "{self.column}"'
        if self.value:
            return f'{where}: "{self.value}" {self.expected}'
        return f"{where}: {self.expected}"

    def as_dict(self) -> dict:
        return asdict(self)


class ProblemLog:
    """Every problem counted; the first KEEP_IN_MEMORY kept, in the order found."""

    def __init__(self, file: str, keep: int = KEEP_IN_MEMORY):
        self.file = file
        self.keep = keep
        self.problems: list[ImportError_] = []
        self.count = 0

    def add(self, row: int | None, column: str, value: object, expected: str, *, file: str = "") -> None:
        self.count += 1
        if len(self.problems) < self.keep:
            self.problems.append(ImportError_(file or self.file, row, column, shown(value), expected))

    def add_late(self, row: int, column: str, value: object, expected: str) -> None:
        """A problem found after later rows were logged (a duplicate id, found at the end of the
        check): kept when it comes before the last problem kept, so the kept problems are still
        the first ones in the sheet's row order."""
        self.count += 1
        dropped = self.count - 1 > len(self.problems)
        if dropped and (not self.problems or row > (self.problems[-1].row or 0)):
            return
        self.problems.append(ImportError_(self.file, row, column, shown(value), expected))
        if len(self.problems) > self.keep:
            self.problems.sort(key=lambda p: p.row or 0)
            del self.problems[self.keep:]

    def extend(self, problems: list[ImportError_]) -> None:
        self.count += len(problems)
        self.problems.extend(problems[: max(0, self.keep - len(self.problems))])

    def __bool__(self) -> bool:
        return self.count > 0


class FileRefused(Exception):
    """A problem with the whole file (cannot be read, no header...): nothing row by row to add."""

    def __init__(self, expected: str, *, row: int | None = None, column: str = "", value: object = ""):
        super().__init__(expected)
        self.expected = expected
        self.row = row
        self.column = column
        self.value = value


class ImportRefused(Exception):
    """A file was refused: nothing of its responses was stored.

    errors: the problems (the first ones when there are very many; error_count is exact);
    batch: the refused ImportBatch kept as the audit of the attempt (None only when the
    survey itself is unknown, so there is nothing to attach it to).
    """

    def __init__(self, errors: list[ImportError_], batch=None, error_count: int | None = None):
        self.errors = list(errors)
        self.batch = batch
        self.error_count = len(self.errors) if error_count is None else error_count
        first = str(self.errors[0]) if self.errors else "refused"
        more = self.error_count - 1
        super().__init__(first + (f" (and {more} more problem{'s' if more != 1 else ''})" if more else ""))
