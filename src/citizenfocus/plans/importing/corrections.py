"""What the person fixed in the preview, applied when the file is read again.

Kept with the upload (PlanImport.corrections) as JSON: which column holds which field,
which rows continue the row above (or do not), and a status or date for an item's row
that replaces what its cells said. Rows are named by their number in the table.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Corrections:
    columns: dict[str, int | None] = field(default_factory=dict)  # our field -> their column; None: not there
    continuation: dict[str, bool] = field(default_factory=dict)  # row number -> continues the row above?
    status: dict[str, str] = field(default_factory=dict)  # row number -> a status value (completed, ...)
    dates: dict[str, str] = field(default_factory=dict)  # row number -> the date, as a person writes it
    reporting_date: str = ""  # ISO date: RAG as at this date, instead of the date the document gives

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict | None) -> Corrections:
        data = data or {}
        return cls(columns=dict(data.get("columns", {})), continuation=dict(data.get("continuation", {})),
                   status=dict(data.get("status", {})), dates=dict(data.get("dates", {})),
                   reporting_date=data.get("reporting_date", ""))

    def __bool__(self) -> bool:
        return bool(self.columns or self.continuation or self.status or self.dates or self.reporting_date)
