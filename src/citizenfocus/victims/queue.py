"""The Victims' Code queue: each open case's next due item, most urgent first, as rows for every output."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from django.db.models import Q

from .models import VictimRecord
from .rules import QueueEntry, Rules, queue_entry

QUEUE_COLUMNS = ("crime", "crime_type", "division", "team", "officer", "reported_on", "enhanced", "language",
                 "due_on", "days_left", "rag", "status", "what", "why", "also_due")


@dataclass(frozen=True)
class QueueFilter:
    officer: str = ""
    team: str = ""
    division: str = ""

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v}


def queue_records(*, user, filters: QueueFilter = QueueFilter()):
    """Open cases the user may see, narrowed by officer (identifier or user name), team or division."""
    return narrowed(VictimRecord.objects.visible_to(user), filters)


def narrowed(records, filters: QueueFilter):
    """Open cases of `records` narrowed by the filters, ready for the queue."""
    records = records.open().select_related("division", "team", "officer").prefetch_related("events")
    if filters.officer:
        records = records.filter(Q(officer__identifier__iexact=filters.officer)
                                 | Q(officer__user__username__iexact=filters.officer))
    if filters.team:
        records = records.filter(team__name__iexact=filters.team)
    if filters.division:
        records = records.filter(Q(division__name__iexact=filters.division) | Q(division__code__iexact=filters.division))
    return records


@cache
def crime_type_labels() -> dict[str, str]:
    """The survey's crime type labels (the shipped definition's: the same keys the survey stores)."""
    from citizenfocus.surveys.definition import get_definition

    return {c.key: c.label for c in get_definition("uss").crime_types}


@dataclass(frozen=True)
class QueueRow:
    record: VictimRecord
    entry: QueueEntry
    identified: bool

    def as_dict(self) -> dict:
        r, e = self.record, self.entry
        return {
            "id": r.pk,
            "crime": r.crime_reference if self.identified else r.pseudonym(),
            "crime_type": crime_type_labels().get(r.crime_type, r.crime_type),
            "division": r.division.name,
            "team": r.team.name if r.team else "",
            "officer": r.officer.identifier if r.officer else "",
            "reported_on": r.reported_on.isoformat(),
            "enhanced": "; ".join(r.enhanced_reasons),
            "language": r.language,
            "due_on": e.due.on.isoformat() if e.due else None,
            "days_left": e.days_left,
            "rag": e.band or "",
            "status": e.band_words,
            "what": e.due.what if e.due else "",
            "why": e.due.why if e.due else "",
            "also_due": "; ".join(f"{d.what} by {d.on:%d/%m/%Y}" for d in e.also_due),
        }


def queue_rows(*, records, rules: Rules, as_at: date, identified: bool) -> list[QueueRow]:
    """Every case with something due, breached first, then by days left (most urgent first); `identified`:
    crime references shown (else pseudonyms)."""
    rows = [QueueRow(r, queue_entry(r.facts(r.events.all()), rules, as_at), identified) for r in records]
    rows = [row for row in rows if row.entry.band is not None]
    return sorted(rows, key=lambda row: (*row.entry.urgency, row.record.crime_reference))


def band_counts(rows: list[QueueRow]) -> dict[str, int]:
    counts = {"breached": 0, "red": 0, "amber": 0, "green": 0}
    for row in rows:
        counts[row.entry.band] += 1
    return counts
