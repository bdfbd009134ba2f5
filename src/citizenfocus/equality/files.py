"""What every equality import shares: reading a CSV as published, refusing it whole, and its record."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

from citizenfocus.surveys.importing.errors import ImportError_, ProblemLog

from .models import EqualityImport

SHOWN_PROBLEMS = 20


class EqualityImportRefused(Exception):
    """A file was refused: nothing of it was stored. problems name file, row, column, value, expected."""

    def __init__(self, problems: list[ImportError_], count: int | None = None):
        self.problems = problems
        self.count = len(problems) if count is None else count
        first = "; ".join(str(p) for p in problems[:3])
        more = f" (and {self.count - 3} more)" if self.count > 3 else ""
        super().__init__(f"refused, nothing stored: {first}{more}")


def refuse_if(log: ProblemLog) -> None:
    if log:
        raise EqualityImportRefused(log.problems, log.count)


def read_csv(path: Path, name: str | None = None) -> tuple[list[str], list[dict], str]:
    """Header, rows (dicts) and the SHA-256 of a CSV file; a BOM is dropped, the delimiter is a comma."""
    name = name or path.name
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EqualityImportRefused([ImportError_(name, None, "", "", f"is not UTF-8 text ({exc.reason})")]) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        raise EqualityImportRefused([ImportError_(name, None, "", "", "has no header row")])
    reader.fieldnames = header
    rows = []
    for row in reader:
        if None in row:
            raise EqualityImportRefused([ImportError_(name, reader.line_num, "", "",
                                                      f"has more cells than the header's {len(header)} columns")])
        rows.append({k: (v or "").strip() for k, v in row.items()})
    return header, rows, hashlib.sha256(data).hexdigest()


def record_import(*, kind: str, name: str, sha256: str, rows: int, user=None, who_name: str = "",
                  added: int = 0, changed: int = 0, unchanged: int = 0, removed: int = 0) -> EqualityImport:
    return EqualityImport.objects.create(
        kind=kind, file_name=name[:255], sha256=sha256, rows=rows, added=added, changed=changed,
        unchanged=unchanged, removed=removed, who=user, who_name=who_name or (user.get_username() if user else ""),
    )
